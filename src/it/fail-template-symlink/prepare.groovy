import java.nio.file.Files
import java.nio.file.Paths

def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'demo', version: '1.0',
    files: ['demo/__init__.py': ''])
File templates = new File(basedir, 'my-templates')
templates.mkdirs()
Files.createSymbolicLink(new File(templates, 'nginx.conf').toPath(), Paths.get('/etc/shadow'))
return true
