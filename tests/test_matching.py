"""Matching helpers: the returned schedule really does what was asked.

Every result is recomputed independently: the rate at the epoch by evaluating
the schedule, the half-life by brute force / the schedule's values, the budget
by ``math.fsum`` over the epochs (small n) or mpmath (large n).  Where a float
parameter cannot hit the target exactly (eps near 1 over 1e12 epochs), the
returned parameter must be the best float: no neighbouring float does better.
"""
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from decaylib import match_budget, match_half_life, match_rate
from decaylib.matching import FAMILIES, parameter_for_half_life, parameter_for_rate
from decaylib.symbols import lr0 as lr0_sym, rate as rate_sym

mpf = mpmath.mpf


def _neighbours(x, k=2):
    out = [x]
    for direction in (math.inf, -math.inf):
        y = x
        for _ in range(k):
            y = math.nextafter(y, direction)
            out.append(y)
    return out


def _best_float(param, value, miss):
    """``miss(p)`` (an mpmath error, at 50 digits) is smallest at ``value`` among its float neighbours."""
    with mpmath.workdps(50):
        here = miss(value)
        for other in _neighbours(value):
            if other != value and (param != "eps" or 0 < other <= 1) and (param == "eps" or other >= 0):
                assert here <= miss(other) * (1 + 1e-9), (param, value, other)


# -- match_rate --------------------------------------------------------------------

@pytest.mark.parametrize("family", ["inverse_time", "exponential", "inverse_sqrt"])
@pytest.mark.parametrize("lr0", [1e-12, 0.1, 1e6])
def test_match_rate_reaches_the_rate_at_the_epoch(family, lr0):
    for frac in (0.999, 0.5, 1e-3, 1e-12):
        for at in (0.5, 1, 10, 1000, 10**6, 10**12):
            rate = lr0 * frac
            param = FAMILIES[family][1]
            try:
                s = match_rate(family, lr0=lr0, rate=rate, at=at)
            except ValueError as err:
                # only eps**at over a trillion epochs: eps's last bit moves the rate by more than 1e-9
                assert family == "exponential" and at == 10**12, (frac, err)
                assert "no float64 value of eps does" in str(err) and "relative miss" in str(err)
                best = float(str(err).split("the best, eps=")[1].split(",")[0])
                with mpmath.workdps(50):
                    for e in _neighbours(best):  # the best float and its neighbours all miss by > 1e-9
                        assert abs(mpf(lr0) * mpf(e) ** at / mpf(rate) - 1) > 1e-9, (frac, e)
                continue
            assert s.family == family
            value = s.params[param]
            start = lr0 * value if family == "inverse_sqrt" else lr0
            assert s(0) == pytest.approx(start, rel=1e-15)
            # eps**at turns eps's rounding (1.1e-16 relative) into at * 1.1e-16: exact to 1e-12
            # where the float eps allows, and the best float always (checked below)
            cond = at if family == "exponential" else 1.0
            assert s(at) == pytest.approx(rate, rel=1e-12 + 2.3e-16 * cond), (family, frac, at, s)
            assert s(at) == pytest.approx(rate, rel=1.1e-9)  # the promise: met to 1e-9, or an error
            if family == "exponential":
                _best_float("eps", value, lambda e: abs(mpf(lr0) * mpf(e) ** mpf(at) - rate))


def test_match_rate_with_rate_equal_lr0_is_the_no_decay_member():
    assert match_rate("inverse_time", 0.1, 0.1, 10).params["decay_rate"] == 0.0
    assert match_rate("exponential", 0.1, 0.1, 10).params["eps"] == 1.0
    s = match_rate("inverse_sqrt", 0.1, 0.3, 8)  # inverse_sqrt may start above lr0: k = 0.3 * 3 / 0.1
    assert s.params["k"] == pytest.approx(9.0, rel=1e-15) and s(8) == pytest.approx(0.3, rel=1e-15)


def test_match_rate_examples_and_symbolic_solutions():
    assert match_rate("exponential", lr0=0.1, rate=0.025, at=2).params["eps"] == 0.5
    assert match_rate("inverse_time", lr0=0.1, rate=0.025, at=2).params["decay_rate"] == 1.5
    at = sp.Symbol("t_star", positive=True)
    assert sp.simplify(parameter_for_rate("exponential") - (rate_sym / lr0_sym) ** (1 / at)) == 0
    assert sp.simplify(parameter_for_rate("inverse_time") - (lr0_sym / rate_sym - 1) / at) == 0


# -- match_half_life ---------------------------------------------------------------

@pytest.mark.parametrize("lr0", [1e-12, 0.1, 1e6])
@pytest.mark.parametrize("h", [0.25, 1, 3, 10, 77.5, 1000, 10**6])
def test_match_half_life_inverse_time(lr0, h):
    s = match_half_life("inverse_time", lr0, h)
    assert s.params["decay_rate"] == pytest.approx(1 / h, rel=1e-15)
    assert s.half_life() == pytest.approx(h, rel=1e-14)
    assert s(h) == pytest.approx(lr0 / 2, rel=1e-14)
    if h >= 2 and h == int(h):  # the integer epochs around it, by brute force
        vals = s(np.arange(0.0, h + 2))
        assert vals[int(h) - 1] > lr0 / 2 >= vals[int(h) + 1]


@pytest.mark.parametrize("lr0", [1e-12, 0.1, 1e6])
@pytest.mark.parametrize("h", [0.25, 1, 3, 10, 77.5, 1000, 10**6])
def test_match_half_life_exponential(lr0, h, refs):
    s = match_half_life("exponential", lr0, h)
    eps = s.params["eps"]
    ref = mpmath.power(2, -1 / mpf(h))
    assert refs.rel_err(eps, ref) <= 1.2e-16  # the correctly rounded 2**(-1/h)
    # the half-life is as close to h as the float eps allows (relative error ~ h * 1e-16)
    assert s.half_life() == pytest.approx(h, rel=1e-13 + 3e-16 * h)
    assert s(h) == pytest.approx(lr0 / 2, rel=1e-13 + 2.3e-16 * h)


def test_match_half_life_inverse_sqrt_raises_clear_error():
    for h in (1, 3, 10):
        with pytest.raises(ValueError, match=r"inverse_sqrt.*half-life is 3 epochs whatever k is"):
            match_half_life("inverse_sqrt", 0.1, h)
    assert parameter_for_half_life("inverse_sqrt") == sp.FiniteSet(3)


# -- match_budget ------------------------------------------------------------------

FRACS = [1e-9, 0.01, 0.5, 0.999999]  # budget = lr0 * (1 + frac * (n - 1)), inside (lr0, n lr0)


@pytest.mark.parametrize("family", ["inverse_time", "exponential", "inverse_sqrt"])
@pytest.mark.parametrize("lr0", [1e-12, 0.1, 1e6])
@pytest.mark.parametrize("n", [2, 10, 1000, 10**5])
def test_match_budget_spends_the_budget_brute_force(family, lr0, n, refs):
    for frac in FRACS:
        budget = lr0 * (1 + frac * (n - 1))
        s = match_budget(family, lr0, budget, n)
        spent = math.fsum(s(np.arange(float(n))))
        param = FAMILIES[family][1]
        value = s.params[param]
        if family == "exponential":  # conditioning: d budget / d eps is large near eps = 1
            _best_float("eps", value, lambda e: abs(mpf(lr0) * refs.mp_sum(lambda j: mpf(e) ** j, n) - budget)
                        if n <= 100 else abs(mpf(lr0) * (1 - mpf(e) ** n) / (1 - mpf(e)) - budget))
            tol = 1e-12 + 2e-16 * n * n
        else:
            tol = 1e-12
        assert spent == pytest.approx(budget, rel=tol), (family, frac, s)
        assert s.cumulative(n) == pytest.approx(budget, rel=tol)
        assert s(0) == pytest.approx(lr0 * value if family == "inverse_sqrt" else lr0, rel=1e-15)


@pytest.mark.parametrize("family", ["inverse_time", "inverse_sqrt"])
def test_match_budget_at_a_trillion_epochs_vs_mpmath(family, refs):
    lr0, n = 0.1, 10**12
    for frac in (1e-9, 1e-3, 0.5):
        budget = lr0 * (1 + frac * (n - 1))
        s = match_budget(family, lr0, budget, n)
        value = s.params[FAMILIES[family][1]]
        if family == "inverse_time":
            d = mpf(value)
            ref = mpf(lr0) * refs.mp_sum(lambda j: 1 / (1 + d * j), n)
        else:
            ref = mpf(lr0) * mpf(value) * refs.mp_sum(lambda j: 1 / mpmath.sqrt(j + 1), n)
        assert refs.rel_err(ref, budget) <= 1e-12, (family, frac, s)


def test_match_budget_full_budget_is_no_decay_and_examples():
    assert match_budget("inverse_time", 0.1, 1.0, 10).params["decay_rate"] == 0.0
    assert match_budget("exponential", 0.1, 1.0, 10).params["eps"] == 1.0
    assert round(match_budget("exponential", lr0=0.1, budget=0.19, n=2).params["eps"], 12) == 0.9
    s = match_budget("inverse_sqrt", 0.1, 0.1 * (1 + 2**-0.5), 2)  # k = 1 exactly
    assert s.params["k"] == pytest.approx(1.0, rel=1e-15)


def test_matched_schedules_are_ordinary_schedules():
    for s in (match_rate("exponential", 0.1, 0.01, 10), match_half_life("inverse_time", 0.1, 5),
              match_budget("inverse_sqrt", 0.1, 3.0, 100)):
        assert s.robbins_monro() is not None and s.cumulative(3) > 0 and s.expr.free_symbols


@pytest.mark.parametrize("family", ["inverse_time", "exponential"])
@pytest.mark.parametrize("lr0", [1e-300, 26969867820795.0, 1e300 / 2**40])
def test_match_budget_is_scale_free(family, lr0):
    """The solver works on budget / lr0: huge and tiny lr0 (an nsolve tolerance failed at 2.7e13)."""
    n = 16991769
    budget = lr0 * (1 + 0.9375 * (n - 1))
    s = match_budget(family, lr0, budget, n)
    unit = match_budget(family, 1.0, 1 + 0.9375 * (n - 1), n)
    param = FAMILIES[family][1]
    # budget = lr0 * (...) is rounded differently for each lr0: the same parameter to ~1e-12
    assert s.params[param] == pytest.approx(unit.params[param], rel=1e-9, abs=0)
    assert s.cumulative(n) == pytest.approx(budget, rel=1e-9)
