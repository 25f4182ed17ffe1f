def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'evil-1.0-py3-none-any.whl', '../escaped.py'])
wheels.noImage(basedir)
return true
