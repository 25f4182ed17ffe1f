#!/usr/bin/env bash
# Runs every test of bundler: unit tests, differential tests against the reference tools, and the
# maven-invoker integration tests. Installs the system tools it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
corpus=${BUNDLER_CORPUS:-$(pwd)/../shared/python-corpus}
[ -d "$corpus" ] || { echo "The shared Python corpus is not at $corpus: set BUNDLER_CORPUS" >&2; exit 1; }
mvn -B -ntp verify -Dbundler.corpus="$(cd "$corpus" && pwd)" "$@"
