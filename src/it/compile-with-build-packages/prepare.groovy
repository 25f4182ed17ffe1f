def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.yamlSdist(new File(basedir, 'links'))
return true
