def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'cache-file is a file', '-Dbundler.cacheDir'])
wheels.noImage(basedir)
return true
