def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
File shadow = new File('/etc/shadow')
wheels.logContains(basedir, ['BUILD FAILURE', 'The base image tarball /etc/shadow', '-Dbundler.from'])
String log = new File(basedir, 'build.log').getText('UTF-8')
if (!log.contains('not a tar archive') && !log.contains('cannot be read')) {
  throw new AssertionError("build.log says neither that /etc/shadow is no tar archive nor that it cannot be read")
}
if (shadow.canRead()) {
  shadow.readLines().each { line ->
    line.split(':').findAll { it.length() > 3 }.each { field ->
      if (log.contains(field)) {
        throw new AssertionError("build.log quotes a field of /etc/shadow")
      }
    }
  }
}
wheels.noImage(basedir)
return true
