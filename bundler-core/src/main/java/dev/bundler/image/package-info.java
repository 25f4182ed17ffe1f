/**
 * Image assembly with jib-core: a base ({@link dev.bundler.image.BaseImage}), bundler's pre-built
 * layers and a container config become an OCI archive ({@link dev.bundler.image.ImageAssembler}),
 * with its outputs ({@code image.json}, digest and id files).
 */
package dev.bundler.image;
