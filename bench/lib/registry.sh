# shellcheck shell=bash disable=SC2154 # run.sh's variables
# The registry cache scenario of issue 10, sourced by bench/run.sh (it uses run.sh's helpers:
# step, die, record, now, seconds_since, stop_process, bundler_mvn, check_cache, and its variables).
#
# A real docker-registry (Debian's `docker-registry`, the CNCF distribution registry) on 127.0.0.1
# at a free port, over TLS (a self-signed certificate for IP:127.0.0.1) with a login (an htpasswd
# file with a bcrypt entry), stands for a team's registry; three cache directories stand for three
# CI machines, each building in a project directory of its own:
#   machine1: a cold build, empty cache and empty registry (it records what it makes there);
#   machine2: a cold build of the same image, empty local cache, the registry cache warm;
#   machine3: `bundler:push` of the same image to 127.0.0.1:PORT/team/django:3.2.25, empty cache.
# The login reaches bundler as Maven's: a settings.xml <server> whose id is 127.0.0.1:PORT.
# Records are sealed with a BUNDLER_CACHE_KEY of this run's, as CI runners given it as a secret.
# Everything stays under target/bench/registry/ (the registry's config, certificate, htpasswd,
# storage and log; settings.xml; the projects and build logs); the caches under $cache_root/m1..m3.

rwork=$work/registry
registry_pid=
registry=          # 127.0.0.1:PORT once the registry listens
registry_user=bench
registry_password=

stop_registry() {
  [ -n "$registry_pid" ] || return 0
  stop_process "$registry_pid" 5
  registry_pid=
  rm -f "$rwork/registry.pid"
}

start_registry() { # a fresh, empty registry: new storage, certificate and password every run
  if [ -f "$rwork/registry.pid" ]; then # one that a previous run of this script left behind
    local old
    old=$(cat "$rwork/registry.pid")
    if tr '\0' ' ' < "/proc/$old/cmdline" 2>/dev/null | grep -q -- "serve $rwork/config.yml"; then
      registry_pid=$old; stop_registry
    fi
  fi
  rm -rf "$rwork" && mkdir -p "$rwork/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$rwork/key.pem" -out "$rwork/cert.pem" \
    > "$rwork/openssl.log" 2>&1 || { cat "$rwork/openssl.log" >&2; die "openssl could not make the certificate"; }
  registry_password=$(openssl rand -hex 16)
  htpasswd -Bbn "$registry_user" "$registry_password" > "$rwork/htpasswd"
  cat > "$rwork/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $rwork/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
  secret: $(openssl rand -hex 16)
  tls:
    certificate: $rwork/cert.pem
    key: $rwork/key.pem
auth:
  htpasswd:
    realm: bench
    path: $rwork/htpasswd
EOF
  docker-registry serve "$rwork/config.yml" > "$rwork/registry.log" 2>&1 &
  registry_pid=$!
  echo "$registry_pid" > "$rwork/registry.pid"
  local port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$rwork/registry.log" | head -1)
    if [ -n "$port" ] && [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/v2/")" = 401 ]; then
      registry=127.0.0.1:$port
      break
    fi
    kill -0 "$registry_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$registry" ]; then
    tail -20 "$rwork/registry.log" >&2
    die "docker-registry did not start (log: $rwork/registry.log)"
  fi
  local umask_old
  umask_old=$(umask); umask 077
  cat > "$rwork/settings.xml" <<EOF
<settings>
  <servers>
    <server>
      <id>$registry</id>
      <username>$registry_user</username>
      <password>$registry_password</password>
    </server>
  </servers>
</settings>
EOF
  umask "$umask_old"
}

registry_storage_bytes() { # the registry's blobs (manifests included), in bytes
  if [ -d "$rwork/storage/docker/registry/v2/blobs" ]; then
    du -sb "$rwork/storage/docker/registry/v2/blobs" | cut -f1
  else
    echo 0
  fi
}

count_debs() { # count_debs CACHE: the .deb files (ar archives) among a cache's Debian downloads
  local n=0 file
  if [ -d "$1/debian/blobs" ]; then
    while IFS= read -r -d '' file; do
      if head -c 8 "$file" | cmp -s - <(printf '!<arch>\n'); then n=$((n + 1)); fi
    done < <(find "$1/debian/blobs" -type f -print0)
  fi
  echo "$n"
}

dir_bytes() { # dir_bytes DIR: the bytes under DIR (0 when it does not exist)
  if [ -d "$1" ]; then du -sb "$1" | cut -f1; else echo 0; fi
}

count_files() { # count_files DIR: regular files under DIR (0 when it does not exist)
  if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi
}

count_lines() { # count_lines LOG PATTERN...: lines of bundler's log matching any PATTERN (fixed strings)
  local log=$1; shift
  local args=() pattern
  for pattern in "$@"; do args+=(-e "$pattern"); done
  grep -v '^.\{13\}\[INFO\]   | ' "$log" | grep -cF "${args[@]}" || true
}

registry_build() { # registry_build FIGURE MACHINE GOAL [ARGS...]: a bundler run on one "machine"
  local figure=$1 machine=$2 goal=$3; shift 3
  check_cache "$cache_root/$machine"
  rm -rf "${cache_root:?}/$machine" "${rwork:?}/$machine"
  bundler_mvn registry "$figure" 1 "$rwork/logs" "$rwork/$machine" "$cache_root/$machine" "$goal" \
    -s "$rwork/settings.xml" "-Dpackage=$package" "-Dbundler.findLinks=$corpus" \
    "-Dbundler.cacheRepository=$registry/team/bundler-cache" -Dbundler.allowInsecureRegistries=true "$@"
}

registry_scenario() {
  step "Registry cache (issue 10): docker-registry over TLS with a login; two machines build $package, a third pushes it"
  start_registry
  echo "   registry at $registry (files: $rwork)"
  local saved_env=("${bundler_env[@]}")
  bundler_env=("BUNDLER_CACHE_KEY=$(openssl rand -hex 32)")

  # Machine 1: empty cache, empty registry.
  registry_build machine1 m1 build
  local log1=$rwork/logs/machine1-1.log
  record registry machine1.recorded 1 \
    "$(sed -n 's/.*Recording \([0-9]*\) results in the registry cache.*/\1/p' "$log1" | head -1)"
  record registry machine1.registry_bytes 1 "$(registry_storage_bytes)"

  # Machine 2: empty local cache, the registry cache warm.
  registry_build machine2 m2 build
  local log2=$rwork/logs/machine2-1.log
  record registry machine2.debs 1 "$(count_debs "$cache_root/m2")"
  record registry machine2.container_lines 1 \
    "$(count_lines "$log2" "Building the wheelhouse" "Compiling Python bytecode")"
  record registry machine2.roots_laid_out 1 "$(count_lines "$log2" "Laid out the root file system")"
  record registry machine2.layers_written 1 "$(count_lines "$log2" "Wrote layer")"
  record registry machine2.from_registry 1 "$(count_lines "$log2" "from the registry cache")"

  # Machine 3: bundler:push from an empty cache. How each blob got there comes from the registry's
  # access log (bundler's debug lines say it too, but they also name the Debian mirror).
  local before marker
  before=$(registry_storage_bytes)
  marker=$(wc -l < "$rwork/registry.log")
  registry_build push m3 push "-Dbundler.image=$registry/team/django:3.2.25"
  local log3=$rwork/logs/push-1.log
  tail -n +"$((marker + 1))" "$rwork/registry.log" > "$rwork/logs/registry-during-push.log"
  record registry push.storage_before 1 "$before"
  record registry push.storage_after 1 "$(registry_storage_bytes)"
  record registry push.layer_blobs 1 "$(count_files "$cache_root/m3/layers/blobs/sha256")"
  record registry push.debs 1 "$(count_debs "$cache_root/m3")"
  record registry push.wheelhouse_bytes 1 "$(dir_bytes "$cache_root/m3/wheelhouses")"
  record registry push.bytecode_bytes 1 "$(dir_bytes "$cache_root/m3/bytecode")"
  record registry push.container_lines 1 \
    "$(count_lines "$log3" "Building the wheelhouse" "Compiling Python bytecode")"

  local reference=docker://$registry/team/django:3.2.25
  skopeo inspect --tls-verify=false --creds "$registry_user:$registry_password" --raw "$reference" \
    > "$rwork/pushed-manifest.json" || die "skopeo inspect --raw $reference failed"
  local pushed
  pushed=$(skopeo inspect --tls-verify=false --creds "$registry_user:$registry_password" "$reference" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["Digest"])') \
    || die "skopeo inspect $reference failed"
  record registry push.pushed_digest 1 "$pushed"
  record registry push.traffic 1 "$(python3 "$root/bench/lib/push_traffic.py" \
    "$rwork/pushed-manifest.json" "$rwork/logs/registry-during-push.log" team/django)"

  # The login stays out of every log.
  record registry password_in_logs 1 \
    "$(grep -rlF -- "$registry_password" "$rwork/logs" "$rwork/registry.log" | wc -l || true)"
  bundler_env=("${saved_env[@]}")
  stop_registry
}
