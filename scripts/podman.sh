#!/usr/bin/env bash
# Runs podman with settings that work on CI machines like bundler's (root without the right to
# raise limits, cgroups v1/hybrid): runc, the cgroupfs manager, the file events logger, overlay
# storage of its own and ulimits within the machine's hard limits. Use it as podman:
#
#   scripts/podman.sh run --rm -p 8080:8080 -v "$PWD/conf:/config" \
#       oci-archive:target/bundler/image.tar si-service www
#
# The configuration and storage live in $BUNDLER_PODMAN_DIR (default ~/.local/share/bundler-podman).
# With CONTAINERS_CONF already set, podman runs with the caller's configuration, untouched.
set -euo pipefail

if [ -n "${CONTAINERS_CONF:-}" ]; then
  exec podman "$@"
fi
command -v podman >/dev/null || {
  echo "podman is not installed: apt-get install -y podman runc netavark aardvark-dns fuse-overlayfs slirp4netns uidmap" >&2
  exit 127
}
dir="${BUNDLER_PODMAN_DIR:-$HOME/.local/share/bundler-podman}"
mkdir -p "$dir"
files=$(ulimit -Hn)
processes=$(ulimit -Hu)
[ "$files" = unlimited ] && files=1048576
if [ "$processes" = unlimited ] || [ "$processes" -gt 32768 ]; then processes=32768; fi
cat > "$dir/containers.conf.tmp" <<CONF
[containers]
default_ulimits = ["nofile=$files:$files", "nproc=$processes:$processes"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_backend = "netavark"
CONF
mv "$dir/containers.conf.tmp" "$dir/containers.conf"
cat > "$dir/storage.conf.tmp" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$dir/run"
CONF
mv "$dir/storage.conf.tmp" "$dir/storage.conf"
export CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf"
exec podman "$@"
