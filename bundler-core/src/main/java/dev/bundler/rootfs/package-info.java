/**
 * The root file system an image's layers add up to, and the effects Debian's maintainer scripts
 * would have had on it, computed without running them: the dynamic linker cache and the like.
 */
package dev.bundler.rootfs;
