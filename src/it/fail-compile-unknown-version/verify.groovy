def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'pip could not build the wheelhouse of Django==9.9.9',
    'from versions: 3.2.25', 'No matching distribution found for Django==9.9.9'])
wheels.noImage(basedir)
return true
