// A wheel shipping a crontab in the seed's /etc/cron.d format (a user column, the seed's wrapper).
def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
wheels.wheel(dir: new File(basedir, 'wheelhouse'), name: 'demo', version: '1.0',
    files: ['demo/__init__.py': '',
            'demo/crontab': '*/5 * * * * www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all tidy\n'])
return true
