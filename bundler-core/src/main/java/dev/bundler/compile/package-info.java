/**
 * The compile stage: the one container bundler runs (podman or the docker CLI), to build the
 * wheelhouse of the application with {@code pip wheel}, and byte-compile its Python; an image of
 * another architecture than the machine's has its bytecode compiled under QEMU user-mode
 * emulation ({@link dev.bundler.compile.Emulation}). Bytecode alone (no pip run) needs no
 * container: the runtime root's interpreter runs here through the root's own loader ({@link
 * dev.bundler.compile.HereInterpreter}).
 */
package dev.bundler.compile;
