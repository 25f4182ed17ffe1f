def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'tampered-2.0-py3-none-any.whl', 'tampered/core.py', 'RECORD'])
wheels.noImage(basedir)
return true
