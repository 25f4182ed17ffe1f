def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'pinned', version: '1.0', files: ['pinned/__init__.py': ''])
new File(basedir, 'bundler.lock.json').text = '''{
  "version": 1,
  "inputs": {"application": "pinned==1.0", "python": "3.10", "architecture": "amd64",
             "suite": "bookworm", "components": ["main"], "runtimePackages": ["libpq5"], "essential": true},
  "debian": [], "wheels": []
}'''
return true
