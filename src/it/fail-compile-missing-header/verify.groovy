def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'yaml.h: No such file or directory', '-Dbundler.buildPackages'])
wheels.noImage(basedir)
return true
