def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'fast', version: '1.0',
    tag: 'cp312-cp312-manylinux_2_17_x86_64', files: ['fast/__init__.py': ''])
return true
