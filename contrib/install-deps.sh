#!/usr/bin/env bash
# Installs the Debian 12 packages bttd needs to build, test and run.
# Idempotent: when everything is present it only checks, and returns in well under a second.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ccache git clang-format
  libboost-dev libboost-system-dev libboost-program-options-dev
  librocksdb-dev
  libsecp256k1-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libssl-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libtoml11-dev
  libopencv-core-dev libopencv-imgproc-dev
  libgoogle-perftools-dev
  procps psmisc
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
