#!/usr/bin/env bash
# Measures bundler's speed and memory on the example build (Django 3.2.25 compiled from the offline
# Python corpus, on the Debian base): a cold build (empty cache: Debian indexes and packages
# downloaded, compiler image written, one podman run), a warm build (everything cached) and a warm
# offline build (mvn -o), and a warm build in a 128 MB heap. Prints wall time, peak resident memory of the Maven JVM and its children,
# and the image's size and layer count; writes them to target/bench/results.tsv.
#
#   bash scripts/bench.sh            # all three runs
#   BENCH_SKIP_COLD=1 bash scripts/bench.sh   # reuse target/bench/cache from an earlier run
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${BUNDLER_CORPUS:-$root/../shared/python-corpus}
[ -d "$corpus" ] || { echo "No Python corpus at $corpus (set BUNDLER_CORPUS)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }

bash scripts/prerequisites.sh
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
mvn -B -q -ntp install -DskipTests -Dinvoker.skip=true

bench=$root/target/bench
cache=$bench/cache
mkdir -p "$bench"
results=$bench/results.tsv
printf 'run\tseconds\tpeak_rss_mb\timage_mb\tlayers\n' > "$results"

run() { # run NAME [extra mvn args...]
  local name=$1; shift
  local work=$bench/$name
  rm -rf "$work" && mkdir -p "$work"
  echo "== $name"
  (cd "$work" && /usr/bin/time -f '%e %M' -o "$work/time" \
    mvn -B -ntp "$@" "dev.bundler:bundler-maven-plugin:$version:build" \
      -Dpackage=Django==3.2.25 -Dbundler.findLinks="$corpus" -Dbundler.cacheDir="$cache" \
      > "$work/build.log" 2>&1) || { tail -30 "$work/build.log"; echo "$name failed" >&2; exit 1; }
  read -r seconds rss_kb < "$work/time"
  local tarball=$work/target/bundler/image.tar
  local image_mb=$(( $(stat -c %s "$tarball") / 1048576 ))
  local layers
  layers=$(skopeo inspect "oci-archive:$tarball" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Layers"]))')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$seconds" "$(( rss_kb / 1024 ))" "$image_mb" "$layers" \
    | tee -a "$results"
}

if [ -z "${BENCH_SKIP_COLD:-}" ]; then
  rm -rf "$cache"
  run cold
fi
run warm
run warm-offline -o
MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx128m" run warm-heap-128m
echo
column -t "$results"
for name in warm warm-offline warm-heap-128m; do
  cmp -s <(cat "$bench/cold/target/bundler/image.digest" 2>/dev/null || cat "$bench/warm/target/bundler/image.digest") \
    "$bench/$name/target/bundler/image.digest" \
    || { echo "The $name build gave another image digest than the first build" >&2; exit 1; }
done
echo "Same image digest in every run: $(cat "$bench/warm/target/bundler/image.digest")"
