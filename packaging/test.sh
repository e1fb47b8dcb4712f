#!/usr/bin/env bash
# Installs what is missing, builds Plenum and runs the whole test suite:
#   1. clang-format check
#   2. release build (GCC) and clang ASan+UBSan build, which is also the libFuzzer build (one
#      tree: CI compiles the core twice, not three times)
#   3. release: every test label (unit, sim, integration, netns, ui, fuzz seeds)
#   4. ASan+UBSan: unit and sim, then a short fuzzing run of every decoder
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
JOBS=${PLENUM_JOBS:-$(nproc)}

echo "== format"
packaging/check-format.sh

# Both builds come before any test: an error only one compiler reports (clang refuses some
# things GCC accepts) then stops the run in minutes, not after the release tests.
echo "== release build (GCC)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$JOBS"

echo "== ASan+UBSan+libFuzzer build (clang)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS"

echo "== release: all tests"
ctest --preset default -j "$JOBS"

echo "== ASan+UBSan: unit, sim and a short fuzzing run"
ctest --preset asan -j "$JOBS" # each fuzzer uses one core
