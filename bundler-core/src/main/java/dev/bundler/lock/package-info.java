/** The lockfile, {@code bundler.lock.json}: a resolution written down so it can be repeated. */
package dev.bundler.lock;
