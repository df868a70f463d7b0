#!/usr/bin/env bash
# Shared set-up for scripts/demo.sh and scripts/test.sh: system packages and
# build flags. Sourced, not run.
set -euo pipefail

# Debian packages the build links against.
NCF_PACKAGES=(libopenblas-dev libpng-dev libturbojpeg0-dev zlib1g-dev pkg-config)

ncf_install_packages() {
  local missing=()
  for p in "${NCF_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "Installing system packages with sudo: ${missing[*]}" >&2
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: missing system packages: ${missing[*]}" >&2
    echo "       install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

ncf_check_swift() {
  if ! command -v swift >/dev/null; then
    echo "error: swift not found; install Swift 6 (https://swift.org/install) and put it on PATH" >&2
    exit 1
  fi
}

# AVX2 + FMA code paths when the CPU has them (the library is correct and
# reasonably fast without; SwiftPM forbids unsafe flags inside packages, so
# CPU flags come from the build command).
ncf_build_flags() {
  NCF_FLAGS=()
  if grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
    NCF_FLAGS=(-Xcc -march=x86-64-v3)
  fi
}

# Everything a script needs before building: swift, the system packages and
# the CPU flags (in NCF_FLAGS).
ncf_prepare() {
  ncf_check_swift
  ncf_install_packages
  ncf_build_flags
}
