new File(basedir, 'wheelhouse').mkdirs()
return true
