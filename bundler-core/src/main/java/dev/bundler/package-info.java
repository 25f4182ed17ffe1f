/**
 * bundler's public API: {@link dev.bundler.Bundler} turns a validated {@link
 * dev.bundler.BundleRequest} into an image ({@code build}, {@code push}), a lockfile ({@code
 * plan}) or a wheelhouse ({@code compile}), and cleans up after them; user mistakes are {@link
 * dev.bundler.InvalidInputException}s naming their parameter, everything else {@link
 * dev.bundler.EnvironmentException}s. {@link dev.bundler.Parameter} defines every parameter and
 * its default once; messages refer to parameters, and a front end renders them in its users'
 * syntax ({@link dev.bundler.ParameterSpelling}). The stages ({@code DebianStage}, {@code
 * CompileStage}) are package-private.
 */
package dev.bundler;
