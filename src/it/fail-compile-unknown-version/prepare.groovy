new File(basedir, 'links').mkdirs()
return true
