def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', "'not a package!' is not a package requirement", '-Dpackage=NAME==VERSION'])
wheels.noImage(basedir)
return true
