#!/usr/bin/env bash
# Fails if any C++ file under src/, include/ or tests/ differs from what .clang-format says.
# Fix with: find src include tests -name '*.cpp' -o -name '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src include tests -name '*.cpp' -o -name '*.h' | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files match .clang-format"
