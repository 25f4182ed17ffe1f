package dev.bundler.image;

import java.nio.file.Path;

/** A layer of a base image tarball, as found on disk after extraction. */
record ArchiveLayer(Path file, String diffId, boolean gzipped) {}
