def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.logContains(basedir, ['BUILD FAILURE', 'absent-lib', 'needy'])
String log = new File(basedir, 'build.log').text
assert !log.contains('windows-only') : 'a requirement whose marker is false on Linux must be ignored'
wheels.noImage(basedir)
return true
