def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
File shadow = new File('/etc/shadow')
wheels.logContains(basedir, ['BUILD FAILURE', 'The base image tarball /etc/shadow', '-Dbundler.from'])
String log = new File(basedir, 'build.log').getText('UTF-8')
if (!log.contains('not a tar archive') && !log.contains('cannot be read')) {
  throw new AssertionError("build.log says neither that /etc/shadow is no tar archive nor that it cannot be read")
}
if (shadow.canRead()) {
  // The secret in /etc/shadow is each account's password hash (the second field); user names and
  // day counts are public (/etc/passwd) and words such as 'root' or 'backup' appear in any log.
  shadow.readLines().each { line ->
    String[] fields = line.split(':')
    if (fields.length > 1 && fields[1].length() > 3 && log.contains(fields[1])) {
      throw new AssertionError("build.log quotes the password hash of account '${fields[0]}' from /etc/shadow")
    }
    if (line.length() > 3 && log.contains(line)) {
      throw new AssertionError("build.log quotes a line of /etc/shadow")
    }
  }
}
wheels.noImage(basedir)
return true
