#!/bin/sh
# bundler runner entrypoint: dispatches the image's commands.
#   shell                  an interactive bash (sh if bash is absent)
#   pyscript SCRIPT [ARGS] runs /scripts/SCRIPT with the virtualenv's python, in /scripts
#   django-admin CMD [ARGS] runs the application's Django management command
#   anything else          executed as a command
# The environment (PATH with the virtualenv first, DJANGO_SETTINGS_MODULE, APP_* facts) comes
# from the image config.
set -eu

if [ "$#" -eq 0 ]; then
  set -- shell
fi

command="$1"
shift

case "$command" in
  shell)
    if command -v bash >/dev/null 2>&1; then
      exec bash "$@"
    fi
    exec sh "$@"
    ;;
  pyscript)
    if [ "$#" -eq 0 ]; then
      echo "usage: pyscript SCRIPT [ARGS...] (SCRIPT is a file in /scripts)" >&2
      exit 64
    fi
    script="$1"
    shift
    if [ ! -f "/scripts/$script" ]; then
      echo "pyscript: /scripts/$script does not exist; mount your scripts with -v DIR:/scripts" >&2
      exit 66
    fi
    cd /scripts
    exec "$VIRTUAL_ENV/bin/python" "/scripts/$script" "$@"
    ;;
  django-admin)
    exec "$VIRTUAL_ENV/bin/django-admin" "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
