#!/usr/bin/env bash
# Runs every test of bundler: unit tests, differential tests against the reference tools, and the
# maven-invoker integration tests. Installs the system tools it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
mvn -B -ntp verify "$@"
