#!/usr/bin/env bash
# Installs what is missing, builds Plenum and runs the whole test suite:
#   1. clang-format check
#   2. release build: every test label (unit, sim, integration, netns, ui, fuzz seeds)
#   3. clang ASan+UBSan build, which is also the libFuzzer build: unit and sim, then a short
#      fuzzing run of every decoder (one tree: CI compiles the core twice, not three times)
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
JOBS=${PLENUM_JOBS:-$(nproc)}

echo "== format"
packaging/check-format.sh

echo "== release build + all tests"
cmake --preset default >/dev/null
cmake --build --preset default -j "$JOBS"
ctest --preset default -j "$JOBS"

echo "== ASan+UBSan+libFuzzer build: unit, sim and a short fuzzing run"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS"
ctest --preset asan -j "$JOBS" # each fuzzer uses one core
