import groovy.json.JsonSlurper

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.discarding(basedir) {
  def layers = ['a', 'b'].collect { name ->
    File tarball = new File(basedir, "app-${name}/target/bundler/image.tar")
    assert tarball.isFile()
    def inspect = new JsonSlurper().parseText(wheels.run(['skopeo', 'inspect', "oci-archive:${tarball}"]))
    assert wheels.podman(basedir, tarball, ['python', '-c', "import app_${name}; print(app_${name}.NAME)"]).trim() == name
    inspect.Layers
  }
  // The Debian layers (all but the three Python and runner layers) are the same blobs in both images.
  assert layers[0].size() == layers[1].size()
  assert layers[0].subList(0, layers[0].size() - 3) == layers[1].subList(0, layers[1].size() - 3)
}
