#!/bin/sh
# The runner's trivial entrypoint: run the command given, with the virtualenv first on PATH.
exec "$@"
