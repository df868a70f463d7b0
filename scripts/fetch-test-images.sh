#!/usr/bin/env bash
# Recreates data/images/: six free-licence photographs from the scikit-image
# 0.26.0 wheel on PyPI, shrunk to a longest side of 256 px (see
# data/images/README.md for sources and licences).
#
# Needs: bash, python3 with pip (Debian: apt-get install -y python3-pip),
# network access to PyPI. Installs nothing system-wide: Pillow goes into a
# temporary --target directory, which also sidesteps Debian's PEP 668 lock.
#
# Usage: scripts/fetch-test-images.sh [OUTPUT_DIR]   (default: data/images)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../data/images}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The x86_64/CPython 3.11 wheel, whatever the host: the data files are the same
# in every wheel, and pinning one file lets us check its hash.
wheel=scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl
wheel_sha256=74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  --platform manylinux_2_28_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
  -d "$work" scikit-image==0.26.0
echo "$wheel_sha256  $work/$wheel" | sha256sum -c --quiet -

# Pillow (no dependencies) only for resampling and the one colour conversion.
python3 -m pip install --quiet --no-deps --disable-pip-version-check --root-user-action=ignore --target "$work/py" pillow==12.0.0

PYTHONPATH="$work/py" python3 - "$work/$wheel" "$out" <<'PY'
import io, sys, zipfile
from PIL import Image, ImageCms

wheel, out = sys.argv[1], sys.argv[2]
MAX_SIDE = 256
# (file in skimage/data, output name)
PHOTOS = [
    ("astronaut.png", "astronaut.png"),
    ("chelsea.png", "chelsea.png"),
    ("coffee.png", "coffee.png"),
    ("rocket.jpg", "rocket.jpg"),
    ("hubble_deep_field.jpg", "hubble_deep_field.jpg"),
    ("retina.jpg", "retina.jpg"),
]
srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

with zipfile.ZipFile(wheel) as z:
    for source, name in PHOTOS:
        im = Image.open(io.BytesIO(z.read("skimage/data/" + source)))
        im.load()
        icc = im.info.get("icc_profile")
        if icc:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            description = ImageCms.getProfileDescription(profile).strip()
            # rocket.jpg is tagged Adobe RGB (1998): convert it, since our
            # reader (like most tools) takes untagged values as sRGB.
            if "sRGB" not in description:
                im = ImageCms.profileToProfile(im, profile, srgb, outputMode="RGB")
                print(f"{source}: converted from '{description}' to sRGB")
        im = im.convert("RGB")
        w, h = im.size
        scale = MAX_SIDE / max(w, h)
        # Round half up, like Swift's .rounded() in RGBImage.downscaled(maxSide:).
        size = (max(1, int(w * scale + 0.5)), max(1, int(h * scale + 0.5)))
        small = im.resize(size, Image.Resampling.LANCZOS)
        # A fresh image carries no metadata (no ICC profile, EXIF or text).
        clean = Image.frombytes("RGB", small.size, small.tobytes())
        path = f"{out}/{name}"
        if name.endswith(".png"):
            clean.save(path, "PNG", optimize=True)
        else:
            clean.save(path, "JPEG", quality=92, subsampling=0, optimize=True)
        print(f"{name}: {w}x{h} -> {size[0]}x{size[1]}")
PY
ls -l "$out"
