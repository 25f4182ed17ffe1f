def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.sdist(dir: new File(basedir, 'links'), name: 'itapp', version: '1.0',
    setupArgs: "install_requires=['Django==3.2.25', 'MarkupSafe==2.1.2']")
File fake = new File(basedir, 'fake-runtime.sh')
fake.text = "#!/bin/sh\ntouch '${basedir}/container-was-started'\nexit 1\n"
fake.setExecutable(true)
return true
