def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'bundler.environment sets DJANGO_SETTINGS_MODULE, ' +
    'which the runner sets to demo.settings: to replace it on purpose, also list it in ' +
    'bundler.overrideEnvironment'])
wheels.noImage(basedir)
return true
