def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'needy', version: '1.0',
    files: ['needy/__init__.py': ''], requires: ['absent-lib (>=2.0)', 'windows-only ; sys_platform == "win32"'])
return true
