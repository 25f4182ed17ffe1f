def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  File tarball = new File(basedir, 'target/bundler/image.tar')
  assert tarball.isFile()
  String out = wheels.podman(basedir, tarball, ['python', '-c', 'import yamluser._y as y; print("libyaml", y.version())'])
  assert out =~ /libyaml 0\.2\.\d+/
  assert new File(basedir, 'target/bundler/bundler.lock.json').text.contains('yamluser-1.0-cp311-cp311-linux_x86_64.whl')
}
