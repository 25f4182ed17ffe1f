/**
 * One build, as a pipeline of stages over values ({@link dev.bundler.build.Pipeline}): the Debian
 * resolution ({@code DebianStage}), the compile stage (the wheelhouse: wheels at hand, or one
 * {@code pip wheel} run on the compiler's unpacked root file system) and the bytecode, the wheels
 * chosen, then the {@link dev.bundler.build.BuildPlan} with every layer's key and the image config;
 * the image stage writes what is missing of it. Layers are made once (local cache, else the
 * registry cache, else written here, several at a time) and a build whose outputs' record still
 * holds does nothing at all ({@code UpToDate}).
 */
package dev.bundler.build;
