def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'demo', version: '1.0',
    files: ['demo/__init__.py': '',
            'demo/crontab': '# jobs\n0 3 * * * root /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all purge\n'])
return true
