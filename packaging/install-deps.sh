#!/usr/bin/env bash
# Installs every Debian 12 package Plenum needs to build and to run its tests.
# Idempotent: when everything is present it prints nothing and exits 0.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format git mold
  # core libraries
  qt6-base-dev libqt6sql6-sqlite libglib2.0-dev libnice-dev libopus-dev libsrtp2-dev
  libopendht-dev libgnutls28-dev libqrencode-dev
  # calls: echo control (speexdsp, chosen over libwebrtc-audio-processing: docs/media.md), Qt audio
  libspeexdsp-dev qt6-multimedia-dev
  # GUI (Qt Quick) and its runtime modules (qt6-declarative-dev does not bring them)
  qt6-declarative-dev qt6-svg-dev qt6-l10n-tools qt6-tools-dev-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-window qml6-module-qtquick-layouts qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qttest libqt6quicktest6
  # co-browsing: the page view of the co-browse pane
  qt6-webengine-dev qml6-module-qtwebengine
  libzbar-dev
  # tests
  libgtest-dev libgmock-dev dhtnode iproute2 iptables nftables coturn xvfb dbus
  # media tests: spoken test speech, resampling, a private PulseAudio with virtual devices
  espeak-ng sox pulseaudio pulseaudio-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# coturn's package starts a system-wide TURN server on the host's interfaces; tests
# start their own inside network namespaces, so keep the system one off.
if [ -x /usr/bin/turnserver ] && command -v systemctl >/dev/null && systemctl is-active -q coturn 2>/dev/null; then
  $SUDO systemctl disable --now coturn >/dev/null 2>&1 || true
fi
echo "install-deps: done"
