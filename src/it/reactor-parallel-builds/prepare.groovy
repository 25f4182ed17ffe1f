def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
File wheelhouse = new File(basedir, 'wheelhouse')
['a', 'b'].each { name ->
  wheels.wheel(dir: wheelhouse, name: "app_${name}", version: '1.0', files: ["app_${name}/__init__.py": "NAME = '${name}'\n"])
}
return true
