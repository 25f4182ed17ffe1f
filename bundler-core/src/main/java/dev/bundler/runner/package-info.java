/**
 * The runner image's contract: layout of the application user's home and settings directory,
 * environment, entrypoint, ports, volumes, the templates shipped into the image (a project's own
 * read safely), the application's crontab in either of its formats, cron's PAM configuration, and
 * the environment, ports, volumes and labels a project adds.
 */
package dev.bundler.runner;
