// The wheelhouse of Django==3.2.25, built by pip from the shared corpus (the Django sdist needs a build).
def wheels = new GroovyShell().parse(new File(itShared, 'Wheels.groovy'))
File wheelhouse = new File(basedir, 'wheelhouse')
wheels.run(['/usr/bin/python3', '-m', 'pip', 'wheel', '-q', '--no-index', '--find-links', corpus,
            '--wheel-dir', wheelhouse.path, 'Django==3.2.25'])
assert wheelhouse.list().sort() == ['Django-3.2.25-py3-none-any.whl', 'asgiref-3.6.0-py3-none-any.whl',
    'pytz-2022.7.1-py3-none-any.whl', 'sqlparse-0.4.2-py3-none-any.whl']
return true
