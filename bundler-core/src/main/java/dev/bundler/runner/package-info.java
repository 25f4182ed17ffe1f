/**
 * The runner image's contract: layout of the application user's home, environment, entrypoint,
 * ports, volumes, and the templates shipped into the image.
 */
package dev.bundler.runner;
