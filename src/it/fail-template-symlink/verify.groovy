def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'bundler.templates',
    'my-templates (bundler.templates) holds nginx.conf as a symbolic link to /etc/shadow'])
wheels.noImage(basedir)
return true
