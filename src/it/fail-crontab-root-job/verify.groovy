def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'Line 2 of the crontab demo-1.0-py3-none-any.whl!/demo/crontab',
    'runs as root', 'write www-data in the user column'])
wheels.noImage(basedir)
return true
