#!/usr/bin/env bash
# Installs the system tools bundler's tests and example use, on a fresh Debian 12 machine.
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
# Extra Debian packages a caller needs may be given as arguments (bench/run.sh: debootstrap time).
set -euo pipefail

packages=(
  podman runc netavark aardvark-dns fuse-overlayfs slirp4netns uidmap  # container runtime (pip wheel)
  docker.io                                                            # the docker CLI path, tested with its own dockerd
  skopeo umoci                                                         # image checks in tests
  qemu-user-static                                                     # arm64 bytecode (qemu-aarch64-static) and its tests
  docker-registry apache2-utils                                        # a real registry for push tests
  python3 python3-venv python3-pip                                     # reference installer (pip)
  dpkg-dev gnupg ca-certificates openssl                               # Debian reference tools; TLS for test registries
  xz-utils                                                             # xz: packages decompressed natively, and its tests
  "$@"                                                                 # the caller's extras
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "$tool is required (Java 17 and Maven 3.8+)" >&2; exit 1; }
done
