#!/usr/bin/env python3
"""Reference values for the coupled-cavity-array reservoir (src/model/reservoirs/cavityArray.ts).

Writes test/fixtures/reference.cavity.json with

1. "scenes": exact diagonalisation (numpy.linalg.eigh, double precision) of the single-excitation
   Hamiltonian of a FINITE array (shared/scenes.md §5)
       H = wc sum_n a_n^+ a_n - J sum_n (a_n^+ a_{n+1} + h.c.) + sum_j w_j s_j^+ s_j + g_j (s_j^+ a_{n_j} + h.c.)
   with L sites (open ends), the emitters' sites counted from the middle site. For each scene:
   - the bound states: eigenvalues outside [wc - 2J, wc + 2J] and the emitter components alpha_b of
     their normalised eigenvectors (sign fixed so that the largest |alpha| is positive);
   - the emitter amplitudes c_j(t) = sum_n V_jn V_.n^T c(0) e^{-i E_n t} on a time grid.
   Both are computed for L = 2001 and L = 3001; the file keeps the L = 3001 values and the largest
   difference between the two sizes ("finiteSizeDiff"), which measures the finite-size error:
   exponentially small for the bound states, zero (to rounding, ~1e-13) for the dynamics before a
   wave reflected at an end returns (t < ~ (L/2)/(2J) = 500/J here; the grid stops at t = 40/J).
   Eigen-decomposition accuracy: ~1e-13 on energies and amplitudes (eigh of a 3000 x 3000 symmetric
   matrix with entries O(1)), so the reference is good to ~1e-12.
2. "besselJn": J_n(x) for integer n, from mpmath.besselj at 30 significant digits (exact to double
   rounding), for testing besselJn of cavityArray.ts.

Run: python3 scripts/reference/cavity_array_ed.py   (a few minutes: six eigh of up to 3003 x 3003)
"""
import json
import os

import mpmath
import numpy as np

SCENES = [
    {
        "name": "public: wc=0, J=1, neighbouring sites, w0=0.5, g=0.3 (scenes.md reference values)",
        "omegaC": 0.0, "hopping": 1.0,
        "sites": [0, 1], "omega": [0.5, 0.5], "g": [0.3, 0.3],
        "initial": [[1.0, 0.0], [0.0, 0.0]],
    },
    {
        "name": "three unequal emitters, wc=10, J=1, one above the band",
        "omegaC": 10.0, "hopping": 1.0,
        "sites": [0, 2, 5], "omega": [9.0, 10.5, 12.3], "g": [0.4, 0.25, 0.6],
        "initial": [[0.6, 0.0], [0.0, 0.8], [0.0, 0.0]],
    },
    {
        "name": "two emitters three sites apart, wc=-1, J=0.5",
        "omegaC": -1.0, "hopping": 0.5,
        "sites": [0, 3], "omega": [-1.2, -0.4], "g": [0.2, 0.5],
        "initial": [[1.0, 0.0], [0.0, 0.0]],
    },
]

TIMES_PER_J = [0.5 * i for i in range(81)]  # t·J = 0, 0.5, ..., 40


def diagonalise(scene, L):
    wc, J = scene["omegaC"], scene["hopping"]
    N = len(scene["sites"])
    mid = L // 2
    H = np.zeros((L + N, L + N))
    for n in range(L):
        H[n, n] = wc
        if n + 1 < L:
            H[n, n + 1] = H[n + 1, n] = -J
    for j, (s, w, g) in enumerate(zip(scene["sites"], scene["omega"], scene["g"])):
        e = L + j
        H[e, e] = w
        H[e, mid + s] = H[mid + s, e] = g
    E, V = np.linalg.eigh(H)
    Ve = V[L:, :]  # emitter rows
    lo, hi = wc - 2 * J, wc + 2 * J
    bound = []
    for k in range(len(E)):
        if E[k] < lo or E[k] > hi:
            a = Ve[:, k].copy()
            if a[np.argmax(np.abs(a))] < 0:
                a = -a
            bound.append({"energy": float(E[k]), "alpha": [float(x) for x in a]})
    c0 = np.array([complex(re, im) for re, im in scene["initial"]])
    proj = Ve.T @ c0  # overlap of c(0) with each eigenvector
    times = [t / J for t in TIMES_PER_J]
    c = []
    for t in times:
        ct = Ve @ (proj * np.exp(-1j * E * t))
        c.append([[float(z.real), float(z.imag)] for z in ct])
    return bound, times, c


def scene_reference(scene):
    b2, times, c2 = diagonalise(scene, 2001)
    b3, _, c3 = diagonalise(scene, 3001)
    assert len(b2) == len(b3)
    diff_b = max(max(abs(x["energy"] - y["energy"]), max(abs(p - q) for p, q in zip(x["alpha"], y["alpha"])))
                 for x, y in zip(b2, b3))
    diff_c = float(np.max(np.abs(np.array(c2) - np.array(c3))))
    out = dict(scene)
    out.update({"sizes": [2001, 3001], "boundStates": b3, "times": times, "c": c3,
                "finiteSizeDiff": {"boundStates": float(diff_b), "dynamics": diff_c}})
    return out


def bessel_table():
    mpmath.mp.dps = 30
    ns = [0, 1, 2, 3, 5, 8, 13, 30, 100, 300, 1000]
    xs = [1e-6, 1e-3, 0.1, 1.0, 2.5, 5.0, 9.9, 10.0, 10.1, 25.0, 29.0, 30.5, 50.0, 99.0, 100.0, 101.0,
          299.5, 310.0, 999.0, 1000.0, 1003.0, 1e4, 123456.7, 1e7]
    rows = []
    for n in ns:
        for x in xs:
            rows.append([n, x, float(mpmath.besselj(n, mpmath.mpf(x), maxprec=40000, maxterms=10**6))])
    return rows


def main():
    data = {
        "description": "scripts/reference/cavity_array_ed.py: exact diagonalisation of finite cavity arrays "
                       "(L = 3001 values, finiteSizeDiff = |L=2001 - L=3001|) and mpmath J_n(x)",
        "scenes": [scene_reference(s) for s in SCENES],
        "besselJn": bessel_table(),
    }
    for s in data["scenes"]:
        print(s["name"], [round(b["energy"], 12) for b in s["boundStates"]], s["finiteSizeDiff"])
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference.cavity.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
