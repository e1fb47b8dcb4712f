#!/usr/bin/env bash
# Installs what is missing, builds Plenum and runs the whole test suite:
#   1. clang-format check
#   2. release build: every test label (unit, sim, integration, netns, ui, fuzz seeds)
#   3. ASan+UBSan build: unit and sim
#   4. clang libFuzzer build: a short fuzzing run of every decoder
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

echo "== ASan+UBSan build: unit and sim"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS"
ctest --preset asan -j "$JOBS"

echo "== libFuzzer smoke run"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$JOBS"
ctest --preset fuzz -j "$JOBS" # each fuzzer uses one core
