def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
File wheelhouse = new File(basedir, 'wheelhouse')
['0.3.0', '0.4.0', '0.5.0rc1'].each { version ->
  wheels.wheel(dir: wheelhouse, name: 'milborne', version: version,
      files: ['milborne/__init__.py': "VERSION = '${version}'\n".toString()])
}
return true
