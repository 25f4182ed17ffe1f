package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes everything bundler built or cached: the build outputs ({@code bundler:clean}) and
 * bundler's cache directory (layers, Debian indexes and packages, wheelhouses, compiler images,
 * the compile step's podman storage). Only a directory bundler tagged as its cache ({@code
 * CACHEDIR.TAG}), or holding only bundler's own directories, is deleted. Do not run it while
 * builds use the same cache.
 */
@Mojo(name = "purge", threadSafe = true, requiresProject = false)
public class PurgeMojo extends CleanMojo {

  @Override
  void afterClean(Bundler bundler) throws BundlerException, IOException {
    bundler.purge(cacheDirectory.toPath());
  }
}
