import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermission

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  File out = new File(basedir, 'target/bundler')
  File tarball = new File(out, 'image.tar')
  assert tarball.isFile()

  def json = new JsonSlurper().parse(new File(out, 'image.json'))
  assert json.image == 'bundler/django:3.2.25'
  assert json.tags == ['3.2.25']
  assert json.tarball == tarball.absolutePath
  assert new File(out, 'image.digest').text.trim() == json.imageDigest
  assert new File(out, 'image.id').text.trim() == json.imageId

  def inspect = new JsonSlurper().parseText(wheels.run(['skopeo', 'inspect', "oci-archive:${tarball}"]))
  assert inspect.Digest == json.imageDigest
  def config = new JsonSlurper().parseText(wheels.run(['skopeo', 'inspect', '--config', "oci-archive:${tarball}"]))
  assert config.created == '2026-01-01T00:00:00Z'
  assert config.config.User == '1000:33'
  assert config.config.Env.contains('PATH=/home/app/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  assert config.config.Env.contains('DJANGO_SETTINGS_MODULE=django.settings')
  assert config.config.ExposedPorts.keySet() == ['8080/tcp', '8081/tcp'] as Set
  assert config.config.Volumes.keySet() == ['/config', '/media', '/scripts'] as Set

  // Unpack with umoci, independently of bundler's own reader.
  File layout = new File(basedir, 'target/layout')
  layout.mkdirs()
  wheels.run(['tar', '-xf', tarball.path, '-C', layout.path])
  def index = new JsonSlurper().parse(new File(layout, 'index.json'))
  String refName = index.manifests[0].annotations['org.opencontainers.image.ref.name']
  File bundle = new File(basedir, 'target/bundle')
  wheels.run(['umoci', 'unpack', '--rootless', '--image', "${layout}:${refName}", bundle.path])
  File rootfs = new File(bundle, 'rootfs')

  File venv = new File(rootfs, 'home/app/app')
  File djangoAdmin = new File(venv, 'bin/django-admin')
  assert djangoAdmin.isFile()
  assert Files.getPosixFilePermissions(djangoAdmin.toPath()).contains(PosixFilePermission.OTHERS_EXECUTE)
  assert djangoAdmin.readLines()[0] == '#!/home/app/app/bin/python3'
  assert djangoAdmin.text.contains('from django.core.management import execute_from_command_line')
  assert Files.isSymbolicLink(new File(venv, 'bin/python').toPath())
  assert new File(venv, 'bin/sqlformat').isFile()
  assert new File(venv, 'pyvenv.cfg').isFile()
  File sitePackages = new File(venv, 'lib/python3.11/site-packages')
  ['django/__init__.py', 'asgiref/__init__.py', 'pytz/__init__.py', 'sqlparse/__init__.py',
   'Django-3.2.25.dist-info/RECORD', 'Django-3.2.25.dist-info/INSTALLER'].each {
    assert new File(sitePackages, it).isFile() : "site-packages lacks ${it}"
  }
  assert new File(rootfs, 'usr/local/bin/bundler-entrypoint').isFile()

  // The image runs: the entrypoint's django-admin command, and the application's Python on Debian.
  assert wheels.podman(basedir, tarball, ['django-admin', '--version']).trim() == '3.2.25'
  String python = wheels.podman(basedir, tarball, ['python', '-c',
      'import django, sqlparse, pytz, ssl; print(django.__file__); print(pytz.timezone("Europe/Paris"))'])
  assert python.contains('/home/app/app/lib/python3.11/site-packages/django/__init__.py')
  assert python.contains('Europe/Paris')
  assert wheels.podman(basedir, tarball, ['id']).contains('uid=1000(app) gid=33(www-data)')

  // Same inputs, other output and cache directories: same image.
  def again = new JsonSlurper().parse(new File(basedir, 'target/again/image.json'))
  assert again.imageDigest == json.imageDigest
  assert again.imageId == json.imageId
}
