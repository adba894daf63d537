#!/usr/bin/env python3
"""
Reference values at small retardation τ for test/model/selfEnergy.test.ts (the antisymmetric channel,
whose level shift is O(τ) and whose resonance width is O(τ²)). mpmath at 40 digits.

* ω·P(ω) = ω ∫_0^∞ (1 − e^{−τ cosh u})/(sinh²u + ω²) du by mpmath.quad (the representation used in
  src/model/selfEnergy.ts, here at 40 digits, so it checks the float64 quadrature and its range);
* dΔ±/dω: mpmath.diff of the bracket 2a + π sin(τk)/k − ωP (+) or ωP − π sin(τk)/k (−), a check of the
  analytic derivative in src/model/selfEnergy.ts (levelShiftDerivativeK);
* Δ−(ω) by an independent route: the principal value of ∫ J−(ω')/(ω − ω') dω' written in k',
  (2π/Γ)Δ− = PV∫_0^∞ (1 − cos τk')/(ω'(ω − ω')) dk'
           = ∫_0^∞ [cos τk − cos τk']/(ω'(ω − ω')) dk' + (1 − cos τk)·asinh(k)/k,
  using PV∫_0^∞ dk'/(ω'(ω − ω')) = asinh(k)/k; the first integrand is regular at k' = k and is
  integrated by quad on geometric panels up to k' = π/τ; beyond, its smooth part by quad and its
  oscillating part by quadosc.

Run: python3 scripts/reference/small_tau.py > test/fixtures/reference.small_tau.json   (≈ 20 s).
"""
import json
from mpmath import mp, mpf, quad, quadosc, sinh, cosh, expm1, asinh, sqrt, sin, cos, pi, inf, acosh, diff

mp.dps = 40

def omega_p(w, tau):
    w = mpf(w); tau = mpf(tau)
    f = lambda u: -expm1(-tau * cosh(u)) / (sinh(u) ** 2 + w ** 2)
    us = acosh(1 + 1 / tau); uo = asinh(w)
    pts = sorted(set([mpf(0), uo / 4, uo, 4 * uo, mpf(1), mpf(3), us, max(us, uo) + 40]))
    return w * quad(f, pts)

def bracket(ch, w, tau):
    w = mpf(w); k = sqrt(w * w - 1)
    a = asinh(k) / k; s = pi * sin(tau * k) / k; p = omega_p(w, tau)
    return (2 * a + s - p) if ch == '+' else (p - s)

def delta_minus_pv(k, tau):
    k = mpf(k); tau = mpf(tau); w = sqrt(1 + k * k)
    def g(kp):
        wp = sqrt(1 + kp * kp)
        if kp == k:
            return mpf(0) if tau == 0 else -tau * sin(tau * k) * w / k / wp  # limit: d/dk'(cos τk − cos τk')/(−dω'/dk') ...
        return (cos(tau * k) - cos(tau * kp)) / (wp * (w - wp))
    # Geometric points up to the first zero of cos τk' beyond k' = 4k (the integrand changes scale from
    # k to 1/τ), quadosc over the periods beyond.
    head_end = max(4 * k, mpf(4), pi / tau)
    pts = [mpf(0), k / 2, k, 2 * k]
    x = 4 * k
    while x < head_end:
        pts.append(x)
        x *= 2
    pts.append(head_end)
    head = quad(g, pts)
    # Beyond head_end the integrand is split into its smooth part cos τk/(ω'(ω − ω')) (quad) and its
    # purely oscillating part (quadosc), which quadosc's period-by-period extrapolation handles well.
    r = lambda kp: 1 / (sqrt(1 + kp * kp) * (w - sqrt(1 + kp * kp)))
    tail = cos(tau * k) * quad(r, [head_end, 2 * head_end, inf]) - quadosc(lambda kp: cos(tau * kp) * r(kp), [head_end, inf], omega=tau)
    return head + tail + (1 - cos(tau * k)) * asinh(k) / k

out = {
    "omegaP": [[w, t, float(omega_p(w, t))] for (w, t) in [(1e5, 1e-6), (1e5, 1e-12), (9000, 1e-12), (1.000001, 2e-5 * float(pi)), (10, 0.0012686)]],
    "bracketDerivative": [],
    "deltaMinus": [],
}
for (ch, k, tau) in [('-', 0.01, 1e-6), ('-', 0.3, 1e-6), ('-', 0.01, 0.01), ('+', 9.9, 125.66), ('-', 1.2, 125.66), ('+', 0.01, 0.6283)]:
    w = sqrt(1 + mpf(k) ** 2)
    out["bracketDerivative"].append([ch, k, tau, float(diff(lambda x: bracket(ch, x, tau), w))])
for (k, tau) in [(0.0014142, 6.283185307179586e-5), (0.3, 1e-3), (9.95, 0.0012686)]:
    out["deltaMinus"].append([k, tau, float(delta_minus_pv(k, tau)), float(bracket('-', sqrt(1 + mpf(k) ** 2), tau))])
print(json.dumps(out, indent=1))
