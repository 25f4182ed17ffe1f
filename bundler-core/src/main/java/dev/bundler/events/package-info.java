/**
 * Events of a bundler run: log lines and progress, delivered to an {@link
 * dev.bundler.events.EventHandler} so that the core never prints.
 */
package dev.bundler.events;
