#!/usr/bin/env bash
# Builds a real example image: Django 3.2.25 and its dependencies, from the offline Python corpus,
# as an OCI archive in target/example/target/bundler/image.tar. No Docker daemon involved.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${BUNDLER_CORPUS:-$root/../shared/python-corpus}
[ -d "$corpus" ] || { echo "No Python corpus at $corpus (set BUNDLER_CORPUS)" >&2; exit 1; }

bash scripts/prerequisites.sh
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
echo "Installing bundler $version into the local Maven repository (tests are run by scripts/test.sh)"
mvn -B -q -ntp install -DskipTests -Dinvoker.skip=true

work=$root/target/example
rm -rf "$work" && mkdir -p "$work"
echo "Building the wheelhouse of Django==3.2.25 from $corpus"
/usr/bin/python3 -m pip wheel -q --no-index --find-links "$corpus" --wheel-dir "$work/wheelhouse" Django==3.2.25

cd "$work"
mvn -B -ntp "dev.bundler:bundler-maven-plugin:$version:build" \
  -Dpackage=Django==3.2.25 -Dbundler.wheelhouse=wheelhouse
echo
echo "Image: $work/target/bundler/image.tar"
skopeo inspect "oci-archive:$work/target/bundler/image.tar" | head -20
