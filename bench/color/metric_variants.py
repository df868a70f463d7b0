#!/usr/bin/env python3
"""Colour-histogram score variants for one recoloured image and its reference.

    python3 bench/color/metric_variants.py RESULT.png REFERENCE.png

Prints HI and two "EMD"s for joint 3-D histograms (8/16/32 bins per channel)
and per-channel 1-D histograms (16…256 bins):

* W1 — the earth mover's distance between the histograms as distributions on
  the bin centres in [0, 1] (1-D: closed form from the CDFs). This is what
  `ncf color-transfer` reports (joint, by exact OT; see docs/color-transfer.md).
* values-as-samples — the 1-D W1 between the two *lists of bin masses*, i.e.
  `scipy.stats.wasserstein_distance(p, q)` called on two normalised
  histograms. It ignores where the bins are (any permutation of the bins
  scores the same), so it is not a distance between colour distributions;
  it is listed because it lands on the magnitudes of the NCF paper's table
  (EMD 1e-4…1e-3 with HI 0.8…0.9 for per-channel 256-bin histograms).

Needs NumPy. Reads 8-bit RGB/RGBA PNGs (non-interlaced) with its own decoder.
"""
import struct
import sys
import zlib

import numpy as np


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit(f"{path}: only 8-bit non-interlaced RGB/RGBA PNGs are supported")
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride = zlib.decompress(idat), w * ch
    out, prev, k = np.zeros((h, stride), np.int64), np.zeros(stride, np.int64), 0
    for y in range(h):
        f = raw[k]
        line = np.frombuffer(raw[k + 1:k + 1 + stride], np.uint8).astype(np.int64)
        k += 1 + stride
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 255
        else:  # Sub, Average, Paeth: sequential in the row
            cur = np.zeros(stride, np.int64)
            for i in range(stride):
                a = cur[i - ch] if i >= ch else 0
                b, c = prev[i], (prev[i - ch] if i >= ch else 0)
                if f == 1:
                    p = a
                elif f == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (line[i] + p) & 255
        out[y], prev = cur, cur
    return out.reshape(h, w, ch)[:, :, :3].astype(np.uint8)


def bins_of(img, bins):
    v = img.reshape(-1, 3).astype(np.float64) / 255
    return np.minimum((v * bins).astype(int), bins - 1)


def joint(img, bins):
    b = bins_of(img, bins)
    h = np.bincount((b[:, 0] * bins + b[:, 1]) * bins + b[:, 2], minlength=bins ** 3).astype(float)
    return h / h.sum()


def per_channel(img, bins):
    b = bins_of(img, bins)
    return [np.bincount(b[:, c], minlength=bins) / len(b) for c in range(3)]


def values_as_samples(p, q):
    return float(np.mean(np.abs(np.sort(p) - np.sort(q))))  # equal lengths: sorted matching


def w1_1d(p, q):
    return float(np.sum(np.abs(np.cumsum(p) - np.cumsum(q))[:-1]) / len(p))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    res, ref = read_png(sys.argv[1]), read_png(sys.argv[2])
    print("| histogram | HI | W1 (colour units) | values-as-samples |")
    print("|---|---|---|---|")
    for bins in (8, 16, 32):
        p, q = joint(res, bins), joint(ref, bins)
        print(f"| joint {bins}³ | {np.minimum(p, q).sum():.4f} | (see ncf) | {values_as_samples(p, q):.2e} |")
    for bins in (16, 64, 256):
        ps, qs = per_channel(res, bins), per_channel(ref, bins)
        hi = np.mean([np.minimum(p, q).sum() for p, q in zip(ps, qs)])
        w1 = np.mean([w1_1d(p, q) for p, q in zip(ps, qs)])
        vs = np.mean([values_as_samples(p, q) for p, q in zip(ps, qs)])
        print(f"| per-channel {bins} | {hi:.4f} | {w1:.2e} | {vs:.2e} |")


if __name__ == "__main__":
    main()
