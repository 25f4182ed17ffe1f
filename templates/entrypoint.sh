#!/bin/sh
# bundler runner entrypoint: prepares the application's settings, then dispatches the command.
#   si-service SERVICE     renders uwsgi.ini, nginx.conf and supervisord.conf into ~/etc and runs
#                          supervisord: nginx on 8080 in front of the package's WSGI application,
#                          with <PACKAGE>_SERVICE=SERVICE in its environment. SIGTERM stops nginx
#                          then uWSGI gracefully; a program that goes FATAL ends the container
#                          with status 70
#   cron                   runs cron's daemon in the foreground with the application's crontab
#                          (its jobs run as the application user; the daemon needs root:
#                          run the image with --user root); ~/etc/cron.env gets the environment
#   shell                  an interactive bash (sh if bash is absent)
#   pyscript SCRIPT [ARGS] runs /scripts/SCRIPT with the virtualenv's python, in /scripts
#   django-admin CMD [ARGS] runs the application's Django management command
#   anything else          executed as a command
# As PID 1 it first starts itself again under tini, which passes signals on and reaps zombies.
#
# Settings, at every start: the base settings (~/templates/settings.ini) are rendered as
# 50_base_settings.ini into the application's settings directory (~/django_config), and the
# operator's *.ini files are copied next to them from /config/si_config, /config and, for
# si-service, /config/SERVICE (a file of the same name copied later replaces an earlier one).
# <PACKAGE>_CONFIG is the glob of that directory (.../*.ini): the application reads the files in
# sorted order, later ones winning, so the operator's 90_site.ini overrides the base settings.
# An operator's uwsgi.ini, nginx.conf or supervisord.conf in /config/SERVICE or /config replaces
# the image's template of that name for si-service (uwsgi.ini is not copied as settings).
#
# The environment (PATH with the virtualenv first, DJANGO_SETTINGS_MODULE, <PACKAGE>_CONFIG,
# APP_* facts) comes from the image config. Templates are in ~/templates; their {{NAME}}
# placeholders are filled by render() below, each value escaped for the file it goes into.
set -eu

if [ "$$" -eq 1 ]; then
  if [ -x /usr/bin/tini ]; then
    exec /usr/bin/tini -- "$0" "$@"
  fi
  echo "bundler-entrypoint: /usr/bin/tini is missing: running as PID 1 without an init" \
    "(podman stop waits its timeout, zombies are not reaped)" >&2
fi

if [ "$#" -eq 0 ]; then
  set -- shell
fi
command="$1"
shift

# Every start runs the lines below, so they start no process they can do without: upper and
# without_dots are the shell's own, and settings.ini is rendered by render_here, not Python.

# upper TEXT: sets upper to TEXT with its letters a to z in capitals.
upper() {
  rest="$1"
  upper=""
  while [ -n "$rest" ]; do
    char="${rest%"${rest#?}"}"
    rest="${rest#?}"
    case "$char" in
      [abcdefghijklmnopqrstuvwxyz])
        pair="${LETTER_PAIRS#*"$char"}"
        char="${pair%"${pair#?}"}"
        ;;
    esac
    upper="$upper$char"
  done
}
LETTER_PAIRS=aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ

# without_dots TEXT: sets without_dots to TEXT with its dots taken out (3.11 gives 311).
without_dots() {
  without_dots="$1"
  while :; do
    case "$without_dots" in
      *.*) without_dots="${without_dots%%.*}${without_dots#*.}" ;;
      *) return ;;
    esac
  done
}

ETC="$HOME/etc"
LOGS="$HOME/logs"
RUN="$HOME/run"
TEMPLATES="$HOME/templates"
SETTINGS="$HOME/django_config"
BASE_SETTINGS=50_base_settings.ini
SERVICE=""
upper "$APP_PACKAGE"
SERVICE_VARIABLE="${upper}_SERVICE"
CONFIG_VARIABLE="${upper}_CONFIG"
CONFIG="$(printenv "$CONFIG_VARIABLE" || printf '%s' "$SETTINGS/*.ini")"
SYSLOG_LOGGER=""
EXPORTED_ENVIRONMENT=""

# render TEMPLATE TARGET FORMAT: the template with its {{VARIABLE}}s filled in, written to TARGET.
# FORMAT says how values are escaped: nginx (inside "..."), uwsgi, supervisor, ini or raw. The
# shell renders what needs no escaping (render_here); Python does the rest, and says why a value
# or placeholder is refused.
render() {
  template "$1"
  without_dots "$PYTHON_VERSION"
  PYTHON_PLUGIN="python$without_dots"
  STATIC_ROOT="$VIRTUAL_ENV/lib/python$PYTHON_VERSION/site-packages/$APP_PACKAGE/static"
  case "$3" in
    ini|raw)
      if render_here "$source" "$2" "$3"; then
        return 0
      fi
      ;;
  esac
  env ETC="$ETC" LOGS="$LOGS" RUN="$RUN" TEMPLATES="$TEMPLATES" SETTINGS="$SETTINGS" \
    SERVICE="$SERVICE" SERVICE_VARIABLE="$SERVICE_VARIABLE" CONFIG_VARIABLE="$CONFIG_VARIABLE" \
    CONFIG="$CONFIG" PYTHON_PLUGIN="$PYTHON_PLUGIN" STATIC_ROOT="$STATIC_ROOT" \
    SYSLOG_LOGGER="$SYSLOG_LOGGER" EXPORTED_ENVIRONMENT="$EXPORTED_ENVIRONMENT" \
    "$VIRTUAL_ENV/bin/python" - "$source" "$2" "$3" <<'PY'
import os, re, sys
source, target, form = sys.argv[1:4]
# Values the entrypoint writes itself, several lines long on purpose.
RAW = {"EXPORTED_ENVIRONMENT", "SYSLOG_LOGGER"}
with open(source, encoding="utf-8") as f:
    text = f.read()
pattern = re.compile(r"\{\{([A-Z][A-Z0-9_]*)\}\}")
missing = sorted({name for name in pattern.findall(text) if name not in os.environ})
if missing:
    sys.exit("bundler-entrypoint: %s uses unknown placeholders: %s" % (source, ", ".join(missing)))

def refuse(name, value, why):
    sys.exit("bundler-entrypoint: %s=%r cannot be written into %s: %s; change that value"
             % (name, value, target, why))

def escaped(name):
    value = os.environ[name]
    if name in RAW or form == "raw":
        return value
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        refuse(name, value, "it holds a control character (a new line would start a new option)")
    if form == "nginx":
        if "$" in value:
            refuse(name, value, "nginx reads '$' as a variable and has no escape for it")
        return value.replace("\\", "\\\\").replace('"', '\\"')
    if form == "uwsgi":
        for bad in ("$(", "@(", "%(", "%"):
            if bad in value:
                refuse(name, value, "uWSGI expands %r in its options" % bad)
        if value != value.strip():
            refuse(name, value, "uWSGI strips the spaces around a value")
        return value
    if form == "supervisor":
        if re.search(r"[\s;#\"']", value):
            refuse(name, value, "supervisord splits its commands at spaces and quotes and reads "
                   "';' and '#' as comments")
        return value.replace("%", "%%")
    return value

output = pattern.sub(lambda m: escaped(m.group(1)), text)
with open(target + ".tmp", "w", encoding="utf-8") as f:
    f.write(output)
os.replace(target + ".tmp", target)
PY
}

# render_here TEMPLATE TARGET FORMAT: render() in the shell, for FORMAT ini or raw (no escaping),
# writing the same bytes as Python would. It writes nothing and fails when Python is needed: a
# placeholder that is not one of the names below or not set, or (ini) a control character in a
# value that is not the entrypoint's own several lines.
render_here() {
  rendered=""
  newline="
"
  last=""
  while :; do
    if ! IFS= read -r line; then
      [ -n "$line" ] || break
      last=1
    fi
    render_line "$line" "$3" || return 1
    if [ -n "$last" ]; then
      break
    fi
    rendered="$rendered$line$newline"
  done < "$1"
  rendered="$rendered$line"
  printf '%s' "$rendered" > "$2.tmp" && mv -f "$2.tmp" "$2"
}

# render_line LINE FORMAT: sets line to LINE with its {{NAME}}s filled in (as Python's
# \{\{([A-Z][A-Z0-9_]*)\}\} finds them), or fails.
render_line() {
  rest="$1"
  line=""
  while :; do
    case "$rest" in
      *"{{"*) ;;
      *) line="$line$rest"; return 0 ;;
    esac
    line="$line${rest%%"{{"*}"
    rest="${rest#*"{{"}"
    name="${rest%%"}}"*}"
    if [ "$name" != "$rest" ] && placeholder "$name"; then
      case "$2:$name" in
        raw:*|*:SYSLOG_LOGGER|*:EXPORTED_ENVIRONMENT) ;;
        *) case "$value" in *[[:cntrl:]]*) return 1 ;; esac ;;
      esac
      line="$line$value"
      rest="${rest#*"}}"}"
    else
      case "$name" in
        "$rest") ;;
        [ABCDEFGHIJKLMNOPQRSTUVWXYZ]*)
          case "$name" in *[!ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_]*) ;; *) return 1 ;; esac ;;
      esac
      line="$line{"
      rest="{$rest"
    fi
  done
}

# placeholder NAME: sets value to the value of placeholder NAME, or fails for a name render_here
# leaves to Python (an unknown one, or a variable that is not set).
placeholder() {
  case "$1" in
    ETC) value="$ETC" ;;
    LOGS) value="$LOGS" ;;
    RUN) value="$RUN" ;;
    TEMPLATES) value="$TEMPLATES" ;;
    SETTINGS) value="$SETTINGS" ;;
    SERVICE) value="$SERVICE" ;;
    SERVICE_VARIABLE) value="$SERVICE_VARIABLE" ;;
    CONFIG_VARIABLE) value="$CONFIG_VARIABLE" ;;
    CONFIG) value="$CONFIG" ;;
    PYTHON_PLUGIN) value="$PYTHON_PLUGIN" ;;
    STATIC_ROOT) value="$STATIC_ROOT" ;;
    SYSLOG_LOGGER) value="$SYSLOG_LOGGER" ;;
    EXPORTED_ENVIRONMENT) value="$EXPORTED_ENVIRONMENT" ;;
    APP_NAME) value="${APP_NAME-}"; [ -n "${APP_NAME+set}" ] ;;
    APP_PACKAGE) value="$APP_PACKAGE" ;;
    APP_VERSION) value="${APP_VERSION-}"; [ -n "${APP_VERSION+set}" ] ;;
    PYTHON_VERSION) value="$PYTHON_VERSION" ;;
    VIRTUAL_ENV) value="$VIRTUAL_ENV" ;;
    HOME) value="$HOME" ;;
    *) return 1 ;;
  esac
}

# template NAME: sets source to the operator's /config/SERVICE/NAME or /config/NAME for
# si-service's own files, else to the image's ~/templates/NAME.
template() {
  case "$1" in
    uwsgi.ini|nginx.conf|supervisord.conf)
      for dir in ${SERVICE:+"/config/$SERVICE"} /config; do
        if [ -f "$dir/$1" ]; then
          echo "si-service: using the operator's $dir/$1 instead of the image's template" >&2
          source="$dir/$1"
          return
        fi
      done
      ;;
  esac
  source="$TEMPLATES/$1"
}

# The operator's *.ini files from DIR, copied into the settings directory.
copy_settings() {
  for file in "$1"/*.ini; do
    if [ -f "$file" ] && [ "${file##*/}" != uwsgi.ini ]; then
      cp "$file" "$SETTINGS/" || return 1
    fi
  done
}

# The settings files of the last start, removed.
remove_settings() {
  set -- "$SETTINGS"/*.ini
  if [ -e "$1" ] || [ -L "$1" ]; then
    rm -f "$@"
  fi
}

# uid: sets uid to this process's user id, read from /proc (id -u where there is no /proc).
uid() {
  if [ -r /proc/self/status ]; then
    while read -r key uid rest; do
      if [ "$key" = Uid: ]; then
        return
      fi
    done < /proc/self/status
  fi
  uid="$(id -u)"
}

prepare() {
  if ! [ -d "$ETC" ] || ! [ -d "$LOGS" ] || ! [ -d "$RUN" ] || ! [ -d "$SETTINGS" ]; then
    mkdir -p "$ETC" "$LOGS" "$RUN" "$SETTINGS" || return 1
  fi
  remove_settings || return 1
  render settings.ini "$SETTINGS/$BASE_SETTINGS" ini || return 1
  for dir in /config/si_config /config ${SERVICE:+"/config/$SERVICE"}; do
    copy_settings "$dir" || return 1
  done
  uid
  if [ "$uid" -eq 0 ]; then
    chown -R "$(stat -c %u:%g "$HOME")" "$ETC" "$LOGS" "$RUN" "$SETTINGS" || return 1
  fi
}

# supervise COMMAND...: runs COMMAND (supervisord) as a child, passing it the signals this
# script gets, and exits with its status, or 70 when a program it runs went FATAL.
supervise() {
  child=""
  for signal in TERM INT HUP QUIT USR1 USR2; do
    trap "[ -z \"\$child\" ] || kill -$signal \"\$child\" 2>/dev/null || true" "$signal"
  done
  rm -f "$RUN/fatal"
  "$@" &
  child=$!
  set +e
  wait "$child"
  status=$?
  while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    status=$?
  done
  if [ -s "$RUN/fatal" ]; then
    echo "si-service: $(cat "$RUN/fatal") went FATAL (supervisord could not keep it running):" \
      "the container exits with status 70, to be restarted" >&2
    exit 70
  fi
  exit "$status"
}

case "$command" in
  cron)
    if [ "$(id -u)" -ne 0 ]; then
      echo "cron: cron's daemon needs root (its jobs run as $(id -un)): run the image with" \
        "--user root, e.g. podman run --user root IMAGE cron" >&2
      exit 77
    fi
    user="$(stat -c %U "$HOME")"
    EXPORTED_ENVIRONMENT="$(export -p | grep -v -e '^export OLDPWD')"
    prepare
    render cron.env "$ETC/cron.env" raw
    chmod 600 "$ETC/cron.env"
    chown "$(stat -c %u:%g "$HOME")" "$ETC/cron.env"
    if [ ! -f /etc/cron.d/app ] && [ ! -f "/var/spool/cron/crontabs/$user" ]; then
      echo "cron: $APP_NAME ships no crontab ($APP_PACKAGE/crontab): cron runs with no jobs" >&2
    fi
    exec cron -f -L 15
    ;;
  si-service)
    if [ "$#" -ne 1 ] || ! printf '%s' "$1" | grep -Eq '^[A-Za-z0-9][A-Za-z0-9_.-]*$'; then
      echo "usage: si-service SERVICE (a name such as www, ops or priv_apis)" >&2
      exit 64
    fi
    SERVICE="$1"
    if [ -S /dev/log ]; then
      tag="$(printf '%s' "$APP_NAME-$SERVICE" | tr -c 'A-Za-z0-9_.-' '_')"
      SYSLOG_LOGGER="plugins = syslog
logger = syslog:$tag"
    fi
    prepare
    render uwsgi.ini "$ETC/uwsgi.ini" uwsgi
    render nginx.conf "$ETC/nginx.conf" nginx
    render supervisord.conf "$ETC/supervisord.conf" supervisor
    supervise supervisord -c "$ETC/supervisord.conf"
    ;;
esac

if ! prepare; then
  echo "bundler-entrypoint: the settings could not be prepared in $SETTINGS; going on without them" >&2
fi

case "$command" in
  shell)
    if command -v bash >/dev/null 2>&1; then
      if [ "$#" -eq 0 ] && [ -t 0 ]; then
        # An interactive bash ignores SIGTERM: this rc file lets `podman stop` end it at once.
        if printf '%s\n' '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"' "trap 'exit 143' TERM" \
          > "$ETC/bashrc" 2>/dev/null; then
          exec bash --rcfile "$ETC/bashrc" -i
        fi
      fi
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
