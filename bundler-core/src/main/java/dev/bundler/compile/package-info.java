/**
 * The compile stage: the one container bundler runs (podman or the docker CLI), to build the
 * wheelhouse of the application with {@code pip wheel}.
 */
package dev.bundler.compile;
