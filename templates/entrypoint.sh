#!/bin/sh
# bundler runner entrypoint: prepares the application's settings, then dispatches the command.
#   si-service SERVICE     renders uwsgi.ini, nginx.conf and supervisord.conf into ~/etc and runs
#                          supervisord in the foreground: nginx on 8080 in front of the package's
#                          WSGI application, with <PACKAGE>_SERVICE=SERVICE in its environment
#   cron                   runs cron's daemon in the foreground with the application's crontab
#                          (its jobs run as the application user; the daemon needs root:
#                          run the image with --user root); ~/etc/cron.env gets the environment
#   shell                  an interactive bash (sh if bash is absent)
#   pyscript SCRIPT [ARGS] runs /scripts/SCRIPT with the virtualenv's python, in /scripts
#   django-admin CMD [ARGS] runs the application's Django management command
#   anything else          executed as a command
# At every start settings.ini is rendered into ~/etc and the operator's *.ini files from /config
# (then /config/SERVICE) are copied over it. The environment (PATH with the virtualenv first,
# DJANGO_SETTINGS_MODULE, <PACKAGE>_CONFIG, APP_* facts) comes from the image config. Templates
# are in ~/templates; {{NAME}} placeholders are filled from the variables below (none of them
# starts with UWSGI_: uWSGI would read such a variable as one of its options).
set -eu

if [ "$#" -eq 0 ]; then
  set -- shell
fi
command="$1"
shift

upper() {
  printf '%s' "$1" | tr '[:lower:]' '[:upper:]'
}

export ETC="$HOME/etc" LOGS="$HOME/logs" RUN="$HOME/run" TEMPLATES="$HOME/templates"
export SERVICE=""
export PYTHON_PLUGIN="python$(printf '%s' "$PYTHON_VERSION" | tr -d .)"
export SERVICE_VARIABLE="$(upper "$APP_PACKAGE")_SERVICE"
export CONFIG_VARIABLE="$(upper "$APP_PACKAGE")_CONFIG"
export CONFIG="$(eval "printf '%s' \"\${$CONFIG_VARIABLE:-$ETC/settings.ini}\"")"
export STATIC_ROOT="$VIRTUAL_ENV/lib/python$PYTHON_VERSION/site-packages/$APP_PACKAGE/static"
export SYSLOG_LOGGER=""
export EXPORTED_ENVIRONMENT=""

# render NAME: ~/templates/NAME with its {{VARIABLE}}s filled in, written to ~/etc/NAME.
render() {
  "$VIRTUAL_ENV/bin/python" - "$TEMPLATES/$1" "$ETC/$1" <<'PY'
import os, re, sys
source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    text = f.read()
pattern = re.compile(r"\{\{([A-Z][A-Z0-9_]*)\}\}")
missing = sorted({name for name in pattern.findall(text) if name not in os.environ})
if missing:
    sys.exit("bundler-entrypoint: %s uses unknown placeholders: %s" % (source, ", ".join(missing)))
with open(target + ".tmp", "w", encoding="utf-8") as f:
    f.write(pattern.sub(lambda m: os.environ[m.group(1)], text))
os.replace(target + ".tmp", target)
PY
}

# The operator's *.ini files from DIR, copied over the rendered ones.
copy_config() {
  for file in "$1"/*.ini; do
    if [ -f "$file" ]; then
      cp "$file" "$ETC/" || return 1
    fi
  done
}

prepare() {
  mkdir -p "$ETC" "$LOGS" "$RUN" && render settings.ini && copy_config /config \
    && { [ -z "$SERVICE" ] || copy_config "/config/$SERVICE"; }
}

case "$command" in
  cron)
    if [ "$(id -u)" -ne 0 ]; then
      echo "cron: cron's daemon needs root (its jobs run as $(id -un)): run the image with" \
        "--user root, e.g. podman run --user root IMAGE cron" >&2
      exit 77
    fi
    owner="$(stat -c %u:%g "$HOME")"
    user="$(stat -c %U "$HOME")"
    EXPORTED_ENVIRONMENT="$(export -p | grep -v -e '^export EXPORTED_ENVIRONMENT=' -e '^export OLDPWD')"
    prepare
    render cron.env
    chmod 600 "$ETC/cron.env"
    chown -R "$owner" "$ETC" "$LOGS" "$RUN"
    if [ ! -f "/var/spool/cron/crontabs/$user" ]; then
      echo "cron: $APP_NAME ships no crontab ($APP_PACKAGE/crontab): cron runs with no jobs" >&2
    fi
    # Containers cannot set the login uid: cron's PAM session must not require it.
    if grep -Eq '^session[[:space:]]+required[[:space:]]+pam_loginuid.so' /etc/pam.d/cron 2>/dev/null; then
      sed -i -E 's/^(session[[:space:]]+)required([[:space:]]+pam_loginuid.so)/\1optional\2/' /etc/pam.d/cron
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
      SYSLOG_LOGGER="plugins = syslog
logger = syslog:$APP_NAME-$SERVICE"
    fi
    prepare
    for name in uwsgi.ini nginx.conf supervisord.conf; do
      render "$name"
    done
    exec supervisord -c "$ETC/supervisord.conf"
    ;;
esac

if ! prepare; then
  echo "bundler-entrypoint: the settings could not be prepared in $ETC; going on without them" >&2
fi

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
