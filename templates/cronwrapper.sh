#!/bin/sh
# cronwrapper.sh: runs one of the application's Django management commands for its crontab, with
# the switches of the seed's wrapper:
#   cronwrapper.sh [--all|--master] [--environment ENV] [--fleet FLEET] [--kill-previous] COMMAND [ARGS...]
# - runs `django-admin COMMAND ARGS` with the container's environment (~/etc/cron.env), in a
#   process group of its own;
# - --all and --master are accepted, and change nothing: a container is one host;
# - --environment / --fleet: runs only where the environment / fleet has that value: the variable
#   APP_ENVIRONMENT / APP_FLEET when it is set, else the Django setting ENVIRONMENT / FLEET_ID
#   (which the application takes from the operator's settings files);
# - holds the lock ~/run/cron-COMMAND.lock (flock) while the command runs: the next run of the
#   same command is skipped while one goes on, or with --kill-previous, ends the previous run's
#   process group (SIGTERM, then SIGKILL after 10 s) and waits for it before starting;
# - sends its outcome and the command's output to syslog (tag APP_NAME.cron.COMMAND, facility
#   cron) when /dev/log (or $SYSLOG_SOCKET) is a socket, else to ~/logs/cron.log; a failure's
#   outcome and output are also printed, so that cron reports them.
set -u

usage() {
  echo "usage: cronwrapper.sh [--all|--master] [--environment ENV] [--fleet FLEET]" \
    "[--kill-previous] COMMAND [ARGS...]" >&2
  exit "$1"
}

kill_previous=false
environment=""
fleet=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --all|--master) shift ;;
    --kill-previous) kill_previous=true; shift ;;
    --environment) [ "$#" -ge 2 ] || usage 64; environment="$2"; shift 2 ;;
    --fleet) [ "$#" -ge 2 ] || usage 64; fleet="$2"; shift 2 ;;
    --help|-h) usage 0 ;;
    --) shift; break ;;
    -*) echo "cronwrapper.sh: unknown option $1" >&2; usage 64 ;;
    *) break ;;
  esac
done
if [ "$#" -eq 0 ]; then
  usage 64
fi

if [ -r "$HOME/etc/cron.env" ]; then
  set -a
  . "$HOME/etc/cron.env"
  set +a
fi
name="$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' '_')"
tag="${APP_NAME:-app}.cron.$name"
log="$HOME/logs/cron.log"
syslog="${SYSLOG_SOCKET:-/dev/log}"

# say LEVEL MESSAGE and say_file LEVEL FILE: to syslog, else to ~/logs/cron.log (kept under 1 MiB).
say() {
  if [ -S "$syslog" ]; then
    logger -u "$syslog" -t "$tag" -p "cron.$1" -- "$2" 2>/dev/null
  else
    printf '%s %s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$tag" "$1" "$2" >> "$log"
  fi
}
say_file() {
  if [ ! -s "$2" ]; then
    return 0
  fi
  if [ -S "$syslog" ]; then
    logger -u "$syslog" -t "$tag" -p "cron.$1" -f "$2" 2>/dev/null
  else
    sed "s/^/$(date -u +%Y-%m-%dT%H:%M:%SZ) $tag $1: /" "$2" >> "$log"
    if [ "$(stat -c %s "$log" 2>/dev/null || echo 0)" -gt 1048576 ]; then
      mv -f "$log" "$log.1"
    fi
  fi
}

# setting VARIABLE DJANGO_SETTING: the variable's value if it is set, else the Django setting's.
setting() {
  if printenv "$1"; then
    return 0
  fi
  "$VIRTUAL_ENV/bin/python" -c 'import sys
from django.conf import settings
print(getattr(settings, sys.argv[1], "") or "")' "$2" 2>/dev/null
}

if [ -n "$environment" ]; then
  current="$(setting APP_ENVIRONMENT ENVIRONMENT)"
  if [ "$current" != "$environment" ]; then
    say info "$* skipped: the environment is '${current}', not '$environment'"
    exit 0
  fi
fi
if [ -n "$fleet" ]; then
  current="$(setting APP_FLEET FLEET_ID)"
  if [ "$current" != "$fleet" ]; then
    say info "$* skipped: the fleet is '${current}', not '$fleet'"
    exit 0
  fi
fi

# The lock, held on descriptor 9 by this script and the command (which inherits it) until both
# are gone; the file holds the process group of the run that holds it.
lock="$HOME/run/cron-$name.lock"
if ! exec 9>>"$lock"; then
  echo "cronwrapper.sh: cannot open the lock $lock" >&2
  exit 75
fi
if ! flock -n 9; then
  group="$(cat "$lock")"
  if [ "$kill_previous" = false ]; then
    say info "$* skipped: the previous run (process group ${group:-starting}) is still going"
    exit 0
  fi
  case "$group" in
    ''|*[!0-9]*) ;;
    *)
      say info "$*: ending the previous run (process group $group)"
      kill -TERM -"$group" 2>/dev/null
      ;;
  esac
  if ! flock -w 10 9; then
    [ -z "$group" ] || kill -KILL -"$group" 2>/dev/null
    if ! flock -w 5 9; then
      say err "$*: the previous run (process group $group) did not end; not started"
      echo "cronwrapper.sh: the previous run of $* (process group $group) did not end" >&2
      exit 75
    fi
  fi
fi
: > "$lock"

output="$(mktemp)"
trap 'rm -f "$output"' EXIT
start=$(date +%s)
setsid "$VIRTUAL_ENV/bin/django-admin" "$@" > "$output" 2>&1 < /dev/null &
child=$!
printf '%s\n' "$child" > "$lock"
wait "$child"
status=$?
seconds=$(( $(date +%s) - start ))
if [ "$status" -eq 0 ]; then
  say info "$*: succeeded in ${seconds}s"
  say_file info "$output"
else
  say err "$*: failed with status $status after ${seconds}s"
  say_file err "$output"
  echo "cronwrapper.sh: django-admin $* failed with status $status after ${seconds}s; its output:"
  cat "$output"
fi
exit "$status"
