/**
 * The compile stage: the one container bundler runs (podman or the docker CLI), to build the
 * wheelhouse of the application with {@code pip wheel}, and byte-compile its Python; an image of
 * another architecture than the machine's has its bytecode compiled under QEMU user-mode
 * emulation ({@link dev.bundler.compile.Emulation}).
 */
package dev.bundler.compile;
