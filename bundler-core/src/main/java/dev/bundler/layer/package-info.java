/**
 * Reproducible image layers written by bundler itself: entries with exact modes, owners, symbolic
 * and hard links ({@link dev.bundler.layer.LayerEntry}), the tar writer ({@link
 * dev.bundler.layer.LayerWriter}) and a content-addressed cache keyed by inputs ({@link
 * dev.bundler.layer.LayerCache}).
 */
package dev.bundler.layer;
