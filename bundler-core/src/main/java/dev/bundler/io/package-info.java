/** File helpers shared by caches and outputs: atomic writes. */
package dev.bundler.io;
