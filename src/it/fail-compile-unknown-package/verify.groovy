def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'pip could not build the wheelhouse of nosuch-package==1.0',
    'No matching distribution found for nosuch-package==1.0', 'find-links'])
wheels.noImage(basedir)
return true
