#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit + integration).
#   BTT_BUILD_DIR  build directory (default: build)
#   BTT_JOBS       parallel build/test jobs (default: number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."

bash contrib/install-deps.sh

BUILD_DIR=${BTT_BUILD_DIR:-build}
JOBS=${BTT_JOBS:-$(nproc)}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j"$JOBS"

cd "$BUILD_DIR"
# Unit tests run in parallel; integration tests start real bttd processes and run one at a time.
ctest --output-on-failure -j"$JOBS" --timeout 900
