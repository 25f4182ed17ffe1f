#!/bin/sh
# cronwrapper.sh: runs one of the application's Django management commands from its crontab.
#   cronwrapper.sh [--kill-previous] [--environment ENV] [--fleet FLEET] COMMAND [ARGS...]
# - runs `django-admin COMMAND ARGS` with the container's environment (~/etc/cron.env);
# - keeps a pid file in ~/run: a run still going makes the next one skip, or with
#   --kill-previous, end it first;
# - --environment / --fleet: runs only where APP_ENVIRONMENT / APP_FLEET has that value;
# - sends its outcome to syslog (when /dev/log is mounted) and prints the command's output when
#   it fails, so that cron reports it.
set -u

kill_previous=false
environment=""
fleet=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --kill-previous) kill_previous=true; shift ;;
    --environment) environment="${2:?--environment needs a value}"; shift 2 ;;
    --fleet) fleet="${2:?--fleet needs a value}"; shift 2 ;;
    --) shift; break ;;
    -*) echo "cronwrapper.sh: unknown option $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
if [ "$#" -eq 0 ]; then
  echo "usage: cronwrapper.sh [--kill-previous] [--environment ENV] [--fleet FLEET] COMMAND [ARGS...]" >&2
  exit 64
fi

if [ -r "$HOME/etc/cron.env" ]; then
  set -a
  . "$HOME/etc/cron.env"
  set +a
fi
command="$1"
tag="${APP_NAME:-app}-cron"

say() {
  if [ -S /dev/log ]; then
    logger -t "$tag" -- "$*"
  else
    echo "$tag: $*" >&2
  fi
}

if [ -n "$environment" ] && [ "${APP_ENVIRONMENT:-}" != "$environment" ]; then
  exit 0
fi
if [ -n "$fleet" ] && [ "${APP_FLEET:-}" != "$fleet" ]; then
  exit 0
fi

pidfile="$HOME/run/cron-$(printf '%s' "$command" | tr -c 'A-Za-z0-9_.-' '_').pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  if [ "$kill_previous" = false ]; then
    say "$command: skipped, the previous run (pid $(cat "$pidfile")) is still going"
    exit 0
  fi
  say "$command: ending the previous run (pid $(cat "$pidfile"))"
  kill "$(cat "$pidfile")" 2>/dev/null
  sleep 1
fi
output="$(mktemp)"
trap 'rm -f "$output"' EXIT

start=$(date +%s)
"$VIRTUAL_ENV/bin/django-admin" "$@" > "$output" 2>&1 &
child=$!
echo "$child" > "$pidfile"
wait "$child"
status=$?
if [ "$(cat "$pidfile" 2>/dev/null)" = "$child" ]; then
  rm -f "$pidfile"
fi
seconds=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then
  say "$command: succeeded in ${seconds}s"
else
  say "$command: failed with status $status after ${seconds}s"
  echo "cronwrapper.sh: django-admin $* failed with status $status; its output:"
  cat "$output"
fi
exit "$status"
