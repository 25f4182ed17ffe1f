// Makes small wheels for the integration tests, correct or deliberately broken.
// Use from a prepare.groovy:  def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/**
 * Writes NAME-VERSION-TAG.whl into dir.
 *   files:    path -> text, besides the generated .dist-info
 *   requires: Requires-Dist lines
 *   badHash:  paths whose RECORD hash is wrong
 */
File wheel(Map args) {
  String name = args.name
  String version = args.version
  String tag = args.tag ?: 'py3-none-any'
  Map<String, String> files = args.files ?: [:]
  List<String> requires = args.requires ?: []
  Set<String> badHash = (args.badHash ?: []) as Set
  File dir = args.dir
  dir.mkdirs()

  String distInfo = "${name}-${version}.dist-info"
  Map<String, byte[]> content = new LinkedHashMap<>()
  files.each { path, text -> content[path] = text.getBytes('UTF-8') }
  String metadata = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n" +
      requires.collect { "Requires-Dist: ${it}\n" }.join('')
  content["${distInfo}/METADATA".toString()] = metadata.getBytes('UTF-8')
  String[] tagParts = tag.split('-')
  content["${distInfo}/WHEEL".toString()] = ("Wheel-Version: 1.0\nGenerator: bundler-it\n" +
      "Root-Is-Purelib: ${tagParts[2] == 'any'}\nTag: ${tag}\n").getBytes('UTF-8')

  StringBuilder record = new StringBuilder()
  content.each { path, bytes ->
    byte[] digest = MessageDigest.getInstance('SHA-256').digest(badHash.contains(path) ? 'tampered'.getBytes('UTF-8') : bytes)
    String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
    record.append("${path},sha256=${hash},${bytes.length}\n")
  }
  record.append("${distInfo}/RECORD,,\n")
  content["${distInfo}/RECORD".toString()] = record.toString().getBytes('UTF-8')

  File file = new File(dir, "${name}-${version}-${tag}.whl")
  file.withOutputStream { out ->
    ZipOutputStream zip = new ZipOutputStream(out)
    content.each { path, bytes ->
      zip.putNextEntry(new ZipEntry(path))
      zip.write(bytes)
      zip.closeEntry()
    }
    zip.close()
  }
  return file
}

/** Fails the verify script with a message unless build.log contains every text. */
void logContains(File basedir, List<String> texts) {
  String log = new File(basedir, 'build.log').getText('UTF-8')
  texts.each { text ->
    if (!log.contains(text)) {
      throw new AssertionError("build.log lacks '${text}'")
    }
  }
  // The core's references to parameters ({python}, {python=3.9}, {@python}) are spelt for Maven.
  String unspelt = log.readLines().find { it.startsWith('[ERROR]') && it =~ /\{@?[a-z][A-Za-z]*[}=]/ }
  if (unspelt != null) {
    throw new AssertionError("build.log shows a parameter reference the plugin did not spell: ${unspelt}")
  }
}

/** Leaves in target/bundler what an earlier build and a killed one would have: a failed build removes it. */
void staleOutputs(File basedir) {
  File out = new File(basedir, 'target/bundler')
  out.mkdirs()
  new File(out, 'image.tar').text = 'the image of an earlier build'
  new File(out, 'image.json').text = '{}'
  new File(out, '.bundler-partial-1.tar').text = "a killed build's partial tarball"
}

/** Fails unless the build left no image behind. */
void noImage(File basedir) {
  File out = new File(basedir, 'target/bundler')
  ['image.tar', 'image.json', 'image.digest', 'image.id'].each {
    if (new File(out, it).exists()) {
      throw new AssertionError("a failed build left target/bundler/${it} behind")
    }
  }
  if (out.exists() && out.listFiles().any { it.name.endsWith('.tar') || it.name.startsWith('.image-') }) {
    throw new AssertionError("a failed build left a tarball in target/bundler: ${out.list()}")
  }
}

/** Runs a command, failing with its output unless it succeeds; returns the output. */
String run(List<String> command, File dir = null) {
  return execute(command, dir, [:], 10)
}

/**
 * Runs a command with env added, failing with its output unless it succeeds within the minutes
 * given (a hung tool is killed and named, it never hangs the build); returns the output.
 */
String execute(List<String> command, File dir, Map<String, String> env, long minutes) {
  List<String> full = command.collect { it.toString() }
  File log = File.createTempFile('bundler-it-', '.log')
  try {
    ProcessBuilder builder = new ProcessBuilder(full).directory(dir).redirectErrorStream(true)
        .redirectOutput(log).redirectInput(new File('/dev/null'))
    builder.environment().putAll(env)
    Process process = builder.start()
    if (!process.waitFor(minutes, java.util.concurrent.TimeUnit.MINUTES)) {
      process.descendants().forEach { it.destroyForcibly() }
      process.destroyForcibly()
      throw new AssertionError("${full.join(' ')} did not finish in ${minutes} minutes and was killed:\n${log.getText('UTF-8')}")
    }
    String output = log.getText('UTF-8')
    if (process.exitValue() != 0) {
      throw new AssertionError("${full.join(' ')} exited with ${process.exitValue()}:\n${output}")
    }
    return output
  } finally {
    log.delete()
  }
}

/** Runs a command in an OCI archive with podman, configured as these machines need; returns its output. */
String podman(File basedir, File tarball, List<String> command) {
  File dir = new File(basedir, 'target/podman')
  dir.mkdirs()
  File conf = new File(dir, 'containers.conf')
  conf.text = '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' +
      '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' +
      '[network]\nnetwork_backend = "netavark"\n'
  File storage = new File(dir, 'storage.conf')
  storage.text = "[storage]\ndriver = \"overlay\"\ngraphroot = \"${dir}/graph\"\nrunroot = \"${dir}/run\"\n"
  List<String> full = ['podman', 'run', '--rm', '--quiet', '--network', 'none',
      "oci-archive:${tarball}".toString()] + command
  return execute(full, null, ['CONTAINERS_CONF': conf.path, 'CONTAINERS_STORAGE_CONF': storage.path], 5)
}

/**
 * Writes NAME-VERSION.tar.gz, a setuptools source distribution, into dir.
 *   files:     path -> text inside the package directory (besides setup.py, pyproject.toml, PKG-INFO)
 *   setupArgs: extra text inside setup(...)
 */
File sdist(Map args) {
  String name = args.name
  String version = args.version
  File dir = args.dir
  File work = new File(dir, ".sdist-${name}")
  File root = new File(work, "${name}-${version}")
  root.mkdirs()
  new File(root, 'setup.py').text = "from setuptools import setup, Extension\n" +
      "setup(name='${name}', version='${version}', packages=['${name}'], ${args.setupArgs ?: ''})\n"
  new File(root, 'pyproject.toml').text = '[build-system]\nrequires = ["setuptools>=40.8", "wheel"]\n' +
      'build-backend = "setuptools.build_meta"\n'
  new File(root, 'PKG-INFO').text = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n"
  new File(root, name).mkdirs()
  new File(root, "${name}/__init__.py").text = "VERSION = '${version}'\n"
  (args.files ?: [:]).each { path, text ->
    File file = new File(root, path)
    file.parentFile.mkdirs()
    file.text = text
  }
  File archive = new File(dir, "${name}-${version}.tar.gz")
  run(['tar', '-czf', archive.path, '-C', work.path, "${name}-${version}".toString()])
  work.deleteDir()
  return archive
}

/**
 * An sdist whose C extension includes yaml.h: it builds only with libyaml-dev installed (the
 * compiler's own packages do not bring it), and runs only with libyaml-0-2.
 */
File yamlSdist(File dir) {
  String c = '''#include <Python.h>
#include <yaml.h>
static PyObject *version(PyObject *self, PyObject *args) { return PyUnicode_FromString(yaml_get_version_string()); }
static PyMethodDef methods[] = {{"version", version, METH_NOARGS, "libyaml version"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_y", NULL, -1, methods};
PyMODINIT_FUNC PyInit__y(void) { return PyModule_Create(&module); }
'''
  return sdist(dir: dir, name: 'yamluser', version: '1.0', files: ['yamluser/_y.c': c],
      setupArgs: "ext_modules=[Extension('yamluser._y', ['yamluser/_y.c'], libraries=['yaml'])]")
}

/**
 * Runs a verify script's checks, then gives back the disk its build took: the project's target
 * directories (and its modules'), which hold caches of several hundred MB and podman's storage.
 * Kept only when BUNDLER_KEEP_TEST_CACHES is set. rm, not File.deleteDir: a root file system in a
 * cache holds absolute symbolic links to directories, which deleteDir would follow to the host's.
 */
boolean discarding(File basedir, Closure<?> checks) {
  try {
    checks()
    return true
  } finally {
    if (!System.getenv('BUNDLER_KEEP_TEST_CACHES')) {
      List<File> targets = [new File(basedir, 'target')] +
          (basedir.listFiles().findAll { it.isDirectory() }.collect { new File(it, 'target') })
      List<String> existing = targets.findAll { it.exists() }.collect { it.path }
      if (!existing.isEmpty()) {
        run(['rm', '-rf', '--one-file-system'] + existing)
      }
    }
  }
}
