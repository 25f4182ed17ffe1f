#!/usr/bin/env bash
# Runs every test of bundler: the hermetic unit tests (*Test, surefire; `mvn test` runs only
# these), the tests against real tools, registries and the Debian archive (*IT, failsafe), and the
# maven-invoker integration tests. Installs the system tools it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
corpus=${BUNDLER_CORPUS:-$(pwd)/../shared/python-corpus}
[ -d "$corpus" ] || { echo "The shared Python corpus is not at $corpus: set BUNDLER_CORPUS" >&2; exit 1; }
# The suite's caches, images and podman storage take up to about 2 GB at once (1.9-2.0 GB measured;
# each test class discards its own when it is done, BUNDLER_KEEP_TEST_CACHES=1 keeps them): say
# what the disk has.
echo "Disk space free for the tests: $(df -h --output=avail . | tail -1 | tr -d ' ') in $(pwd)"
mvn -B -ntp verify -Dbundler.corpus="$(cd "$corpus" && pwd)" "$@"
