def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'bundler.lock.json is stale', 'python is 3.11 but the lock has 3.10',
    'runtimePackages is [] but the lock has [libpq5]', 'mvn bundler:plan'])
wheels.noImage(basedir)
return true
