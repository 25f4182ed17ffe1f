def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'evil', version: '1.0',
    files: ['evil/__init__.py': 'def main(): pass\n',
            'evil-1.0.dist-info/entry_points.txt': '[console_scripts]\n../../../etc/cron.d/evil = evil:main\n'])
return true
