def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'demo', version: '1.0', files: ['demo/__init__.py': ''])
new File(basedir, 'cache-file').text = 'a file, not a directory'
wheels.staleOutputs(basedir)
return true
