def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'tampered', version: '2.0',
    files: ['tampered/__init__.py': 'VERSION = "2.0"\n', 'tampered/core.py': 'def run(): pass\n'],
    badHash: ['tampered/core.py'])
return true
