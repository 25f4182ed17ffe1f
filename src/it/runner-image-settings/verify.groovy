import groovy.json.JsonSlurper

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  File tarball = new File(basedir, 'target/bundler/image.tar')
  def config = new JsonSlurper().parseText(
      wheels.run(['skopeo', 'inspect', '--config', "oci-archive:${tarball}"])).config
  assert config.Env.contains('GREETING_STYLE=loud')
  assert config.Env.contains('ZONE=eu')
  assert config.Env.contains('DJANGO_SETTINGS_MODULE=demo.production')
  assert !config.Env.contains('DJANGO_SETTINGS_MODULE=demo.settings')
  assert config.Env.contains('DEMO_CONFIG=/home/app/django_config/*.ini')
  assert config.ExposedPorts.keySet() == ['8080/tcp', '8081/tcp', '9000/tcp', '9100/tcp', '9101/tcp'] as Set
  assert config.Volumes.keySet() == ['/config', '/data', '/media', '/scripts'] as Set
  assert config.Labels['org.example.team'] == 'ops'
  assert config.Labels['org.example.tier'] == 'web'
  assert config.Labels['org.opencontainers.image.version'] == '1.0'
  // The crontab's log line is written with its layer only, which a warm cache does not rewrite:
  // the crontab itself is checked in the image below.
  wheels.logContains(basedir, ["[WARNING] bundler.environment replaces the runner's " +
      "DJANGO_SETTINGS_MODULE=demo.settings with DJANGO_SETTINGS_MODULE=demo.production"])

  // The crontab, read back from the image's last layer.
  File layout = new File(basedir, 'target/layout')
  layout.mkdirs()
  wheels.run(['tar', '-xf', tarball.path, '-C', layout.path])
  String cron = wheels.run(['sh', '-c', "for blob in ${layout}/blobs/sha256/*; do " +
      "tar -xzOf \"\$blob\" etc/cron.d/app 2>/dev/null; done; true"])
  assert cron.contains('*/5 * * * * app /usr/local/bin/cronwrapper.sh --all tidy\n')

  def first = new JsonSlurper().parse(new File(basedir, 'target/bundler/image.json'))
  def again = new JsonSlurper().parse(new File(basedir, 'target/again/image.json'))
  assert again.imageDigest == first.imageDigest
}
