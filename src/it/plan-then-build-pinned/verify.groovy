import groovy.json.JsonSlurper

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  File lockFile = new File(basedir, 'bundler.lock.json')
  assert lockFile.isFile() : 'bundler:plan wrote no lockfile'
  def lock = new JsonSlurper().parse(lockFile)
  assert lock.inputs.python == '3.11' && lock.inputs.suite == 'bookworm'
  def python = lock.debian.find { it.name == 'python3.11' }
  assert python && python.layer == 'python' && python.sha256 ==~ /[0-9a-f]{64}/ && python.path.startsWith('pool/')
  assert lock.debian.find { it.name == 'nginx-light' }.layer == 'services'
  assert lock.wheels*.name == ['pinned']
  wheels.logContains(basedir, ['Layer debian system:', 'python3.11 ', 'Wrote ' + lockFile.path,
      'Using the ' + lock.debian.size() + ' Debian packages pinned by ' + lockFile.path])
  def built = new JsonSlurper().parse(new File(basedir, 'target/bundler/bundler.lock.json'))
  assert built.debian == lock.debian
  assert built.wheels == lock.wheels
}
