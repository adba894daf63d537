#!/usr/bin/env python3
"""
Reference constants for tests that used to carry them as typed-in literals, and the K0 scan quoted in
src/numerics/bessel.ts. mpmath, computed twice (mp.dps = 30 and 45); the JSON records the value at 45
digits (rounded to float64 by json) and, per entry, the relative difference of the two runs — an
upper estimate of the 30-digit error, far below float64 rounding.

* residualMass: ∫_0^∞ σ_R dk of the exact method's residual continuum (src/dynamics/exact.ts) at
  (ω0, Γ11, Δz) = (1.5, 5, 0), η = 1 (BORN_ETA). At Δz = 0, J+ = Γ/(πk) and Δ+ = (Γ/π)asinh(k)/k
  in closed form, so σ_R(k) = (Γ/πk)(k/ω)/[(ω − ω0 − (Γ/π)asinh(k)/k)² + (Γ/k)²] − (Γ/π)/(ω((ω − ω0)² + η²)),
  ω = √(1 + k²): mpmath.quad on [0, 0.5, 1, 2, 5, 20, ∞]. Used by test/dynamics/exact.test.ts.
* bornB0: the Born term at t = 0, B(0) = ∫ J+(ω)/((ω − ω0)² + η²) dω at τ = 0, (ω0, Γ11) = (1.5, 5):
  (Γ/π)∫_0^∞ dk/(ω((ω − ω0)² + 1)) by mpmath.quad. For τ > 0 it changes by O(τ² ln τ), below 1e-19 at
  Δz ≤ 1e-9. Used by test/dynamics/bornTerm.test.ts.
* besselK0: mpmath besselk(0, x) at the points of test/numerics/bessel.test.ts.
* besselJY0: mpmath besselj(0, x), bessely(0, x) at the points of test/numerics/besselAsymptotic.test.ts
  (`reference`: the asymptotic regime; `tiers`: at and above each truncation tier).
* besselK0Scan: besselk(0, x) at 1500 log-spaced points of [1e-12, 690] (x_i = 1e-12·(690/1e-12)^(i/1499)),
  used by the validation study scripts/validate/besselK0.ts.

Run: python3 scripts/reference/test_constants.py > test/fixtures/reference.constants.json   (≈ 10 s)
"""
import json
from mpmath import mp, mpf, quad, sqrt, asinh, pi, inf, besselk, besselj, bessely

K0_POINTS = [1e-12, 1e-09, 3.11376e-09, 9.69551e-09, 3.01895e-08, 9.4003e-08, 2.92703e-07, 9.11407e-07, 1e-06,
             2.8379e-06, 8.83656e-06, 2.75149e-05, 8.56749e-05, 0.000266771, 0.000830662, 0.001, 0.00258648,
             0.0080537, 0.0250773, 0.0780847, 0.1, 0.243137, 0.5, 0.757071, 0.999999, 1.0, 1.5, 2.35734,
             3.999999, 4.0, 4.000001, 7.34019, 10, 22.8556, 31.4159, 71.1669, 100, 125.66, 221.597, 300, 600, 690.0]
JY_REFERENCE = [25, 30, 100.5, 1234.5678]
JY_TIERS = [40, 60.25, 100, 200.5, 1000, 1000.5, 5000.25, 9999.75]
SCAN = 1500


def residual_mass(w0, g, eta):
    w0 = mpf(w0); g = mpf(g); eta = mpf(eta)
    def sigma(k):
        w = sqrt(1 + k * k)
        if k == 0:
            return -g / pi / (w * ((w - w0) ** 2 + eta ** 2))  # the first term vanishes like k²
        shift = g / pi * asinh(k) / k
        return (g / (pi * k)) * (k / w) / ((w - w0 - shift) ** 2 + (g / k) ** 2) - g / pi / (w * ((w - w0) ** 2 + eta ** 2))
    return quad(sigma, [0, 0.5, 1, 2, 5, 20, inf])


def born_b0(w0, g, eta):
    w0 = mpf(w0); g = mpf(g); eta = mpf(eta)
    return g / pi * quad(lambda k: 1 / (sqrt(1 + k * k) * ((sqrt(1 + k * k) - w0) ** 2 + eta ** 2)), [0, 0.5, 1, 2, 5, 20, inf])


def compute():
    out = {
        "residualMass": {"omega0": 1.5, "gamma11": 5, "dz": 0, "eta": 1, "value": residual_mass(1.5, 5, 1)},
        "bornB0": {"omega0": 1.5, "gamma11": 5, "tau": 0, "eta": 1, "value": born_b0(1.5, 5, 1)},
        "besselK0": [[x, besselk(0, mpf(x))] for x in K0_POINTS],
        "besselJY0": {
            "reference": [[x, besselj(0, mpf(x)), bessely(0, mpf(x))] for x in JY_REFERENCE],
            "tiers": [[x, besselj(0, mpf(x)), bessely(0, mpf(x))] for x in JY_TIERS],
        },
        "besselK0Scan": [[float(mpf('1e-12') * (mpf(690) / mpf('1e-12')) ** (mpf(i) / (SCAN - 1))), None] for i in range(SCAN)],
    }
    # The scan's x are the float64 values the study evaluates at; K0 is taken at exactly those.
    out["besselK0Scan"] = [[x, besselk(0, mpf(x))] for x, _ in out["besselK0Scan"]]
    return out


def numbers(tree):
    """All mpf leaves of a result tree, in a fixed order."""
    if isinstance(tree, dict):
        return [v for key in sorted(tree) for v in numbers(tree[key])]
    if isinstance(tree, list):
        return [v for item in tree for v in numbers(item)]
    return [tree] if isinstance(tree, type(mpf(1))) else []


def to_json(tree):
    if isinstance(tree, dict):
        return {k: to_json(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [to_json(v) for v in tree]
    return float(tree) if isinstance(tree, type(mpf(1))) else tree


mp.dps = 30
low = compute()
mp.dps = 45
high = compute()
worst = max(abs(a - b) / abs(b) for a, b in zip(numbers(low), numbers(high)) if b != 0)
result = to_json(high)
result["method"] = ("mpmath " + __import__("mpmath").__version__ + ": quad for residualMass and bornB0 (integrands in "
                    "scripts/reference/test_constants.py), besselk/besselj/bessely for the Bessel tables; computed at "
                    "mp.dps = 30 and 45, the 45-digit values stored")
result["accuracy"] = ("largest relative difference between the 30- and 45-digit runs over all entries: %.1e; "
                      "stored values are the 45-digit results rounded to float64 (relative error ≤ 1.1e-16)" % float(worst))
print("{\n" + ",\n".join(" %s: %s" % (json.dumps(k), json.dumps(v, ensure_ascii=False)) for k, v in result.items()) + "\n}")
