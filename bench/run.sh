#!/usr/bin/env bash
# Side-by-side benchmark: bundler against the seed-style three-stage `docker build` it replaces
# (BuildKit, one Dockerfile per stage: bench/docker/), on the same application, in one run,
# alternating the two tools. See bench/README.md for what each figure measures and what each side
# re-does; bench/RESULTS.md records a run. Then the registry cache scenario of issue 10: a real
# docker-registry over TLS with a login, two machines (cache directories) building the same image,
# a push from a third.
#
#   bash bench/run.sh                      # everything (about 10 minutes on 2 cores)
#   BENCH_ONLY=bundler bash bench/run.sh   # one side only (or BENCH_ONLY=docker)
#   BENCH_ONLY=registry bash bench/run.sh  # the registry cache scenario only
#   BENCH_RUNS=1 bash bench/run.sh         # warm and application-change runs per tool (default 3)
#   BENCH_START_RUNS=5                     # container starts per image and command (default 5)
#   BENCH_BUNDLER_ARGS="-Dbundler.x=y"     # extra arguments for every bundler build command
#   BUNDLER_CORPUS=DIR                     # the offline Python corpus (default ../shared/python-corpus)
#   BENCH_CACHE_ROOT=DIR                   # where bundler's cache directories go (default target/bench/c)
#
# Prints a table (docker, bundler, bundler/docker) and writes every figure, the machine, the commit
# and the command to target/bench/results.json. Work files stay under target/bench/; the
# debootstrap'd base (standing for a pulled debian:bookworm) is cached there between runs.
set -Eeuo pipefail
# (No LC_ALL=C here: bundler's builds run in the caller's locale, as a user's would.)
cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "bench: $*" >&2; exit 1; }
step() { echo "== $*"; }
trap 'die "failed at line $LINENO (exit $?): $BASH_COMMAND"' ERR

only=${BENCH_ONLY:-}
case "$only" in ""|docker|bundler|registry) ;; *) die "BENCH_ONLY must be docker, bundler or registry, not '$only'" ;; esac
runs=${BENCH_RUNS:-3}
start_runs=${BENCH_START_RUNS:-5}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number, not '$runs'"
[[ "$start_runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_START_RUNS must be a positive number, not '$start_runs'"
read -r -a bundler_args <<< "${BENCH_BUNDLER_ARGS:-}"
corpus=$(realpath -m "${BUNDLER_CORPUS:-$root/../shared/python-corpus}")
[ -d "$corpus" ] || die "no Python corpus at $corpus (set BUNDLER_CORPUS)"
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

package=Django==3.2.25
work=$root/target/bench
samples=$work/samples.tsv
mkdir -p "$work"

# ---------------------------------------------------------------------------------------------
step "Prerequisites"
[ "$(id -u)" -eq 0 ] || die "run as root: dockerd and debootstrap need it"
bash scripts/prerequisites.sh debootstrap time curl
docker=/usr/bin/docker # Debian's docker.io client: BuildKit built in (the one on PATH may need buildx)
for tool in "$docker" /usr/sbin/dockerd /usr/sbin/debootstrap /usr/bin/time podman python3 \
    docker-registry htpasswd openssl skopeo curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/prerequisites.sh should have installed it)"
done

# The machine's Debian mirror, read from its APT configuration; never written into the project.
sources=/etc/apt/sources.list.d/debian.sources
[ -r "$sources" ] || die "no $sources: the Debian mirror is read from the machine's APT configuration"
mirror=$(python3 "$root/bench/lib/mirror.py" "$sources" bookworm) \
  || die "no deb source for bookworm in $sources"

: > "$samples"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$samples"; } # tool figure run value
now() { echo "${EPOCHREALTIME/,/.}"; } # a decimal comma in some locales
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
stop_process() { # stop_process PID SECONDS: TERM, then KILL if it is still there after SECONDS
  kill "$1" 2>/dev/null || true
  for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
record machine load_start - "$(load)"

# ---------------------------------------------------------------------------------------------
# Docker side
dwork=$work/docker
ctx=$dwork/context
dockerd_pid=
export DOCKER_HOST=unix://$dwork/docker.sock DOCKER_BUILDKIT=1

unmount_under() { # leftovers of an engine that did not stop cleanly
  findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r | xargs -r umount -l
}
stop_dockerd() {
  [ -n "$dockerd_pid" ] || return 0
  stop_process "$dockerd_pid" 20
  dockerd_pid=
  unmount_under "$dwork"
}
start_dockerd() { # start_dockerd fresh|keep
  if [ -f "$dwork/dockerd.pid" ]; then # an engine a previous run of this script left behind
    local old
    old=$(cat "$dwork/dockerd.pid")
    if tr '\0' ' ' < "/proc/$old/cmdline" 2>/dev/null | grep -q -- "--data-root $dwork/data "; then
      dockerd_pid=$old; stop_dockerd
    fi
    rm -f "$dwork/dockerd.pid"
  fi
  unmount_under "$dwork"
  if [ "$1" = fresh ]; then rm -rf "$dwork/data" "$dwork/exec"; fi
  mkdir -p "$dwork/data" "$dwork/exec"
  /usr/sbin/dockerd -H "$DOCKER_HOST" --data-root "$dwork/data" --exec-root "$dwork/exec" \
    --pidfile "$dwork/dockerd.pid" --iptables=false --bridge=none >> "$dwork/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 150); do
    "$docker" version >/dev/null 2>&1 && return 0
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -20 "$dwork/dockerd.log" >&2
  die "dockerd did not start (log: $dwork/dockerd.log)"
}
# shellcheck source=bench/lib/registry.sh
source "$root/bench/lib/registry.sh" # the registry cache scenario: start_registry, stop_registry...
trap 'stop_dockerd; stop_registry' EXIT

docker_build() { # docker_build STAGE LOG [docker build args...]: one stage, its time recorded
  local stage=$1 log=$2; shift 2
  local t0
  t0=$(now)
  "$docker" build --network host --progress plain -f "$root/bench/docker/$stage.Dockerfile" "$@" \
    "$ctx" > "$log" 2>&1 || { tail -30 "$log" >&2; die "docker build of $stage failed (log: $log)"; }
  stage_seconds=$(seconds_since "$t0")
}
# quiesce: before every timed run of either tool, the disk writes the previous run left in the
# page cache are written out, so that one tool's run does not pay for the other's (on these
# machines the write-back of a cold build goes on for seconds and slows the next run's I/O).
quiesce() { sync; }

docker_run() { # docker_run FIGURE RUN PACKAGE TAG: the three stages, as the seed's build ran them
  local figure=$1 run=$2 pkg=$3 tag=$4 logs=$dwork/logs/$1-$2 total=0
  mkdir -p "$logs"
  quiesce
  local t0
  t0=$(now)
  docker_build base "$logs/base.log" --build-arg BASE=bench/bookworm-minbase -t bench/base
  record docker "$figure.base" "$run" "$stage_seconds"
  docker_build compiler "$logs/compiler.log" --build-arg BASE=bench/base --build-arg "PACKAGE=$pkg" \
    -t bench/compiler
  record docker "$figure.compiler" "$run" "$stage_seconds"
  docker_build runner "$logs/runner.log" --build-arg BASE=bench/base --build-arg COMPILER=bench/compiler \
    --build-arg "PACKAGE=$pkg" -t "$tag"
  record docker "$figure.runner" "$run" "$stage_seconds"
  total=$(seconds_since "$t0")
  record docker "$figure" "$run" "$total"
  echo "   docker  $figure $run: $total s"
}

if want docker; then
  step "Docker: the bookworm base (debootstrap, cached: it stands for a pulled debian:bookworm)"
  base_tar=$work/base/bookworm-minbase.tar
  if [ ! -s "$base_tar" ]; then
    rootfs=$work/base/rootfs
    rm -rf "$rootfs" && mkdir -p "$work/base"
    t0=$(now)
    /usr/sbin/debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$work/base/debootstrap.log" 2>&1 \
      || { tail -20 "$work/base/debootstrap.log" >&2; die "debootstrap failed (log: $work/base/debootstrap.log)"; }
    # As Debian's own container images are: no downloaded .debs, no package lists.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*
    tar --numeric-owner -C "$rootfs" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
    rm -rf "$rootfs"
    record docker debootstrap - "$(seconds_since "$t0")"
  fi

  step "Docker: build context (the machine's APT sources, the corpus, the application)"
  rm -rf "$ctx" && mkdir -p "$ctx/apt" "$ctx/corpus" "$ctx/app"
  cp "$sources" "$ctx/apt/"
  find "$corpus" -maxdepth 1 -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.zip' \) \
    -exec cp {} "$ctx/corpus/" \;
  cp "$root/bench/docker/entrypoint.sh" "$ctx/"
fi

# ---------------------------------------------------------------------------------------------
# bundler side
bwork=$work/bundler
# bundler's cache directories (this side's, and the registry scenario's machines) lie under a short
# path: podman 4.3 refuses a --runroot longer than 50 characters in the cleanup command it gives
# every container, and bundler keeps podman's run root in CACHE/podman/run, so with a longer path
# each container run bundler makes waits out podman's 20 s exit timeout (see check_cache below).
cache_root=$(realpath -m "${BENCH_CACHE_ROOT:-$work/c}")
cache=$cache_root/bench
m2=$work/m2 # private local repository: other worktrees install the same SNAPSHOT into ~/.m2
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
plugin="dev.bundler:bundler-maven-plugin:$version"
mvn_common=(-B -ntp "-Dmaven.repo.local=$m2")
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"

check_cache() { # check_cache DIR: warns when podman would refuse the run root bundler keeps under DIR
  local runroot=$1/podman/run
  if [ "${#runroot}" -gt 50 ]; then
    echo "bench: warning: $runroot is ${#runroot} characters long; podman refuses a run root over 50 in" \
      "the cleanup of each container, so every container run of bundler's waits 20 s more (set" \
      "BENCH_CACHE_ROOT to a shorter directory)" >&2
    record machine podman_runroot_over_50 - "$runroot"
  fi
}

# bundler_mvn TOOL FIGURE RUN LOGDIR PROJECT CACHE GOAL [ARGS...]: one Maven run of bundler's
# plugin in PROJECT with CACHE as its cache directory, its time, peak RSS and digest recorded.
bundler_mvn() {
  local tool=$1 figure=$2 run=$3 logs=$4 project=$5 cachedir=$6 goal=$7; shift 7
  local log=$logs/$figure-$run.log
  mkdir -p "$logs" "$project"
  quiesce
  local t0
  t0=$(now)
  (cd "$project" && env -u CONTAINERS_CONF -u CONTAINERS_STORAGE_CONF "${bundler_env[@]}" \
    /usr/bin/time -f '%M' -o "$logs/rss" mvn "${mvn_common[@]}" "$plugin:$goal" \
      "-Dbundler.cacheDir=$cachedir" "$@" "${bundler_args[@]}" \
      > "$log" 2>&1) || { grep -v '^.\{13\}\[INFO\]   | ' "$log" | tail -30 >&2; die "bundler $goal failed (log: $log)"; }
  local total
  total=$(seconds_since "$t0")
  record "$tool" "$figure" "$run" "$total"
  record "$tool" "$figure.rss_kib" "$run" "$(cat "$logs/rss")"
  if [ -s "$project/target/bundler/image.digest" ]; then
    record "$tool" "$figure.digest" "$run" "$(cat "$project/target/bundler/image.digest")"
  fi
  echo "   $tool $figure $run: $total s, peak RSS $(( $(cat "$logs/rss") / 1024 )) MiB"
}
bundler_env=() # extra environment for bundler_mvn (the registry scenario's BUNDLER_CACHE_KEY)

bundler_run() { # bundler_run FIGURE RUN PROJECT PACKAGE FINDLINKS: a build of this side's
  bundler_mvn bundler "$1" "$2" "$bwork/logs" "$3" "$cache" build "-Dpackage=$4" "-Dbundler.findLinks=$5"
}

if want bundler || want registry; then
  step "bundler: the plugin, built from this worktree (into $m2)"
  if [ ! -d "$m2" ]; then
    mkdir -p "$m2.tmp"
    if [ -d "$HOME/.m2/repository" ]; then cp -a "$HOME/.m2/repository/." "$m2.tmp/"; fi
    rm -rf "$m2.tmp/dev/bundler" && mv "$m2.tmp" "$m2"
  fi
  mvn "${mvn_common[@]}" -q install -DskipTests -Dinvoker.skip=true > "$work/install.log" 2>&1 \
    || { tail -30 "$work/install.log" >&2; die "building the plugin failed (log: $work/install.log)"; }
fi

if want bundler; then
  check_cache "$cache"
  step "bundler: Maven's own start-up (a pom with no plugin validated; mvn -v; the build goal skipped)"
  mkdir -p "$bwork/empty" "$bwork/trivial"
  cat > "$bwork/trivial/pom.xml" <<'EOF'
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>trivial</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
</project>
EOF
  for i in $(seq 0 "$start_runs"); do # run 0 warms up
    t0=$(now)
    (cd "$bwork/trivial" && mvn "${mvn_common[@]}" -q validate > "$bwork/trivial.log" 2>&1) \
      || { cat "$bwork/trivial.log" >&2; die "mvn validate of an empty pom failed"; }
    if [ "$i" -gt 0 ]; then record bundler maven_startup "$i" "$(seconds_since "$t0")"; fi
    t0=$(now)
    (cd "$bwork/empty" && mvn "${mvn_common[@]}" -q -v > /dev/null 2>&1) || die "mvn -v failed"
    if [ "$i" -gt 0 ]; then record bundler maven_version "$i" "$(seconds_since "$t0")"; fi
    t0=$(now)
    (cd "$bwork/empty" && mvn "${mvn_common[@]}" -q "$plugin:build" -Dbundler.skip=true "-Dpackage=$package" \
      > "$bwork/skip.log" 2>&1) || { cat "$bwork/skip.log" >&2; die "mvn $plugin:build -Dbundler.skip failed"; }
    if [ "$i" -gt 0 ]; then record bundler maven_skipped_goal "$i" "$(seconds_since "$t0")"; fi
  done
fi

# ---------------------------------------------------------------------------------------------
# The report, once every figure is in.
finish() {
  record machine load_end - "$(load)"
  stop_dockerd
  stop_registry
  local command_line="bash bench/run.sh" var
  for var in BENCH_ONLY BENCH_RUNS BENCH_START_RUNS BENCH_BUNDLER_ARGS BUNDLER_CORPUS BENCH_CACHE_ROOT; do
    if [ -n "${!var:-}" ]; then command_line="$var=${!var} $command_line"; fi
  done
  python3 "$root/bench/lib/report.py" --work "$work" --command "$command_line" \
    --docker-version "$("$docker" --version 2>/dev/null || true)" --podman-version "$(podman --version)" \
    --bundler-version "$version"
}

if [ "$only" = registry ]; then registry_scenario; finish; exit 0; fi

# ---------------------------------------------------------------------------------------------
step "Cold builds: empty caches, downloads included"
if want docker; then
  start_dockerd fresh # an empty data root: no image, no BuildKit cache; the base is imported again
  t0=$(now)
  "$docker" import - bench/bookworm-minbase < "$base_tar" > /dev/null
  record docker base_import - "$(seconds_since "$t0")"
  docker_run cold 1 "$package" bench/django:3.2.25
fi
if want bundler; then
  rm -rf "$cache" "$bwork/django"
  bundler_run cold 1 "$bwork/django" "$package" "$corpus"
fi

step "Warm rebuilds, nothing changed ($runs per tool)"
for i in $(seq "$runs"); do
  if want docker; then docker_run warm "$i" "$package" bench/django:3.2.25; fi
  if want bundler; then bundler_run warm "$i" "$bwork/django" "$package" "$corpus"; fi
done

step "Application-only change: benchapp, a new version each run (run 0 adds it; $runs measured)"
appwheels=$work/app/wheels
for i in $(seq 0 "$runs"); do
  rm -rf "$appwheels" && mkdir -p "$appwheels"
  python3 "$root/bench/app/make_app.py" "1.0.$i" "$appwheels" > /dev/null
  figure=app_change
  if [ "$i" -eq 0 ]; then figure=app_first; fi
  if want docker; then
    rm -rf "$ctx/app" && cp -r "$appwheels" "$ctx/app"
    docker_run "$figure" "$i" "benchapp==1.0.$i" "bench/benchapp:1.0.$i"
  fi
  if want bundler; then
    bundler_run "$figure" "$i" "$bwork/benchapp" "benchapp==1.0.$i" "$appwheels,$corpus"
  fi
done

# ---------------------------------------------------------------------------------------------
step "Images: layers, compressed and unpacked ($package)"
images=()
if want docker; then
  "$docker" save -o "$dwork/django.tar" bench/django:3.2.25
  images+=("docker=docker-archive:$dwork/django.tar")
fi
if want bundler; then images+=("bundler=oci-archive:$bwork/django/target/bundler/image.tar"); fi
for image in "${images[@]}"; do
  tool=${image%%=*} ref=${image#*=}
  python3 "$root/bench/lib/image_size.py" "${ref#*:}" > "$work/size-$tool.json"
  record "$tool" image_size - "$(cat "$work/size-$tool.json")"
done

step "Container start: django-admin --version minus --entrypoint /bin/true, podman ($start_runs runs, after one warm-up)"
pwork=$work/podman
mkdir -p "$pwork"
hard_nofile=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu)
if [ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ]; then hard_nproc=32768; fi
cat > "$pwork/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$hard_nofile:$hard_nofile", "nproc=$hard_nproc:$hard_nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat > "$pwork/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$pwork/storage"
runroot = "$pwork/run"
EOF
run_podman() { CONTAINERS_CONF=$pwork/containers.conf CONTAINERS_STORAGE_CONF=$pwork/storage.conf podman "$@"; }
run_podman rmi --all --force > /dev/null 2>&1 || true
for i in $(seq 0 "$start_runs"); do # run 0 warms up (and stores the image in podman)
  for image in "${images[@]}"; do
    tool=${image%%=*} ref=${image#*=}
    t0=$(now)
    out=$(run_podman run --rm --quiet --network host "$ref" django-admin --version 2>&1) \
      || die "podman run $ref django-admin --version failed: $out"
    if [ "$i" -gt 0 ]; then record "$tool" start_command "$i" "$(seconds_since "$t0")"; fi
    [ "$out" = "3.2.25" ] || die "django-admin --version in $ref printed '$out', not 3.2.25"
    t0=$(now)
    run_podman run --rm --quiet --network host --entrypoint /bin/true "$ref" > /dev/null 2>&1 \
      || die "podman run --entrypoint /bin/true $ref failed"
    if [ "$i" -gt 0 ]; then record "$tool" start_true "$i" "$(seconds_since "$t0")"; fi
  done
done

# ---------------------------------------------------------------------------------------------
stop_dockerd # not needed any more: the registry scenario runs on a quieter machine
if want registry; then registry_scenario; fi
finish
