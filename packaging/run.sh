#!/usr/bin/env bash
# Installs what is missing, builds Plenum and starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "${PLENUM_JOBS:-$(nproc)}"
if [ -x build/app/plenum ]; then
  exec build/app/plenum --demo "$@"
fi
# Until the GUI lands: a live, narrated group session in the deterministic simulator.
exec build/tests/sim/plenum-sim --demo "$@"
