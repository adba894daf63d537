#!/usr/bin/env python3
"""Reference bound states of N-emitter scenes in the TM11 guide (src/spectrum/sceneBoundStates.ts).

Writes test/fixtures/reference.scene.json.

Physics (shared/scenes.md §1-2, units w11 = c = 1, z in lambda11, tau_jl = 2 pi |z_j - z_l|):
    M(E) = E - Omega - Sigma(E),   Sigma_jl(E) = -(sqrt(G_j G_l) / 2 pi) * I(E, tau_jl),
    I(E, tau) = int_1^inf cos(k tau) / (k (w - E)) dw = int_0^inf cos(k tau) / (w (w - E)) dk,
    M'(E) = 1 + (sqrt(G_j G_l) / 2 pi) * I2(E, tau_jl),  I2 = int_0^inf cos(k tau) / (w (w - E)^2) dk,
with w = sqrt(1 + k^2) (dw = k/w dk). Bound states: E < 1 with det M(E) = 0; amplitudes
alpha = v / sqrt(v^T M'(E) v), v the null vector, sign: largest |component| positive.

Method (independent of the TypeScript code, which uses closed forms and a contour representation):
- the k-integrals with mpmath: tau = 0 by mpmath.quad on [0, inf]; tau > 0 by the contour closed in the
  upper half k-plane (pole at k = i kappa plus the cut k = i cosh u, a non-oscillatory quad; derived
  again here), whose E-derivative (for M') is taken by mpmath.diff; both checked against direct
  oscillatory quadrature (mpmath.quadosc of the k-integrand) at one energy per scene;
- each sorted eigenvalue mu_n(E) of the symmetric M(E) (mpmath.eigsy) is increasing in E, so its root
  is bracketed on a scan (E = -3 ... 0.99 and, near the edge, kappa = sqrt(1 - E^2) = 1e-2 ... 1e-5)
  and solved by mpmath.findroot (Anderson-Bjorck on the bracket).
- Accuracy: every scene is computed twice, at 20 and at 26 digits (LOW_DPS, HIGH_DPS; the second run
  brackets each low-precision root by +-1e-12 and checks the sign change there); the file keeps the
  26-digit values and records the largest difference between the two runs ("selfCheck"), which bounds
  the error of the 20-digit run and so, with margin, of the stored one (printed at the end).

Scenes: unequal w_j and G_j (N = 3), wider spacings with one emitter above the edge, and a near-edge case
(small G: the top branch's root within ~1e-6 of the band edge).

Run: python3 scripts/reference/scene_bound_states.py   (tens of minutes: quadosc dominates; two processes)
"""
import json
import os

import mpmath as mp

SCENES = [
    {"name": "N=3 unequal w and G", "z": [0.0, 0.23, 0.71], "omega": [0.8, 1.1, 0.95], "gamma": [0.3, 0.7, 0.15]},
    {"name": "N=3 wider spacing, one emitter above the edge", "z": [0.0, 1.3, 2.9], "omega": [1.5, 0.6, 1.0], "gamma": [1.0, 0.2, 0.5]},
    {"name": "N=3 near the edge (small G, w > 1)", "z": [0.0, 0.4, 0.9], "omega": [3.0, 2.5, 4.0], "gamma": [0.002, 0.001, 0.003]},
]


LOW_DPS = 20
HIGH_DPS = 26


def integral_direct(E, tau, power):
    """int_0^inf cos(k tau) / (w (w - E)^power) dk, w = sqrt(1 + k^2), E < 1, by quad / quadosc (slow)."""
    f = lambda k: mp.cos(k * tau) / (mp.sqrt(1 + k * k) * (mp.sqrt(1 + k * k) - E) ** power)
    # w - E = (k^2 + kappa^2)/(w + E) for 0 < E < 1: a peak of width kappa = sqrt(1 - E^2) at k = 0.
    kappa = mp.sqrt(1 - E * E) if 0 < E < 1 else mp.mpf(1)
    if tau == 0:
        return mp.quad(f, sorted({mp.mpf(0), kappa, 10 * kappa, mp.mpf(1), mp.mpf(10), mp.mpf(100)}) + [mp.inf])
    # [0, K0] plainly (breakpoints at the peak's scale), then the oscillatory tail between zeros of cos(k tau).
    k0 = (mp.pi / 2) / tau
    head = mp.quad(f, [0] + [x for x in (kappa, 10 * kappa) if x < k0] + [k0])
    tail = mp.quadosc(f, [k0, mp.inf], zeros=lambda n: (n + mp.mpf(1) / 2) * mp.pi / tau)
    return head + tail


def integral_contour(E, tau):
    """The same integral (power 1) for tau > 0 with the contour closed in the upper half k-plane:
    (1/2) int_R e^{ik tau} f dk = pi e^{-kappa tau}/kappa [pole at k = i kappa, 0 < E < 1]
    - E int_0^inf e^{-tau cosh u}/(sinh^2 u + E^2) du [the cut k = i cosh u, u >= 0]."""
    # Beyond u_max, e^{-tau cosh u} < 10^-(dps + 10): the neglected tail is below the working precision
    # (an infinite upper limit makes mpmath evaluate exp of astronomically large arguments).
    umax = mp.acosh(max(mp.mpf(2), (mp.mp.dps + 10) * mp.log(10) / tau)) + 1
    pts = sorted(x for x in {abs(E), 10 * abs(E), mp.mpf(1), mp.mpf(3), mp.acosh(1 + 1 / tau)} if 0 < x < umax)
    q = mp.quad(lambda u: mp.exp(-tau * mp.cosh(u)) / (mp.sinh(u) ** 2 + E * E), [0] + pts + [umax])
    pole = mp.pi * mp.exp(-mp.sqrt(1 - E * E) * tau) / mp.sqrt(1 - E * E) if 0 < E < 1 else 0
    return pole - E * q


def integral(E, tau, power):
    """int_0^inf cos(k tau) / (w (w - E)^power) dk: tau = 0 by quad; tau > 0 by the contour form (power 1)
    and its E-derivative by mpmath.diff (power 2). Spot-checked against integral_direct (quadosc) at the
    lowest root of every scene ("contourVsQuadosc", relative; quadosc costs seconds per call)."""
    if tau == 0:
        return integral_direct(E, tau, power)
    if power == 1:
        return integral_contour(E, tau)
    return mp.diff(lambda x: integral_contour(x, tau), E)


class Scene:
    def __init__(self, spec):
        self.z = [mp.mpf(x) for x in spec["z"]]
        self.w = [mp.mpf(x) for x in spec["omega"]]
        self.g = [mp.mpf(x) for x in spec["gamma"]]
        self.n = len(self.z)
        self.cache = {}
        # Distinct retardations (exact decimal inputs, so equal distances give equal mpf values).
        self.taus = sorted({2 * mp.pi * abs(self.z[j] - self.z[l]) for j in range(self.n) for l in range(self.n)})
        self.index = {(j, l): self.taus.index(2 * mp.pi * abs(self.z[j] - self.z[l])) for j in range(self.n) for l in range(self.n)}

    def ints(self, E, power):
        key = (E, power)
        if key not in self.cache:
            self.cache[key] = [integral(E, t, power) for t in self.taus]
        return self.cache[key]

    def M(self, E):
        I = self.ints(E, 1)
        m = mp.matrix(self.n, self.n)
        for j in range(self.n):
            for l in range(self.n):
                sig = -mp.sqrt(self.g[j] * self.g[l]) / (2 * mp.pi) * I[self.index[(j, l)]]
                m[j, l] = (E - self.w[j] if j == l else 0) - sig
        return m

    def Md(self, E):
        I = self.ints(E, 2)
        m = mp.matrix(self.n, self.n)
        for j in range(self.n):
            for l in range(self.n):
                m[j, l] = (1 if j == l else 0) + mp.sqrt(self.g[j] * self.g[l]) / (2 * mp.pi) * I[self.index[(j, l)]]
        return m

    def branch(self, E, b):
        ev, _ = mp.eigsy(self.M(E))
        return sorted(ev[i] for i in range(self.n))[b]


def bound_states(spec, guesses=None):
    s = Scene(spec)
    n = s.n
    if guesses is not None:
        # Second (higher-precision) run: bracket each root found at low precision by +-1e-12 and check the sign change.
        out = []
        for g in guesses:
            b = g["branch"]
            d = mp.mpf("1e-12") * max(1, (1 - g["energy"]) * 1e3)
            lo, hi = g["energy"] - d, min(g["energy"] + d, 1 - (1 - g["energy"]) / 2)
            assert s.branch(lo, b) < 0 < s.branch(hi, b), "low-precision root not bracketed at high precision"
            out.append(polish(s, b, (lo, hi)))
        out.sort(key=lambda st: st["energy"])
        return out
    # Scan points: E from -3 to 0.99, then kappa geometric toward the edge.
    grid = [mp.mpf(x) for x in ("-3", "-1", "-0.01", "0.3", "0.5", "0.7", "0.8", "0.9", "0.95", "0.99")]
    for kappa in ("1e-2", "1e-3", "1e-4", "1e-5"):
        grid.append(mp.sqrt(1 - mp.mpf(kappa) ** 2))
    values = [(E, sorted(mp.eigsy(s.M(E))[0][i] for i in range(n))) for E in grid]
    assert values[0][1][n - 1] < 0, "scan does not start below every root"
    out = []
    for b in range(n):
        bracket = None
        for (e0, v0), (e1, v1) in zip(values, values[1:]):
            if v0[b] < 0 <= v1[b]:
                bracket = (e0, e1)
                break
        if bracket is None:
            continue
        out.append(polish(s, b, bracket))
    out.sort(key=lambda st: st["energy"])
    # Spot check of the contour forms against direct oscillatory quadrature at the lowest root.
    E0 = out[0]["energy"]
    spot = max(max(abs(integral(E0, t, p) / integral_direct(E0, t, p) - 1) for t in s.taus if t > 0) for p in (1, 2)) if len(s.taus) > 1 else mp.mpf(0)
    for st in out:
        st["spot"] = spot
    return out


def polish(s, b, bracket):
    """Root of branch b on the bracket, and its amplitudes alpha = v / sqrt(v^T M' v)."""
    n = s.n
    if True:
        root = mp.findroot(lambda E: s.branch(E, b), bracket, solver="anderson", tol=mp.mpf(10) ** (-mp.mp.dps + 3))
        ev, vec = mp.eigsy(s.M(root))
        order = sorted(range(n), key=lambda i: ev[i])
        v = [vec[j, order[b]] for j in range(n)]
        Md = s.Md(root)
        norm = mp.sqrt(sum(v[j] * Md[j, l] * v[l] for j in range(n) for l in range(n)))
        alpha = [x / norm for x in v]
        k = max(range(n), key=lambda i: abs(alpha[i]))
        if alpha[k] < 0:
            alpha = [-x for x in alpha]
        return {"branch": b, "energy": root, "alpha": alpha}


def run_one(args):
    dps, spec, guesses = args
    mp.mp.dps = dps
    if guesses is not None:
        guesses = [{"branch": g["branch"], "energy": mp.mpf(g["energy"])} for g in guesses]
    states = bound_states(spec, guesses)
    return [{"branch": st["branch"], "energy": str(st["energy"]), "alpha": [str(x) for x in st["alpha"]], "spot": str(st.get("spot", 0))} for st in states]


def run(dps, guesses=None):
    from multiprocessing import Pool
    with Pool(2) as pool:
        res = pool.map(run_one, [(dps, spec, None if guesses is None else guesses[i]) for i, spec in enumerate(SCENES)])
    mp.mp.dps = dps
    return [[{"branch": st["branch"], "energy": mp.mpf(st["energy"]), "alpha": [mp.mpf(x) for x in st["alpha"]], "spot": mp.mpf(st["spot"])} for st in r] for r in res]


def main():
    lo = run(LOW_DPS)
    hi = run(HIGH_DPS, [[{"branch": st["branch"], "energy": str(st["energy"])} for st in r] for r in lo])
    check = mp.mpf(0)
    for a, b in zip(lo, hi):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            check = max(check, abs(x["energy"] - y["energy"]), *[abs(p - q) for p, q in zip(x["alpha"], y["alpha"])])
    scenes = []
    for spec, states in zip(SCENES, hi):
        scenes.append({
            **spec,
            "boundStates": [
                {"energy": mp.nstr(st["energy"], 20), "oneMinusEnergy": mp.nstr(1 - st["energy"], 20),
                 "alpha": [mp.nstr(x, 20) for x in st["alpha"]]}
                for st in states
            ],
        })
    spot = max(st["spot"] for r in lo for st in r)
    doc = {
        "description": "TM11 N-emitter bound states: mpmath quad of the k-integrals (tau = 0 directly, tau > 0 in contour form, checked against quadosc: contourVsQuadosc, relative) and findroot on the sorted eigenvalue branches of M(E); selfCheck = max difference between 20- and 26-digit runs; see scripts/reference/scene_bound_states.py",
        "selfCheck": mp.nstr(check, 3),
        "contourVsQuadosc": mp.nstr(spot, 3),
        "scenes": scenes,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference.scene.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("selfCheck (max |20 digits - 26 digits| over energies and amplitudes):", mp.nstr(check, 3))
    print("contour forms vs quadosc at the lowest root (max relative difference over tau, powers 1 and 2):", mp.nstr(spot, 3))
    for sc in scenes:
        print(sc["name"])
        for st in sc["boundStates"]:
            print("  E =", st["energy"], " 1-E =", st["oneMinusEnergy"], " alpha =", st["alpha"])


if __name__ == "__main__":
    main()
