def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', '/nonexistent/podman', 'apt-get install podman', '-Dbundler.wheelhouse'])
wheels.noImage(basedir)
return true
