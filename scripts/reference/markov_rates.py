#!/usr/bin/env python3
"""
Markovian rates of Eq. (6) for test/dynamics/markov.test.ts, computed with mpmath (30 digits) from
their definition, independently of src/model/selfEnergy.ts (whose contour and closed forms qbwave uses):

  δ_j(ω0) = PV ∫_1^∞ J_j(ω)/(ω0 − ω) dω,   J0 = (Γ11/2π)/√(ω² − 1),  J1 = J0·cos(τ√(ω² − 1))  (Eq. 2).

In the wave number k = √(ω² − 1) (J_j dω = (Γ11/2π)·c_j(k) dk/ω, c0 = 1, c1 = cos τk) the integrand is
c_j(k)·r(k), r = 1/(ω(ω0 − ω)). Split at A (A = 2k0 above the band, k0 = √(ω0² − 1); A = 2 below it):

* [0, A]: above the band, with ω0 − ω = (k0 − k)(k0 + k)/(ω0 + ω), the principal value is taken by
  subtracting the singularity (PV ∫_0^{2k0} dk/(k0 − k) = 0):
  PV ∫_0^{2k0} h(k)/(k0 − k) dk = ∫_0^{2k0} (h(k) − h(k0))/(k0 − k) dk,  h = c_j(ω0 + ω)/(ω(k0 + k)),
  in pieces of at most a quarter period of cos τk; below the band it is an ordinary integral.
* [A, ∞): r is analytic for Re k ≥ A (its branch points are ±i, its pole k0 < A) and decays like k⁻²,
  so with cos τk = (e^{iτk} + e^{−iτk})/2 each exponential is integrated on the vertical ray k = A ± is
  where it decays like e^{−τs}: ∫_A^∞ e^{±iτk} r dk = ±i ∫_0^∞ e^{±iτ(A ± is)} r(A ± is) ds.
  (mpmath.quadosc on [A, ∞) was tried first and is wrong here: 0.212 instead of 0.00452 for the c1 tail
  at ω0 = 3.2, Δz = 1.7; the rays are checked against plain piecewise quadrature to k = 400, whose
  truncation is ≲ 1e-5, and the script stops if they differ by more.)

δ0 is also compared with its closed form (Γ11/2π)·arccosh(ω0)/√(ω0² − 1) (ω0 > 1) or
−(Γ11/2π)·arccos(−ω0)/√(1 − ω0²) (ω0 < 1); the script stops if they differ by more than 1e-25.

Run: python3 scripts/reference/markov_rates.py   (about a minute; needs mpmath)
Writes test/fixtures/reference.markov.json: rows {omega0, gamma11, dz, delta0, delta1}.
"""
import json, os
from mpmath import mp, mpf, mpc, sqrt, cos, exp, pi, quad, inf, acosh, acos, ceil, linspace

mp.dps = 30

CASES = [(1.8, 0.5, 0.1), (0.6, 0.5, 0.3), (3.2, 0.5, 1.7)]


def delta(j, omega0, gamma, dz):
    w0 = mpf(omega0)
    tau = 2 * pi * mpf(dz)
    om = lambda k: sqrt(1 + k * k)
    r = lambda k: 1 / (om(k) * (w0 - om(k)))
    c = (lambda k: mpf(1)) if j == 0 else (lambda k: cos(tau * k))
    if w0 > 1:
        k0 = sqrt(w0 * w0 - 1)
        A = 2 * k0
        h = lambda k: c(k) * (w0 + om(k)) / (om(k) * (k0 + k))
        hk0 = h(k0)
        n = int(ceil(2 * k0 * tau / pi)) + 2
        # k0 is a piece end, so the removable 0/0 there is never evaluated by the tanh–sinh rule.
        pts = [k0 * i / n for i in range(n)] + [k0 + k0 * i / n for i in range(n + 1)]
        near = quad(lambda k: (h(k) - hk0) / (k0 - k), pts)
    else:
        A = mpf(2)
        n = int(ceil(A * tau / pi)) + 2
        near = quad(lambda k: c(k) * r(k), [A * i / n for i in range(n + 1)])
    if j == 0:
        far = quad(r, [A, 2 * A, 10 * A, inf])
    else:
        up = quad(lambda s: exp(1j * tau * mpc(A, s)) * r(mpc(A, s)), [0, 1, 10, inf]) * 1j
        down = quad(lambda s: exp(-1j * tau * mpc(A, -s)) * r(mpc(A, -s)), [0, 1, 10, inf]) * (-1j)
        far = (up + down) / 2
        if abs(far.imag) > mpf('1e-25'):
            raise SystemExit(f'ray integrals not real: {far}')
        far = far.real
        brute = quad(lambda k: c(k) * r(k), linspace(A, 400, 2000))
        if abs(brute - far) > mpf('1e-5'):
            raise SystemExit(f'omega0 = {omega0}: ray integrals {far} vs piecewise quadrature to 400 {brute}')
    return gamma / (2 * pi) * (near + far)


def main():
    rows = []
    for omega0, gamma, dz in CASES:
        g = mpf(gamma)
        d0 = delta(0, omega0, g, dz)
        d1 = delta(1, omega0, g, dz)
        w0 = mpf(omega0)
        closed = g / (2 * pi) * (acosh(w0) / sqrt(w0 * w0 - 1) if w0 > 1 else -acos(-w0) / sqrt(1 - w0 * w0))
        if abs(d0 - closed) > mpf('1e-25'):
            raise SystemExit(f'delta0 at omega0 = {omega0}: quadrature {d0} vs closed form {closed}')
        print(f'omega0 = {omega0}, gamma11 = {gamma}, dz = {dz}: delta0 = {mp.nstr(d0, 20)} (closed form agrees to {mp.nstr(abs(d0 - closed), 2)}), delta1 = {mp.nstr(d1, 20)}')
        rows.append({'omega0': omega0, 'gamma11': gamma, 'dz': dz, 'delta0': float(d0), 'delta1': float(d1)})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'reference.markov.json')
    with open(out, 'w') as fh:
        json.dump({'generator': 'scripts/reference/markov_rates.py (mpmath, 30 digits: principal value by subtraction, tail on vertical rays)', 'rows': rows}, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
