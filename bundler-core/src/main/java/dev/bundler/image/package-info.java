/**
 * Images: a plan ({@link dev.bundler.image.ImagePlan}: layers, config and manifest as bytes, hence
 * the digest, before anything is written) from a base ({@link dev.bundler.image.BaseImage}),
 * bundler's pre-built layers and a container config; the OCI archive bundler writes itself, each
 * layer streamed once from its cache and checked; pushes and the registry cache through jib-core's
 * registry client ({@link dev.bundler.image.ImageAssembler}, {@link
 * dev.bundler.image.RegistryCache}); the outputs ({@code image.json}, digest and id files).
 */
package dev.bundler.image;
