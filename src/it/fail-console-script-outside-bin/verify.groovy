def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'evil-1.0-py3-none-any.whl', 'entry_points.txt',
    "'../../../etc/cron.d/evil'", 'not a plain file name'])
wheels.noImage(basedir)
return true
