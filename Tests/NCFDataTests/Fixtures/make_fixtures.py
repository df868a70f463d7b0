#!/usr/bin/env python3
"""Writes the NumPy fixture files read by NCFDataTests.

Run from this directory:  python3 make_fixtures.py
The generated files are committed; rerun only to change them.

Every float array follows a formula the Swift tests recompute exactly:
    a[i, j] = i * 10 + j + 0.5            (exact in float32 and float64)
    b[i, j] = (i * 10 + j + 1) / 3        (float64 only; full mantissa)
Labels are  l[k] = (k * 7) % 5  (some with a negative entry, see below).
"""
import numpy as np


def grid(rows, cols, dtype=np.float64):
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (i * 10 + j + 0.5).astype(dtype)


def thirds(rows, cols):
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (i * 10 + j + 1) / 3.0


def labels(n):
    return (np.arange(n) * 7) % 5


def main():
    # float32, C order, version 1.0 (np.save's default).
    np.save("f32_c.npy", grid(4, 3, np.float32))

    # float64 big-endian, C order.
    np.save("f64_be.npy", thirds(3, 2).astype(">f8"))

    # float64 Fortran order: the header says fortran_order True and the data
    # is stored column by column.
    fortran = np.asfortranarray(grid(3, 4))
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
    np.save("f64_fortran.npy", fortran)

    # Version 2.0 and 3.0 headers (4-byte header length).
    with open("f32_v2.npy", "wb") as f:
        np.lib.format.write_array(f, grid(5, 2, np.float32), version=(2, 0))
    with open("f64_v3.npy", "wb") as f:
        np.lib.format.write_array(f, thirds(2, 3), version=(3, 0))

    # Labels: int64 1-D, int32 n x 1, uint8 1-D, big-endian int16 1-D with a
    # negative entry (l[0] = -1).
    np.save("labels_i8.npy", labels(10).astype(np.int64))
    np.save("labels_i4_col.npy", labels(6).astype(np.int32).reshape(6, 1))
    np.save("labels_u1.npy", labels(7).astype(np.uint8))
    be = labels(5).astype(">i2")
    be[0] = -1
    np.save("labels_i2_be.npy", be)

    # A 3-D array: not valid as samples.
    np.save("rank3.npy", np.zeros((2, 3, 4), dtype=np.float64))

    # The same grid as text, as np.savetxt writes it: comma-separated with a
    # header line, and space-separated with the default '%.18e' format.
    np.savetxt("grid_header.csv", grid(4, 3), delimiter=",", header="x,y,z", comments="")
    np.savetxt("grid_plain.txt", grid(4, 3))


if __name__ == "__main__":
    main()
