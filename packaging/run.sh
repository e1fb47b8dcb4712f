#!/usr/bin/env bash
# Installs what is missing, builds Plenum and starts the desktop app in demo mode: three
# local peers on a private loopback network build a group with you (docs/ui.md).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "${PLENUM_JOBS:-$(nproc)}" --target plenum plenum-peer
if [ -x build/app/gui/plenum ]; then
  exec build/app/gui/plenum --demo "$@"
fi
echo "run: build/app/gui/plenum was not built (is PLENUM_BUILD_GUI off?)" >&2
exit 1
