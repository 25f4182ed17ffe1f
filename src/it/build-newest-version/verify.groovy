import groovy.json.JsonSlurper

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  def json = new JsonSlurper().parse(new File(basedir, 'target/bundler/image.json'))
  assert json.image == 'bluesolutions/milborne:0.4.0'
  // build.log holds the last invocation's output: the first one's choice shows in image.json
  def used = new JsonSlurper().parse(new File(basedir, 'target/bundler/bundler.lock.json'))
  assert used.wheels[0].version == '0.4.0'
  def pinned = new JsonSlurper().parse(new File(basedir, 'bundler.lock.json'))
  assert pinned.wheels[0].name == 'milborne' && pinned.wheels[0].version == '0.4.0'
  def again = new JsonSlurper().parse(new File(basedir, 'target/pinned/image.json'))
  assert again.image == 'bluesolutions/milborne:0.4.0'
  wheels.logContains(basedir, ['Bundling milborne 0.4.0, the version ' + new File(basedir, 'bundler.lock.json').path + ' pins'])
}
