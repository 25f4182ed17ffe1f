import groovy.json.JsonSlurper

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  String log = new File(basedir, 'build.log').getText('UTF-8')
  assert log.contains('Building the wheelhouse of itapp==1.0 with pip in a container')
  def wheelhouse = (log =~ /Selecting wheels for itapp==1\.0 from (\S+)/)
  assert wheelhouse.find()
  File dir = new File(wheelhouse.group(1))
  assert dir.list().sort() == ['Django-3.2.25-py3-none-any.whl', 'MarkupSafe-2.1.2-cp311-cp311-linux_x86_64.whl',
      'asgiref-3.6.0-py3-none-any.whl', 'itapp-1.0-py3-none-any.whl', 'pytz-2022.7.1-py3-none-any.whl',
      'sqlparse-0.4.2-py3-none-any.whl']

  // The C extension was compiled for the image's Python and runs there.
  File tarball = new File(basedir, 'target/bundler/image.tar')
  String out = wheels.podman(basedir, tarball, ['python', '-c',
      'import markupsafe._speedups as s, django; print(s.__file__); print(django.get_version())'])
  assert out.contains('_speedups.cpython-311-x86_64-linux-gnu.so')
  assert out.contains('3.2.25')
  def lock = new JsonSlurper().parse(new File(basedir, 'target/bundler/bundler.lock.json'))
  assert lock.wheels*.file.contains('MarkupSafe-2.1.2-cp311-cp311-linux_x86_64.whl')

  // The second build found the wheelhouse in the cache and never called the container runtime.
  assert log.contains('Wheelhouse of itapp==1.0 from the cache')
  assert !new File(basedir, 'container-was-started').exists() : 'the second build started a container'
  def first = new JsonSlurper().parse(new File(basedir, 'target/bundler/image.json'))
  def second = new JsonSlurper().parse(new File(basedir, 'target/second/image.json'))
  assert second.imageDigest == first.imageDigest
}
