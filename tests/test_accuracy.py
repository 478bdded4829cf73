"""Closed forms against independent references, at the edges of the parameter range.

* ``cumulative(n)``: brute-force ``math.fsum`` for small n; for n up to 1e12,
  mpmath at 50 digits term by term plus Euler-Maclaurin (``refs.mp_sum``,
  a fixture of tests/conftest.py), exact ``Fraction`` arithmetic, or a complex geometric series --
  never decaylib's own closed form.  Relative error <= 1e-9 (the issue's bar).
* sympy proves each closed form by telescoping: F(n+1) - F(n) == term(n), F(0) = 0.
* ``half_life`` / ``time_to`` against ``sympy.solve`` / ``mpmath.findroot``,
  and at the boundary epochs of the stepped schedules.
* ``robbins_monro`` against the theory in FIELD-NOTES.
"""
import functools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from decaylib import (
    constant,
    cosine,
    exponential,
    inverse_sqrt,
    inverse_time,
    join,
    linear,
    piecewise_constant,
    staircase,
    step_decay,
    warmup,
)
from decaylib.families import COSINE, EXPONENTIAL, INVERSE_SQRT, INVERSE_TIME, LINEAR
from decaylib.symbols import BY_NAME, n as n_sym, steps as steps_sym, t, total as total_sym

TOL = 1e-9  # the bar for closed forms at the edges
NS = [1, 2, 10, 1000, 10**6, 10**9, 10**12]
mpf = mpmath.mpf


def _frac_mp(x):
    return mpf(x.numerator) / x.denominator


# -- small n: brute force -----------------------------------------------------

BRUTE = [
    inverse_time(0.5, 1.0), inverse_time(0.1, 0.0), inverse_time(1e-12, 1e6), inverse_time(3.0, 1e-12),
    exponential(0.1, 0.5), exponential(0.1, 1.0), exponential(2.0, 1 - 1e-12), exponential(1e-300, 1e-6),
    inverse_sqrt(0.1, 1.0), inverse_sqrt(1e-12, 1e3), constant(0.3),
    cosine(0.1, 1), cosine(0.1, 7), cosine(0.1, 50, 0.01), linear(0.0, 0.1, 10), linear(0.1, 0.0, 13),
    linear(0.2, 0.05, 3), piecewise_constant([30, 60], [0.1, 0.01, 0.001]),
    piecewise_constant([2.5, 7], [3.0, 1.0, 0.5]), piecewise_constant([], [0.7]),
    staircase(inverse_time(0.5, 0.3), 7), step_decay(0.1, 0.5, 10), staircase(cosine(0.1, 5), 3),
    staircase(staircase(exponential(1.0, 0.9), 2), 3),
    join([constant(0.1), exponential(0.1, 0.5)], [10]), warmup(cosine(0.1, 100), 10),
    warmup(step_decay(0.1, 0.5, 4), 3, start=0.01),
    join([linear(0.0, 0.1, 5), constant(0.1), cosine(0.1, 20), constant(1e-3)], [5, 15, 40]),
]


@pytest.mark.parametrize("s", BRUTE, ids=repr)
def test_cumulative_equals_brute_force_fsum(s):
    values = s(np.arange(400.0))
    for n in list(range(0, 70)) + [99, 100, 101, 250, 400]:
        ref = math.fsum(values[:n])
        got = s.cumulative(n)
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-320), (n, got, ref)
    assert s.cumulative(0) == 0.0 and type(s.cumulative(5)) is float


# -- large n and edge parameters: mpmath at 50 digits --------------------------

def _unit_inverse_time(d):
    d = mpf(d)
    return lambda j: 1 / (1 + d * j)


@functools.cache
def _sum_inverse_time(d, n, refs):
    """sum_{t<n} 1 / (1 + d t), mpmath reference (lr0 factored out: sumem's control is absolute)."""
    return refs.mp_sum(_unit_inverse_time(d), n)


@functools.cache
def _sum_exponential(eps, n, refs):
    e = mpf(eps)
    return refs.mp_sum(lambda j: e**j, n)


@functools.cache
def _sum_inverse_sqrt(n, refs):
    return refs.mp_sum(lambda j: 1 / mpmath.sqrt(j + 1), n)


@pytest.mark.parametrize("lr0", [1e-300, 1e-12, 0.1, 1e6])
@pytest.mark.parametrize("d", [1e-300, 1e-50, 1e-12, 1e-6, 0.3, 1.0, 1e6, 1e12, 1e300])
def test_inverse_time_cumulative_vs_mpmath(lr0, d, refs):
    s = inverse_time(lr0, d)
    for n in NS:
        ref = mpf(lr0) * _sum_inverse_time(d, n, refs)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)


@pytest.mark.parametrize("lr0", [1e-300, 0.1, 1e6])
@pytest.mark.parametrize("eps", [1e-12, 0.5, 0.95, 1 - 1e-6, 1 - 1e-12, 1 - 2**-52, 1.0])
def test_exponential_cumulative_vs_mpmath(lr0, eps, refs):
    s = exponential(lr0, eps)
    for n in NS:
        # independent of the geometric closed form: sum term by term + Euler-Maclaurin
        ref = mpf(lr0) * _sum_exponential(eps, n, refs)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)


@pytest.mark.parametrize("lr0", [1e-300, 1e-12, 0.1])
@pytest.mark.parametrize("k", [1e-3, 1.0, 7.5, 1e3])
def test_inverse_sqrt_cumulative_vs_mpmath(lr0, k, refs):
    s = inverse_sqrt(lr0, k)
    for n in NS:
        ref = mpf(lr0) * mpf(k) * _sum_inverse_sqrt(n, refs)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)


def _cosine_ref(lr0, T, lr_min, n, refs):
    """n lr_min + (lr0 - lr_min)/2 (m + Re sum_{t<m} w^t), w = exp(i pi / T), m = min(n, T)."""
    with mpmath.workdps(refs.dps):
        m = min(n, T)
        w = mpmath.expjpi(mpf(1) / T)
        geo = mpmath.re((1 - w**m) / (1 - w)) if m else mpf(0)
        return n * mpf(lr_min) + (mpf(lr0) - mpf(lr_min)) / 2 * (m + geo)


@pytest.mark.parametrize("T", [1, 2, 7, 1000, 10**6, 10**12])
@pytest.mark.parametrize("lr0,lr_min", [(0.1, 0.0), (0.1, 0.01), (1e-300, 0.0), (2.0, 1.999)])
def test_cosine_cumulative_vs_complex_geometric_series(T, lr0, lr_min, refs):
    s = cosine(lr0, T, lr_min)
    for n in sorted({1, 2, 10, T - 1, T, T + 1, 2 * T, 10**12} - {0}):
        ref = _cosine_ref(lr0, T, lr_min, n, refs)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)
    if T <= 1000:  # and term by term, for the small horizons
        for n in (1, T, T + 5):
            ref = refs.mp_sum(lambda j: mpf(s(float(j))), n)
            assert refs.rel_err(s.cumulative(n), ref) <= 1e-12


def _linear_exact(start, end, S, n):
    start, end = Fraction(start), Fraction(end)
    if n <= 2000:
        return sum((start + (end - start) * Fraction(min(j, S), S) for j in range(n)), Fraction(0))
    m = min(n, S)  # arithmetic series, exactly, then the flat tail
    return m * start + (end - start) * Fraction(m * (m - 1), 2 * S) + (n - m) * end


@pytest.mark.parametrize("start,end,S", [(0.0, 0.1, 10), (0.1, 0.0, 10**6), (0.3, 0.3, 5),
                                         (1e-300, 2e-300, 3), (0.2, 0.05, 10**12)])
def test_linear_cumulative_vs_exact_fractions(start, end, S, refs):
    s = linear(start, end, S)
    for n in sorted({1, 2, 10, 1000, S - 1, S, S + 1, 10**12} - {0}):
        ref = _frac_mp(_linear_exact(start, end, S, n))
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)


def test_piecewise_constant_cumulative_vs_exact_epoch_counts(refs):
    bounds, values = [2.5, 7, 10**6, 10**11], [3.0, 1.0, 0.5, 1e-12, 1e-300]
    s = piecewise_constant(bounds, values)
    starts = [0] + [math.ceil(b) for b in bounds]  # first integer epoch of each piece
    ends = starts[1:] + [math.inf]
    for n in (1, 2, 3, 4, 7, 8, 999_999, 10**6, 10**6 + 1, 10**11, 10**12):
        ref = sum((Fraction(v) * max(0, min(n, e) - a) for v, a, e in zip(values, starts, ends)
                   if a < n), Fraction(0))
        assert refs.rel_err(s.cumulative(n), _frac_mp(ref)) <= 1e-15, n


@pytest.mark.parametrize("inner,every", [(exponential(0.1, 0.5), 7), (exponential(1e-300, 1 - 1e-12), 1000),
                                         (inverse_time(0.5, 0.3), 100), (inverse_sqrt(0.1, 2.0), 3),
                                         (inverse_time(1.0, 1e-12), 10**6)])
def test_staircase_cumulative_vs_mpmath(inner, every, refs):
    s = staircase(inner, every)
    f = inner._family.formula
    fn = sp.lambdify((t, *inner._family.symbols), f, "mpmath")
    args = [mpf(a) for a in inner._args]
    lr0 = args[0]
    for n in NS:
        q, r = divmod(n, every)
        with mpmath.workdps(refs.dps):
            ref = every * lr0 * refs.mp_sum(lambda j: fn(j, *args) / lr0, q) + r * fn(mpf(q), *args)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, (n, s.cumulative(n), ref)


def test_join_and_warmup_cumulative_at_large_n(refs):
    s = join([constant(0.1), exponential(0.1, 0.5), inverse_time(0.05, 1e-6)], [10, 10**6])
    for n in (5, 10, 11, 10**6, 10**6 + 1, 10**12):
        ref = mpf(0.1) * min(n, 10)
        if n > 10:
            ref += mpf(0.1) * refs.mp_sum(lambda j: mpf(0.5)**j, min(n, 10**6) - 10)
        if n > 10**6:
            ref += mpf(0.05) * refs.mp_sum(_unit_inverse_time(1e-6), n - 10**6)
        assert refs.rel_err(s.cumulative(n), ref) <= TOL, n
    w = warmup(cosine(0.1, 10**9), 1000)
    for n in (10, 1000, 1001, 10**9, 10**12):
        m = min(n, 1000)
        ramp = _frac_mp(_linear_exact(0.0, 0.1, 1000, m))
        ref = ramp + (_cosine_ref(0.1, 10**9, 0.0, n - 1000, refs) if n > 1000 else 0)
        assert refs.rel_err(w.cumulative(n), ref) <= TOL, n


# -- totals: cumulative(math.inf) -------------------------------------------------

@pytest.mark.parametrize("s,total", [
    (exponential(0.1, 0.5), 0.2),
    (exponential(0.3, 0.95), 6.0),
    (exponential(1.0, 1 - 1e-12), None),  # lr0 / (1 - eps), checked exactly below
    (exponential(1e-300, 0.5), 2e-300),
    (cosine(0.1, 100), 0.05 * 101),  # sum_{t<T} (1 + cos(pi t/T))/2 = (T + 1)/2
    (cosine(2.0, 1), 2.0),
    (step_decay(0.1, 0.5, 10), 10 * 0.2),
    (staircase(cosine(0.1, 100), 3), 3 * 0.05 * 101),
    (join([constant(0.1), exponential(0.1, 0.5)], [10]), 1.0 + 0.2),
    (warmup(cosine(0.1, 100), 10), 0.45 + 0.05 * 101),
    (linear(0.1, 0.0, 10), 0.1 * 11 / 2),
    (warmup(exponential(0.1, 0.5), 4, start=0.1), 0.4 + 0.2),
])
def test_finite_totals(s, total, refs):
    if total is None:
        eps = Fraction(1 - 1e-12)
        total = _frac_mp(1 / (1 - eps))
    assert s.robbins_monro().sum_diverges is False
    assert refs.rel_err(s.cumulative(math.inf), total) <= 1e-12, (s, s.cumulative(math.inf), total)
    assert s.cumulative(float("inf")) == s.cumulative(math.inf)
    # the partial sums approach the total from below
    assert s.cumulative(10**6) <= s.cumulative(math.inf)


@pytest.mark.parametrize("s", [inverse_time(0.1, 0.5), inverse_time(0.1, 0.0), exponential(0.1, 1.0),
                               inverse_sqrt(0.1, 1.0), constant(1e-12), cosine(0.1, 10, 1e-9),
                               piecewise_constant([10], [0.1, 0.01]), step_decay(0.1, 1.0, 5),
                               join([exponential(0.1, 0.5), constant(0.01)], [5]), linear(0.0, 0.1, 5)],
                         ids=repr)
def test_infinite_totals(s):
    assert s.cumulative(math.inf) == math.inf
    assert s.robbins_monro().sum_diverges is True


# -- sympy proofs of the closed forms (telescoping) -------------------------------

def _general(closed):
    closed = sp.piecewise_fold(closed)
    return closed.args[-1][0] if isinstance(closed, sp.Piecewise) else closed


def _harmonic_as_sum(h):
    """harmonic(n, s) as Sum(1/j**s, (j, 1, n)), with one shared summation symbol."""
    j = sp.Symbol("j", integer=True, positive=True)
    rewritten = h.rewrite(sp.Sum)
    (k, a, b), = rewritten.limits
    return sp.Sum(rewritten.function.subs(k, j), (j, a, b))


def _peel(expr):
    """Sum(f, (k, a, n + 1)) -> Sum(f, (k, a, n)) + f(n + 1): the last term taken out."""
    def peel_one(s):
        (k, a, b), = s.limits
        return sp.Sum(s.function, (k, a, b - 1)) + s.function.subs(k, b)
    return expr.replace(lambda x: isinstance(x, sp.Sum) and x.limits[0][2] == n_sym + 1, peel_one)


@pytest.mark.parametrize("fam", [INVERSE_TIME, EXPONENTIAL, INVERSE_SQRT], ids=lambda f: f.name)
def test_closed_form_telescopes(fam):
    """F(0) = 0 and F(n+1) - F(n) = term(n): so F(n) is the sum of the first n terms."""
    F = _general(fam.cumulative)
    term = fam.formula.subs(t, n_sym)
    assert sp.simplify(sp.expand_func(F.subs(n_sym, 0))) == 0
    step = sp.expand_func(F.subs(n_sym, n_sym + 1) - F) - term
    # zeta(1/2) - zeta(1/2, n + 1) becomes the generalised harmonic number; write it as its Sum
    step = step.replace(lambda x: isinstance(x, sp.harmonic), _harmonic_as_sum)
    assert sp.simplify(_peel(step)) == 0


def test_digamma_closed_form_of_inverse_time_by_telescoping():
    """The FIELD-NOTES form (alpha0/d)(psi(N + 1/d) - psi(1/d)), checked step by step."""
    lr0, d = BY_NAME["lr0"], BY_NAME["decay_rate"]
    F = lambda m: lr0 / d * (sp.digamma(m + 1 / d) - sp.digamma(1 / d))
    assert F(0) == 0
    assert sp.simplify(sp.expand_func(F(n_sym + 1) - F(n_sym)) - lr0 / (1 + d * n_sym)) == 0
    assert sp.simplify(_general(INVERSE_TIME.cumulative) - F(n_sym)) == 0
    # and the no-decay branch: d = 0 is alpha0 * n
    assert INVERSE_TIME.cumulative.subs(d, 0) == lr0 * n_sym


def test_cosine_and_linear_closed_forms_telescope():
    m = sp.Symbol("m", integer=True, nonnegative=True)
    for fam, clamp_n, clamp_t in [(COSINE, sp.Min(n_sym, total_sym), sp.Min(t, total_sym)),
                                  (LINEAR, sp.Min(n_sym, steps_sym), sp.Min(t, steps_sym))]:
        before = fam.cumulative.subs(clamp_n, m).subs(n_sym, m)  # n <= horizon: Min(n, H) = n
        assert sp.simplify(before.subs(m, 0)) == 0
        term = fam.formula.subs(clamp_t, m)
        assert sp.simplify(sp.expand_trig(sp.expand(before.subs(m, m + 1) - before - term))) == 0
        H = total_sym if fam is COSINE else steps_sym
        after = fam.cumulative.subs(clamp_n, H)  # n >= horizon: each epoch adds the final rate
        assert sp.simplify(after.subs(n_sym, n_sym + 1) - after - fam.formula.subs(clamp_t, H)) == 0


# -- half_life and time_to ---------------------------------------------------------

@functools.cache
def _solved(name):
    fam = {f.name: f for f in (INVERSE_TIME, EXPONENTIAL, INVERSE_SQRT)}[name]
    tt, a = sp.Symbol("tt", positive=True), sp.Symbol("a", positive=True)
    (sol,) = sp.solve(sp.Eq(fam.formula.subs(t, tt), a), tt)
    return sol, tt, a


def _sympy_time(s, level):
    """The t with alpha(t) = level: sympy.solve on the general formula, then the exact
    parameters substituted and evaluated at 40 digits; the root is verified by
    putting it back into the formula (residual < 1e-30)."""
    fam = s._family
    sol, tt, a = _solved(fam.name)
    exact = {BY_NAME[p]: sp.Rational(v) for p, v in zip(fam.params, s._args)}
    exact[a] = sp.Rational(level)
    ref = sp.N(sol.subs(exact), 40)
    fn = sp.lambdify((t, *fam.symbols), fam.formula, "mpmath")
    with mpmath.workdps(40):
        resid = fn(mpf(str(ref)), *[mpf(v) for v in s._args]) - mpf(level)
        assert abs(resid) <= 1e-30 * mpf(level)
    return ref


SOLVABLE = [inverse_time(0.5, 1.0), inverse_time(0.1, 1e-12), inverse_time(1e-12, 1e6),
            exponential(0.1, 0.5), exponential(0.1, 0.95), exponential(3.0, 1 - 1e-12), exponential(1e-300, 1e-6),
            inverse_sqrt(0.1, 1.0), inverse_sqrt(1e-12, 7.5), inverse_sqrt(1e6, 1e-3)]


@pytest.mark.parametrize("s", SOLVABLE, ids=repr)
def test_time_to_vs_sympy_solve(s, refs):
    a0 = s(0)
    for frac in (0.999, 0.5, 0.1, 1e-3, 1e-9):
        level = a0 * frac
        ref = _sympy_time(s, level)
        got = s.time_to(level)
        assert refs.rel_err(got, ref) <= 1e-12, (frac, got, ref)
        assert s(got) == pytest.approx(level, rel=1e-9)
    assert s.half_life() == s.time_to(a0 / 2)
    assert s.time_to(a0) == 0.0 and s.time_to(2 * a0) == 0.0


def test_known_half_lives(refs):
    for d in (1e-12, 0.01, 1.0, 7.0, 1e6):
        assert inverse_time(0.3, d).half_life() == pytest.approx(1 / d, rel=1e-14)
    for eps in (1e-6, 0.5, 0.95, 1 - 1e-9):
        ref = mpmath.log(2) / -mpmath.log(mpf(eps))
        assert refs.rel_err(exponential(0.3, eps).half_life(), ref) <= 1e-12
    assert exponential(0.1, 0.5).half_life() == 1.0


@pytest.mark.parametrize("k", [1e-3, 0.5, 1.0, 2.0, 7.5, 1e3])
@pytest.mark.parametrize("lr0", [1e-12, 0.1, 1e6])
def test_inverse_sqrt_half_life_is_3_for_every_k(k, lr0):
    s = inverse_sqrt(lr0, k)
    assert s.half_life() == 3.0
    assert s(3) == s(0) / 2


def test_cosine_time_to_vs_mpmath_findroot(refs):
    for lr0, T, lr_min in [(0.1, 100, 0.0), (0.1, 7, 0.02), (1.0, 10**6, 0.0)]:
        s = cosine(lr0, T, lr_min)
        with mpmath.workdps(refs.dps):
            f = lambda x, level: lr_min + (mpf(lr0) - lr_min) * (1 + mpmath.cos(mpmath.pi * x / T)) / 2 - level
            for level in (lr0 * 0.9, lr0 / 2, lr_min + (lr0 - lr_min) * 1e-3):
                ref = mpmath.findroot(lambda x: f(x, mpf(level)), (mpf(0), mpf(T)), solver="anderson")
                assert refs.rel_err(s.time_to(level), ref) <= 1e-12, (s, level)
        assert s.half_life() == pytest.approx(T / 2, rel=1e-14) or lr_min > 0
        assert s.time_to(lr_min) == pytest.approx(T, rel=1e-14) if lr_min > 0 else True
        if lr_min > 0:
            assert s.time_to(lr_min / 2) == math.inf


def test_time_to_never_reached_is_inf_and_extreme_levels_do_not_raise():
    assert exponential(0.1, 1.0).half_life() == math.inf
    assert inverse_time(0.1, 0.0).half_life() == math.inf
    assert constant(0.1).half_life() == math.inf
    assert piecewise_constant([10], [1.0, 0.6]).half_life() == math.inf
    assert cosine(0.1, 10, 0.06).half_life() == math.inf
    # levels far below the float range of the answer: inf, not OverflowError / ZeroDivisionError
    for s in (inverse_sqrt(1.0, 1.0), inverse_time(1.0, 1e-300), inverse_time(1e300, 1e-300)):
        assert s.time_to(1e-300) == math.inf
    assert exponential(1e300, 0.5).time_to(1e-300) == pytest.approx(600 * math.log2(10), rel=1e-12)
    assert inverse_time(1e-300, 1e300).time_to(5e-301) == pytest.approx(1e-300, rel=1e-12)


STEPPED = [step_decay(0.1, 0.5, 10), step_decay(0.1, 0.9, 3), step_decay(1e-12, 1 - 1e-3, 7),
           staircase(inverse_time(0.5, 0.3), 100), staircase(inverse_sqrt(0.1, 1.0), 5),
           staircase(cosine(0.1, 10), 4), staircase(exponential(0.1, 0.5), 1),
           piecewise_constant([30, 60], [0.1, 0.01, 0.001]), piecewise_constant([2.5, 7], [3.0, 2.0, 1.0]),
           piecewise_constant([5], [1.0, 0.5]), warmup(step_decay(0.1, 0.5, 10), 5)]


@pytest.mark.parametrize("s", STEPPED, ids=repr)
def test_stepped_half_life_is_the_first_integer_epoch_at_or_below_half(s):
    h = s.half_life()
    assert h == int(h) and h >= 1
    h = int(h)
    peak = max(s(np.arange(0.0, h + 1)))
    half = peak / 2
    assert s(h - 1) > half and s(h) <= half
    # brute force over the epochs: h is the first after the peak
    epochs = np.arange(0.0, h + 1)
    vals = s(epochs)
    start = int(np.argmax(vals))
    assert int(np.nonzero(vals[start:] <= half)[0][0]) + start == h


@pytest.mark.parametrize("s", STEPPED[:-1], ids=repr)
def test_stepped_time_to_at_many_levels(s):
    vals = s(np.arange(0.0, 5000))
    for frac in (0.99, 0.7, 0.5, 0.3, 0.01):
        level = s(0) * frac
        hit = np.nonzero(vals <= level)[0]
        got = s.time_to(level)
        if hit.size:
            assert got == float(hit[0]), (frac, got, hit[0])
            assert got == 0 or s(got - 1) > level
        else:
            assert got > 4999


def test_stepped_time_to_exact_stair_value_counts_as_reached():
    s = step_decay(0.1, 0.5, 10)
    assert s.time_to(0.05) == 10.0 and s.time_to(0.025) == 20.0
    assert s.time_to(0.05 * (1 + 1e-15)) == 10.0 and s.time_to(0.05 * (1 - 1e-15)) == 20.0


def test_join_half_life_measures_from_the_peak():
    assert warmup(cosine(0.1, 100), 10).half_life() == 60.0
    s = join([constant(0.1), exponential(0.1, 0.5)], [10])
    assert s.half_life() == 11.0


# -- Robbins-Monro -----------------------------------------------------------------

@pytest.mark.parametrize("s,diverges,squares_converge", [
    (inverse_time(0.1, 0.5), True, True),      # the one classical family that satisfies both
    (inverse_time(1e-12, 1e6), True, True),
    (inverse_time(0.1, 0.0), True, False),     # d = 0: constant
    (exponential(0.1, 0.95), False, True),     # finite total lr0 / (1 - eps)
    (exponential(0.1, 1.0), True, False),      # eps = 1: constant
    (inverse_sqrt(0.1, 1.0), True, False),     # squares: harmonic series
    (inverse_sqrt(5.0, 1e-3), True, False),
    (constant(0.1), True, False),
    (step_decay(0.1, 0.5, 10), False, True),   # finite total N lr0 / (1 - eps)
    (step_decay(0.1, 1.0, 10), True, False),
    (staircase(inverse_time(0.5, 0.3), 100), True, True),
    (piecewise_constant([10, 20], [0.1, 0.01, 0.001]), True, False),
    (cosine(0.1, 100), False, True),
    (cosine(0.1, 100, 1e-4), True, False),
    (linear(0.1, 0.0, 10), False, True),
    (warmup(inverse_time(0.1, 1.0), 5), True, True),
    (join([inverse_time(0.1, 1.0), exponential(0.05, 0.5)], [100]), False, True),
])
def test_robbins_monro_verdicts_match_theory(s, diverges, squares_converge):
    rm = s.robbins_monro()
    assert rm == (diverges, squares_converge)
    assert rm.sum_diverges is diverges and rm.sum_of_squares_converges is squares_converge
    assert rm.satisfied is (diverges and squares_converge)
    assert (s.cumulative(math.inf) == math.inf) is diverges


def test_robbins_monro_growth_seen_numerically(refs):
    """The verdicts show in the numbers: partial sums of alpha and alpha^2 at n = 1e6 and 1e12."""
    it, isq = inverse_time(1.0, 1.0), inverse_sqrt(1.0, 1.0)
    # sum alpha grows like ln n for inverse time ...
    assert it.cumulative(10**12) - it.cumulative(10**6) == pytest.approx(6 * math.log(10), rel=1e-5)
    # ... and its squares converge to pi^2/6; inverse_sqrt's squares are inverse_time's terms
    sq = lambda j: 1 / (1 + j) ** 2
    assert float(refs.mp_sum(sq, 10**12)) == pytest.approx(math.pi**2 / 6, rel=1e-11)
    assert np.allclose(isq(np.arange(100.0)) ** 2, it(np.arange(100.0)), rtol=1e-15)


def test_stepped_time_to_far_beyond_float_integers_terminates(refs):
    """Stairs past 2**52 are not distinct floats: the answer comes back, rounded, at once."""
    assert staircase(inverse_time(1.0, 1e-10), 1).time_to(1e-290) == pytest.approx(1e300, rel=1e-12)
    assert staircase(inverse_time(1.0, 1e-10), 10).time_to(1e-299) == math.inf  # 1e309 epochs: beyond floats
    h = step_decay(0.1, 1 - 1e-16, 3).time_to(1e-300)
    eps = mpf(1 - 1e-16)
    with mpmath.workdps(50):
        ref = 3 * mpmath.ceil(mpmath.log(mpf(1e-300) / mpf(0.1)) / mpmath.log(eps))
    assert refs.rel_err(h, ref) <= 1e-12


def test_staircase_of_a_join_finds_the_first_epoch_piece_by_piece():
    """A join may rise again (warm-up, or a later piece that starts higher): brute force agrees."""
    cases = [
        staircase(join([exponential(1.0, 0.25), constant(1.0)], [1]), 1),  # dips at t=0.5 only; back up at 1
        staircase(warmup(exponential(1.0, 0.5), 5), 2),
        staircase(join([inverse_time(3.4e16, 5.6e16), constant(4.8e16)], [1]), 3),
        staircase(join([constant(0.1), step_decay(0.1, 0.5, 3), constant(0.02)], [4, 20]), 2),
    ]
    for s in cases:
        vals = s(np.arange(0.0, 400))
        for level in (1.0, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01, 1e-300, 2e16):
            hit = np.nonzero(vals <= level)[0]
            expected = float(hit[0]) if hit.size else math.inf
            assert s.time_to(level) == expected, (s, level)
