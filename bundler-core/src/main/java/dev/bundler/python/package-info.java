/**
 * Python packaging as bundler needs it, written from the standards: PEP 440 versions and
 * specifiers, PEP 508 requirements and markers, wheel names and compatibility tags, and the wheel
 * installer that lays a virtualenv into an image layer.
 */
package dev.bundler.python;
