"""Values of every schedule against sympy/mpmath, and the calling conventions.

References are independent of the float code: the family's general sympy
formula with the *exact* rational value of each float parameter substituted,
evaluated by sympy at 50 digits; the schedule's own ``.expr`` evaluated the
same way; for stepped schedules their ``Piecewise`` / ``floor`` expression.
"""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

import decaylib
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
from decaylib.families import COSINE, LINEAR
from decaylib.schedule import Smooth
from decaylib.stepped import PiecewiseConstant, Staircase
from decaylib.symbols import BY_NAME, steps as steps_sym, t, total as total_sym

RTOL = 1e-12

SMOOTH = [
    *(inverse_time(lr0, d) for lr0 in (1e-300, 1e-12, 0.1, 1e6) for d in (0.0, 1e-12, 0.01, 0.5, 3.0, 1e6)),
    *(exponential(lr0, e) for lr0 in (1e-12, 0.5, 1e6) for e in (1e-6, 0.5, 0.95, 1 - 1e-12, 1.0)),
    *(inverse_sqrt(lr0, k) for lr0 in (1e-12, 0.1, 1e6) for k in (1e-3, 1.0, 7.5)),
    constant(1e-12), constant(0.1), constant(3e6),
    *(cosine(lr0, T, m) for lr0 in (1e-12, 0.1) for T in (1, 7, 100, 10**6) for m in (0.0, 0.3 * lr0)),
    linear(0.0, 0.1, 10), linear(0.1, 0.0, 10**6), linear(0.3, 0.3, 5), linear(0.2, 0.05, 3),
    linear(1e-12, 2.0, 7),
]
EPOCHS = [0, 0.5, 1, 2, 2.5, 3, 6, 7, 8, 10, 49, 50, 51, 99, 100, 101, 1e3,
          5e5, 1e6 - 1, 1e6, 1e6 + 1, 123456.75, 1e9, 1e12]


def _ref_formula(s):
    """The family formula as an mpmath function of t, every parameter exact.

    ``mpmath.mpf(x)`` of a float is its exact binary value; the formula is
    evaluated at 50 digits, so nothing is rounded at float precision.
    """
    fam = s._family
    f = sp.lambdify((t, *fam.symbols), fam.formula, "mpmath")
    args = [mpmath.mpf(a) for a in s._args]
    return lambda tt: f(mpmath.mpf(tt), *args)


def _expr_fn(expr):
    """``expr`` (in t only) as an mpmath function; sympy Floats are printed exactly."""
    return sp.lambdify(t, expr, "mpmath")


def _at(fn, tt):
    """Evaluate an mpmath reference at the exact epoch ``tt`` with 50 digits."""
    if isinstance(fn, sp.Basic):
        fn = _expr_fn(fn)
    with mpmath.workdps(50):
        return fn(mpmath.mpf(tt))


def _close(got, ref, rtol=RTOL):
    """Relative closeness; values below the float range compare as 0."""
    with mpmath.workdps(50):
        ref = mpmath.mpf(ref.numerator) / ref.denominator if isinstance(ref, Fraction) else mpmath.mpf(ref)
        if abs(ref) < 1e-300:
            return abs(got) <= 1e-300
        return abs(mpmath.mpf(got) - ref) <= rtol * abs(ref)


@pytest.mark.parametrize("s", SMOOTH, ids=repr)
def test_smooth_values_equal_exact_formula_by_mpmath(s):
    got = s(np.asarray(EPOCHS))
    ref = _ref_formula(s)
    bad = [(tt, g, _at(ref, tt)) for tt, g in zip(EPOCHS, got) if not _close(g, _at(ref, tt))]
    assert len(got) == len(EPOCHS)
    assert not bad, bad[:3]


@pytest.mark.parametrize("s", SMOOTH, ids=repr)
def test_smooth_values_equal_own_expr(s):
    """``s.expr`` (floats substituted) and ``s(t)`` agree to 1e-12.

    The one exception is a linear ramp to 0, where the rounded slope in the
    displayed expression (e.g. ``0.1/1e6`` as a 15-digit Float) limits the
    expression itself near the end of the ramp; there the reference is the
    exact formula above.
    """
    assert s.expr.free_symbols <= {t}, "parameters must be substituted in .expr"
    fn = _expr_fn(s.expr)
    for tt in EPOCHS:
        ref = _at(fn, tt)
        if s.family == "linear" and s.params["end"] == 0 and tt >= 0.99 * s.params["steps"]:
            continue
        assert _close(s(tt), ref), (tt, s(tt), ref)


def test_horizon_families_at_their_boundary_epochs():
    for T in (1, 7, 100, 10**6):
        s = cosine(0.1, T, 0.01)
        ref = _ref_formula(s)
        for tt in (T - 1, T - 0.5, T, T + 1, T // 2, 2 * T):
            assert _close(s(tt), _at(ref, tt)), (T, tt)
        assert s(T) == s(T + 1) == s(10 * T) == 0.01
    s = linear(0.1, 0.0, 1000)
    for tt in (998, 999, 1000, 1001):
        assert _close(s(tt), Fraction(0.1) * Fraction(1000 - min(tt, 1000), 1000))


def test_cosine_near_its_end_keeps_relative_accuracy():
    """(1 + cos x)/2 loses every digit near x = pi in floats; decaylib must not."""
    T = 10**6
    s = cosine(1.0, T)
    with mpmath.workdps(50):
        for tt in (T - 1, T - 2, T - 10):
            ref = (1 + mpmath.cos(mpmath.pi * tt / T)) / 2
            assert _close(s(tt), ref), tt


@pytest.mark.parametrize("fam,clamp,sym", [(COSINE, sp.Min(t, total_sym), total_sym), (LINEAR, sp.Min(t, steps_sym), steps_sym)])
def test_stable_numeric_form_equals_formula_symbolically(fam, clamp, sym):
    """The float code of cosine and linear uses a rearranged formula: sympy proves it equal."""
    u = sp.Symbol("u", nonnegative=True)
    formula = fam.formula.subs(clamp, u)
    stable = sp.piecewise_fold(fam.stable.doit().subs(clamp, u))
    branches = [e for e, _ in stable.args] if isinstance(stable, sp.Piecewise) else [stable]
    for branch in branches:
        assert sp.simplify(sp.expand_trig(formula - branch)) == 0


# -- stepped schedules: numeric code vs their Piecewise / floor expression -----

def _stepped_cases():
    pc = [
        piecewise_constant([30, 60], [0.1, 0.01, 0.001]),
        piecewise_constant([1], [1.0, 2.0]),
        piecewise_constant([], [0.25]),
        piecewise_constant([2.5, 7, 1e6], [3.0, 1.0, 0.5, 1e-12]),
        # more boundaries than _FEW_PIECES: the searchsorted path
        piecewise_constant([1, 2, 2.5, 3, 4, 6, 7, 10, 30, 60, 100, 300],
                           [0.9 / (i + 1) for i in range(13)]),
    ]
    inner = [inverse_time(0.5, 0.3), exponential(0.1, 0.5), inverse_sqrt(0.1, 2.0), cosine(0.1, 5), constant(0.2)]
    sc = [staircase(s, every) for s in inner for every in (1, 3, 100)]
    sd = [step_decay(0.1, 0.5, 10), step_decay(1e-12, 0.95, 1), step_decay(2.0, 1.0, 7)]
    return pc + sc + sd


STEPPED_EPOCHS = [0, 0.5, 1, 2, 2.5, 3, 4, 6, 7, 8, 9, 10, 11, 29, 29.5, 30, 31, 59, 60, 61, 99, 100, 101,
                  299, 300, 301, 999999, 1e6, 1e6 + 1, 1e9]


@pytest.mark.parametrize("s", _stepped_cases(), ids=repr)
def test_stepped_values_equal_piecewise_floor_expression(s):
    expr = s.expr
    assert expr.has(sp.Piecewise) or expr.has(sp.floor) or not expr.has(t)
    fn = _expr_fn(expr)
    got = s(np.asarray(STEPPED_EPOCHS))
    for tt, g in zip(STEPPED_EPOCHS, got):
        assert _close(g, _at(fn, tt)), (tt, g, _at(fn, tt))


def test_piecewise_fills_and_binary_search_agree():
    """Both evaluation paths of piecewise_constant give the same values."""
    from decaylib import stepped

    rng = np.random.default_rng(3)
    for m in range(0, stepped._FEW_PIECES + 2):
        bounds = np.sort(rng.choice(np.arange(1, 200) / 2, size=m, replace=False)).tolist()
        s = piecewise_constant(bounds, rng.uniform(0.01, 1, m + 1).tolist())
        tt = np.concatenate([np.arange(0, 120, 0.25), bounds])
        by_search = s._v[np.searchsorted(s._b, tt, side="right")]
        assert np.array_equal(s(tt), by_search), m


def test_staircase_is_inner_at_floor():
    inner = inverse_time(0.5, 0.3)
    s = staircase(inner, 100)
    tt = np.arange(0, 1000, 7, dtype=float)
    np.testing.assert_array_equal(s(tt), inner(np.floor(tt / 100)))


def test_step_decay_is_staircase_of_exponential():
    a, b = step_decay(0.1, 0.5, 10), staircase(exponential(0.1, 0.5), 10)
    tt = np.arange(200.0)
    np.testing.assert_array_equal(a(tt), b(tt))
    assert a == b and repr(a) == repr(b)
    assert a.formula == sp.Symbol("alpha_0", positive=True) * sp.Symbol("varepsilon", positive=True) ** sp.floor(
        t / BY_NAME["every"])


def test_join_and_warmup_values_equal_their_piecewise_expression():
    cases = [
        join([constant(0.1), exponential(0.1, 0.5)], [10]),
        join([linear(0.0, 0.1, 5), constant(0.1), cosine(0.1, 20)], [5, 15]),
        warmup(cosine(0.1, 100), 10),
        warmup(inverse_time(0.5, 1.0), 3, start=0.05),
        warmup(step_decay(0.1, 0.5, 10), 4),
    ]
    for s in cases:
        fn = _expr_fn(s.expr)
        for tt in [0, 1, 2.5, 3, 4, 5, 9, 10, 11, 14, 15, 16, 34, 35, 36, 109, 110, 111, 500]:
            assert _close(s(tt), _at(fn, tt)), (s, tt)


def test_join_pieces_run_on_their_own_clock():
    """Optax's join_schedules convention: piece i sees t - boundaries[i-1]."""
    tail = exponential(0.1, 0.5)
    s = join([constant(0.1), tail], [10])
    for tt in (10, 11, 12, 30):
        assert s(tt) == tail(tt - 10)
    assert s(9) == 0.1


def test_warmup_ramps_linearly_then_runs_the_schedule_from_its_start():
    base = cosine(0.1, 100)
    s = warmup(base, 10)
    assert [s(i) for i in range(11)] == pytest.approx([0.01 * i for i in range(11)], rel=1e-15, abs=0)
    for tt in (10, 11, 50, 110, 200):
        assert s(tt) == base(tt - 10)


# -- calling conventions ------------------------------------------------------

ALL = SMOOTH[::5] + _stepped_cases()[::3] + [warmup(cosine(0.1, 100), 10)]


@pytest.mark.parametrize("s", ALL, ids=repr)
def test_scalar_in_float_out_array_in_array_out(s):
    for x in (3, 3.0, np.float64(3.0), np.int64(3), np.float32(3.0), Fraction(3)):
        v = s(x)
        assert type(v) is float and v == s(3.0)
    for shape in [(0,), (5,), (2, 3), (1, 1, 4)]:
        arr = np.arange(math.prod(shape), dtype=float).reshape(shape) * 3.5
        out = s(arr)
        assert isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float64
        assert [s(float(x)) for x in arr.flat] == list(out.flat)
    assert isinstance(s(np.array(2.0)), float)  # a 0-d array is a scalar
    assert list(s([0, 1, 2])) == [s(0), s(1), s(2)]


@pytest.mark.parametrize("s", ALL, ids=repr)
def test_input_array_is_not_modified_and_output_is_fresh(s):
    arr = np.arange(10.0)
    before = arr.copy()
    out1 = s(arr)
    out1[:] = -1.0
    np.testing.assert_array_equal(arr, before)
    assert (s(arr) >= 0).all()


def test_evaluation_is_vectorised_no_python_loop_over_t(monkeypatch):
    """Evaluating N epochs calls the numeric kernel once per piece, not once per epoch."""
    calls = []

    def counting(kernel):
        def wrapped(self, tt, *args):
            calls.append(np.size(tt))
            return kernel(self, tt, *args)
        return wrapped

    for cls in (Smooth, PiecewiseConstant, Staircase):
        monkeypatch.setattr(cls, "_eval", counting(cls._eval))
    N = 10_000
    tt = np.arange(N, dtype=float)
    cases = {  # schedule -> most kernel calls allowed
        inverse_time(0.1, 0.5): 1, exponential(0.1, 0.9): 1, inverse_sqrt(0.1, 1.0): 1, constant(0.1): 1,
        cosine(0.1, 100): 1, linear(0.0, 0.1, 10): 1, piecewise_constant([3, 6], [3.0, 2.0, 1.0]): 1,
        step_decay(0.1, 0.5, 10): 2, staircase(cosine(0.1, 50), 7): 2,
        warmup(cosine(0.1, 100), 10): 2, join([constant(0.1), step_decay(0.1, 0.5, 5), linear(0.1, 0.0, 10)], [5, 50]): 5,
    }
    for s, most in cases.items():
        calls.clear()
        out = s(tt)
        assert out.shape == (N,)
        assert 1 <= len(calls) <= most, (s, len(calls))
        assert sum(c for c in calls if c) >= N  # the kernels saw whole arrays
    calls.clear()
    with np.errstate(all="raise"):  # and no warning-producing work on the way
        inverse_time(0.1, 0.5)(tt)


# -- objects -------------------------------------------------------------------

def test_params_family_repr_equality_and_hash():
    a, b = inverse_time(0.5, 1), inverse_time(lr0=0.5, decay_rate=1.0)
    assert a == b and hash(a) == hash(b) and a != inverse_time(0.5, 2.0)
    assert a != exponential(0.5, 1.0) and a != "inverse_time(lr0=0.5, decay_rate=1.0)"
    assert a.params == {"lr0": 0.5, "decay_rate": 1.0} and a.family == "inverse_time"
    assert repr(a) == "inverse_time(lr0=0.5, decay_rate=1.0)"
    assert eval(repr(a), vars(decaylib)) == a  # the repr round-trips (evaluated here in the test only)
    assert {exponential(0.1, 0.5), exponential(0.1, 0.5)} == {exponential(0.1, 0.5)}
    for s in ALL:
        assert s.family in decaylib.viz.COLORS or s.family == "linear"


def test_formula_uses_the_parameter_symbols_and_expr_substitutes_them():
    s = inverse_time(0.5, 2.0)
    lr0, d = BY_NAME["lr0"], BY_NAME["decay_rate"]
    assert s.formula == lr0 / (1 + d * t)
    assert sp.simplify(s.expr - sp.Float(0.5) / (1 + 2 * t)) == 0
    assert sp.simplify(s.formula.subs({lr0: sp.Rational(1, 2), d: 2}) - s.expr) == 0
    assert exponential(0.1, 0.5).formula == BY_NAME["lr0"] * BY_NAME["eps"] ** t
    assert inverse_sqrt(0.1, 2.0).formula == BY_NAME["lr0"] * BY_NAME["k"] / sp.sqrt(t + 1)
    assert "alpha" in s._repr_latex_()


def test_schedules_are_pure_functions():
    """Calling in any order, any number of times, gives the same numbers (no state)."""
    for s in ALL:
        first = s(np.arange(50.0))
        _ = s(1e6), s(np.arange(100.0)[::-1]), s.cumulative(10), s.robbins_monro()
        np.testing.assert_array_equal(s(np.arange(50.0)), first)
        assert [s(i) for i in range(50)] == list(first)


def test_extreme_evaluations_are_silent_and_exact_in_the_limit():
    """Overflow of d*t and underflow of eps**t give the right limit, 0, without RuntimeWarnings."""
    import warnings

    tt = np.array([0.0, 1.0, 1e12])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = inverse_time(1.0, 1e300)(tt)
        assert v[0] == 1.0 and v[1] == pytest.approx(1e-300, rel=1e-15)
        # d * t overflows, the answer 1e-312 does not (a subnormal: compared to its last unit)
        assert abs(v[2] - 1e-312) <= 5e-324
        v = exponential(1e-300, 1e-300)(tt)
        assert v[0] == 1e-300 and v[1] == 0.0 and v[2] == 0.0
        assert step_decay(0.1, 1e-300, 1)(1e12) == 0.0
        assert warmup(exponential(1.0, 1e-10), 2)(np.array([0.0, 1.0, 1e6])).tolist() == [0.0, 0.5, 0.0]
        # large rates over long ramps: start * steps must not overflow on the way
        ramp = linear(5e297, 6e297, 35135806951)
        assert ramp(0) == 5e297 and ramp(35135806951) == 6e297 and ramp.half_life() == math.inf
        assert piecewise_constant([], [7.5e299]).cumulative(10**9) == math.inf
