#!/usr/bin/env python3
"""
Reference bound states in the limit ω0 → 0⁺ for test/spectrum/extremes.test.ts: the roots of
E + Σ±(E) = 0 (Eq. 7 at ω0 = 0) and their residues Z = ½/(1 + Σ±'), with Σ from the Laplace/K0
representation of make_fixtures.py (sigma, bound_state: a float64 bracket polished by mpmath Newton
steps, |F| ≤ 1e-12 checked), independent of the contour formulas in src/model/selfEnergy.ts.
As dE±/dω0 = 2Z± ∈ (0, 1], qbwave's roots at ω0 = 1e-300 … 1e-10 must lie within ω0 (+ the reference's
own accuracy) of these.

Run: python3 scripts/reference/omega0_limit.py > test/fixtures/reference.omega0_limit.json   (≈ 1 min).
"""
import importlib.util, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_fixtures", os.path.join(here, "make_fixtures.py"))
mf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mf)

rows = []
for (gamma, dz) in [(0.5, 0.1), (5.0, 0.1), (0.5, 2.0)]:
    for ch in ['+', '-']:
        r = mf.bound_state(ch, 0.0, gamma, dz)
        rows.append({"omega0": 0, "gamma11": gamma, "dz": dz, "channel": ch,
                     "energy": None if r is None else float(r[0]), "residue": None if r is None else float(r[1])})
        print("limit", gamma, dz, ch, r, file=sys.stderr, flush=True)
json.dump({"generator": "scripts/reference/omega0_limit.py (mpmath, Laplace/K0 form of Σ, ω0 = 0)", "boundStates": rows}, sys.stdout, indent=1)
print()
