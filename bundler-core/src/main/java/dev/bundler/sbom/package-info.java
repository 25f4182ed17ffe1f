/**
 * The image's software bill of materials ({@link dev.bundler.sbom.Sbom}): CycloneDX JSON made
 * from the build's lockfile, reproducible like the image.
 */
package dev.bundler.sbom;
