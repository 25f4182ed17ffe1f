def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'evil', version: '1.0',
    files: ['evil/__init__.py': '', '../escaped.py': 'print("out of the venv")\n'])
return true
