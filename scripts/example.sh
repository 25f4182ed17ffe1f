#!/usr/bin/env bash
# Builds a real example image: Django 3.2.25 and its dependencies, compiled from the offline Python
# corpus in one podman run, on the Debian base bundler builds itself, as an OCI archive in
# target/example/target/bundler/image.tar. No Docker daemon involved.
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
cd "$work"
mvn -B -ntp "dev.bundler:bundler-maven-plugin:$version:build" \
  -Dpackage=Django==3.2.25 -Dbundler.findLinks="$corpus"
echo
echo "Image: $work/target/bundler/image.tar"
skopeo inspect "oci-archive:$work/target/bundler/image.tar" | head -20
echo "Run it with: podman run --rm oci-archive:$work/target/bundler/image.tar django-admin --version"
