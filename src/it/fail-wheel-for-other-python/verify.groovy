def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'fast-1.0-cp312-cp312-manylinux_2_17_x86_64.whl', '3.11', 'bundler.python'])
wheels.noImage(basedir)
return true
