/**
 * Debian packages without dpkg: APT sources ({@link dev.bundler.apt.AptConfig}), signed indexes
 * ({@link dev.bundler.apt.RepositoryLoader}, {@link dev.bundler.apt.SignatureVerifier}), dpkg's
 * version order ({@link dev.bundler.apt.DebianVersion}), an apt-like {@link
 * dev.bundler.apt.Resolver}, the {@code .deb} reader and the base image's layers ({@link
 * dev.bundler.apt.DebianBase}).
 */
package dev.bundler.apt;
