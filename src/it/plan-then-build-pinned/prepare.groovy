def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'pinned', version: '1.0', files: ['pinned/__init__.py': ''])
return true
