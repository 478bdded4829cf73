"""Issue 14: every answer right, or refused by name -- under hostile input.

One section per class of the issue: valid integers accepted exactly (2),
errors that name the argument (3), nothing silently wrong (4: non-integer
counts, intermediate overflow and underflow), matching helpers that say when
float64 cannot meet the target (5), the join edge (6), and scalars
bit-identical to arrays on every CPU.  References are mpmath at 50 digits or
exact integer arithmetic.
"""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, strategies as st

import decaylib
from decaylib import (
    constant,
    cosine,
    exponential,
    inverse_sqrt,
    inverse_time,
    join,
    linear,
    match_budget,
    match_half_life,
    match_rate,
    piecewise_constant,
    staircase,
    step_decay,
    warmup,
)

mpf = mpmath.mpf

ALL = [inverse_time(0.1, 1.0), exponential(0.1, 0.5), inverse_sqrt(0.1, 1.0), constant(0.1), cosine(0.1, 10),
       linear(0.1, 0.0, 5), piecewise_constant([3], [0.1, 0.01]), step_decay(0.1, 0.5, 2),
       warmup(cosine(0.1, 10), 3), join([constant(0.1), exponential(0.1, 0.5)], [4])]


# -- 2. valid integers are accepted exactly ------------------------------------------------------

HUGE_COUNTS = [2**53 + 1, np.uint64(2**64 - 1), 10**17 + 10, np.int64(2**63 - 1), 2**80 + 3]


@pytest.mark.parametrize("n", HUGE_COUNTS, ids=repr)
def test_huge_integer_counts_are_accepted_exactly(n):
    exact = int(n)
    with mpmath.workdps(50):
        assert constant(0.1).cumulative(n) == float(mpf(0.1) * exact)
        # step decay: whole stairs plus the first epochs of the next, counted as integers
        q, r = divmod(exact, 10)
        ref = mpf(0.1) * 10 * (1 - mpf(0.5) ** q) / (1 - mpf(0.5)) + r * mpf(0.1) * mpf(0.5) ** q
        assert step_decay(0.1, 0.5, 10).cumulative(n) == pytest.approx(float(ref), rel=1e-12)
        # piecewise: 3 epochs at 0.1, the rest at 0.01
        assert piecewise_constant([3], [0.1, 0.01]).cumulative(n) == pytest.approx(
            float(3 * mpf(0.1) + (exact - 3) * mpf(0.01)), rel=1e-15)
        assert exponential(0.1, 0.9).cumulative(n) == pytest.approx(float(mpf(0.1) / (1 - mpf(0.9))), rel=1e-12)


def test_integer_parameters_accept_numpy_and_big_ints():
    assert cosine(0.1, np.uint64(10)) == cosine(0.1, 10)
    assert step_decay(0.1, 0.5, 2**53 + 1).params["every"] == 2**53 + 1
    assert join([constant(0.1), constant(0.2)], [np.uint16(5)]).starts == [0, 5]
    # a stair count beyond the float range is refused by name, with the range
    with pytest.raises(ValueError, match=r"every must be an integer >= 1 and <= 1\.79769e\+308"):
        step_decay(0.1, 0.5, 10**400)


@given(st.integers(min_value=0, max_value=2**200))
def test_any_python_int_count_is_exact(n):
    assert constant(0.5).cumulative(n) == float(Fraction(1, 2) * n)


# -- 3. errors that name the argument --------------------------------------------------------------

DURATIONS = [np.timedelta64(1), np.timedelta64(1, "D"), np.timedelta64("NaT"), np.datetime64("2020-01-01")]


@pytest.mark.parametrize("bad", DURATIONS, ids=repr)
def test_durations_are_not_numbers(bad):
    calls = {
        "lr0": lambda: inverse_time(bad, 1.0), "decay_rate": lambda: inverse_time(0.1, bad),
        "eps": lambda: exponential(0.1, bad), "k": lambda: inverse_sqrt(0.1, bad),
        "total": lambda: cosine(0.1, bad), "steps": lambda: linear(0.0, 0.1, bad),
        "every": lambda: step_decay(0.1, 0.5, bad), "n": lambda: constant(0.1).cumulative(bad),
        "level": lambda: constant(0.1).time_to(bad), "boundaries": lambda: join([constant(0.1)] * 2, [bad]),
        "t must be a number": lambda: constant(0.1)(bad), "at": lambda: match_rate("exponential", 0.1, 0.05, bad),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=name):
            call()


@pytest.mark.parametrize("bad", [None, 3, 0.5, constant(0.1), "ab"], ids=repr)
def test_join_with_a_non_list_names_the_argument(bad):
    with pytest.raises(ValueError, match="schedules must be a non-empty list of decaylib Schedules"):
        join(bad, [])
    with pytest.raises(ValueError, match="boundaries"):
        join([constant(0.1), constant(0.2)], None)


@pytest.mark.parametrize("bad", [["exponential"], {"exponential": 1}, ("exponential",), b"exponential"], ids=repr)
def test_matching_family_must_be_a_name(bad):
    for call in (lambda: match_rate(bad, 0.1, 0.05, 10), lambda: match_half_life(bad, 0.1, 10),
                 lambda: match_budget(bad, 0.1, 0.5, 10)):
        with pytest.raises(ValueError, match="family must be one of"):
            call()


# -- 4. nothing silently wrong ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", [Fraction(1, 10**400), Fraction(21, 2), Fraction(10**400 + 1, 10**400),
                                 np.float64(2.5), 1e-300, math.nextafter(3.0, 4.0)], ids=repr)
def test_a_count_that_is_not_an_integer_is_refused_however_spelled(bad):
    for s in ALL:
        with pytest.raises(ValueError, match="n must be an integer >= 0"):
            s.cumulative(bad)
    # and whole numbers are fine however spelled
    assert exponential(0.1, 0.9).cumulative(Fraction(20, 2)) == exponential(0.1, 0.9).cumulative(10)


def _mp_exponential(lr0, eps, t):
    with mpmath.workdps(50):
        return mpf(lr0) * mpf(eps) ** mpf(t)


def _close(got, ref, rtol=1e-12):
    """Relative agreement; in the subnormal range, to within two of its last units."""
    ref = float(ref)
    if abs(ref) < 2.0**-1022:
        return abs(got - ref) <= 2 * 5e-324
    return abs(got - ref) <= rtol * abs(ref)


def test_the_issues_overflow_examples():
    assert _close(exponential(lr0=1e308, eps=0.9)(12345.5), _mp_exponential(1e308, 0.9, 12345.5))
    assert exponential(lr0=1e308, eps=0.9)(12345.5) == pytest.approx(1.26e-257, rel=1e-3)
    assert _close(step_decay(1e308, 0.5, 10)(12345.5), _mp_exponential(1e308, 0.5, 1234))
    with mpmath.workdps(50):
        assert _close(inverse_time(1e308, 1e308)(10.0), mpf(1e308) / (1 + mpf(1e308) * 10))
    s = match_rate("inverse_time", lr0=1e308, rate=0.1, at=10)
    assert s(10) == pytest.approx(0.1, rel=1e-12)


@given(lr0=st.floats(1.0, 1.7e308), eps=st.floats(1e-300, 1.0, exclude_min=True), t=st.floats(0.0, 1e6))
def test_exponential_is_right_wherever_the_answer_is_representable(lr0, eps, t):
    s = exponential(lr0, eps)
    got_scalar, got_array = s(t), s(np.array([0.0, t, 1.0]))[1]
    assert got_scalar == got_array
    assert _close(got_scalar, _mp_exponential(lr0, eps, t))


@given(lr0=st.floats(1e-300, 1.7e308), d=st.floats(1.0, 1.7e308), t=st.floats(0.0, 1.7e308))
def test_inverse_time_is_right_when_d_times_t_overflows(lr0, d, t):
    s = inverse_time(lr0, d)
    with mpmath.workdps(50):
        ref = mpf(lr0) / (1 + mpf(d) * mpf(t))
    assert _close(s(t), ref)
    assert s(t) == s(np.array([t]))[0]


@given(lr0=st.floats(1.0, 1.7e308), eps=st.floats(1e-10, 1.0, exclude_min=True), every=st.integers(1, 100),
       t=st.floats(0.0, 1e6))
def test_step_decay_is_right_wherever_the_answer_is_representable(lr0, eps, every, t):
    assert _close(step_decay(lr0, eps, every)(t), _mp_exponential(lr0, eps, math.floor(t / every)))


def test_far_forms_equal_the_formula_symbolically():
    """The forms used where an intermediate overflows are the family's formula (sympy)."""
    import sympy as sp

    from decaylib.families import EXPONENTIAL, INVERSE_TIME

    for fam in (EXPONENTIAL, INVERSE_TIME):
        assert sp.simplify(fam.far.doit() - fam.formula) == 0


def test_far_forms_cost_nothing_at_ordinary_parameters(monkeypatch):
    """lr0 <= 1 and decay_rate <= 1 never look for far epochs."""
    from decaylib.families import EXPONENTIAL, INVERSE_TIME

    for fam in (EXPONENTIAL, INVERSE_TIME):
        monkeypatch.setattr(type(fam), "far_numeric", property(lambda self: pytest.fail("far form used")))
    tt = np.arange(0.0, 1e5, 7.5)
    exponential(0.1, 0.5)(tt), inverse_time(0.5, 0.3)(tt), step_decay(1.0, 1e-10, 3)(tt)


# -- 5. matching says when float64 cannot meet the target --------------------------------------------

def test_the_issues_matching_examples_raise_and_say_how_close_the_best_float_gets():
    with pytest.raises(ValueError, match=r"half_life=1e\+17: no float64 value of eps does .*relative miss 0\.9"):
        match_half_life("exponential", lr0=0.5, half_life=1e17)
    with pytest.raises(ValueError, match=r"no float64 value of eps does.*best, eps=0\.99999999999999.*"
                                         r"gives a rate of 0\.06\d+ \(relative miss 0\.3"):
        match_rate("exponential", lr0=0.5, rate=0.1, at=2**53 + 1)


@given(h=st.floats(0.01, 1e20))
def test_match_half_life_is_met_to_1e_9_or_refused(h):
    try:
        s = match_half_life("exponential", 0.5, h)
    except ValueError as err:
        assert "no float64 value of eps does" in str(err)
        with mpmath.workdps(50):  # the exact eps is not a float within 1e-9 of the target
            exact = mpmath.power(2, -1 / mpf(h))
            for e in (math.nextafter(float(exact), 0.0), float(exact), math.nextafter(float(exact), 2.0)):
                got = mpmath.inf if e >= 1 else mpmath.log(2) / -mpmath.log(mpf(e))
                assert abs(got / h - 1) > 1e-9
        return
    assert s.half_life() == pytest.approx(h, rel=1e-9)


@given(frac=st.floats(1e-6, 0.999), at=st.floats(1.0, 1e18))
def test_match_rate_is_met_to_1e_9_or_refused(frac, at):
    lr0 = 0.5
    try:
        s = match_rate("exponential", lr0, lr0 * frac, at)
    except ValueError as err:
        assert "no float64 value of eps does" in str(err) and "relative miss" in str(err)
        return
    with mpmath.workdps(50):
        reached = mpf(lr0) * mpf(s.params["eps"]) ** mpf(at)
        assert abs(reached / mpf(lr0 * frac) - 1) <= 1e-9


def test_match_budget_is_met_to_1e_9_or_refused():
    n = 10**15
    with pytest.raises(ValueError, match=r"budget=.* over n=1000000000000000 epochs: no float64 value of eps"):
        match_budget("exponential", 0.1, 0.1 * 0.5 * n, n)
    s = match_budget("exponential", 0.1, 0.19, 2)
    assert s.cumulative(2) == pytest.approx(0.19, rel=1e-9)


# -- 6. the join edge ------------------------------------------------------------------------------

SCHEDULES = st.sampled_from([linear(0.0, 0.5, 10), linear(0.2, 0.0, 10), constant(0.1), exponential(0.1, 0.5),
                             inverse_time(0.5, 0.3), inverse_sqrt(0.1, 2.0), cosine(0.1, 100, 0.01),
                             step_decay(0.1, 0.5, 10), piecewise_constant([3], [0.1, 0.01])])


@given(SCHEDULES)
def test_a_join_of_one_schedule_has_that_schedules_half_life(s):
    try:
        expected = s.half_life()
    except ValueError as err:
        with pytest.raises(ValueError, match="half_life is undefined"):
            join([s], []).half_life()
        assert "half_life is undefined" in str(err)
        return
    assert join([s], []).half_life() == expected


def test_a_join_whose_peak_is_zero_has_no_half_life():
    with pytest.raises(ValueError, match="half_life is undefined"):
        join([linear(0.0, 0.5, 10)], []).half_life()
    assert join([linear(0.0, 0.5, 10), constant(0.5)], [10]).half_life() == math.inf  # peak 0.5, never halves


# -- scalars give the numbers arrays give, bit for bit --------------------------------------------

FAMILY_MEMBERS = [exponential(0.1, 0.95), exponential(3.0, 0.37), step_decay(0.1, 0.95, 1), step_decay(0.1, 0.9, 3),
                  inverse_time(0.5, 0.3), inverse_sqrt(0.1, 2.0), cosine(0.1, 77, 0.01), linear(0.0, 0.3, 13),
                  staircase(inverse_sqrt(0.1, 1.0), 4), warmup(exponential(0.1, 0.9), 5),
                  piecewise_constant([2.5, 30], [0.1, 0.03, 0.001]), exponential(1e300, 1e-3)]


@pytest.mark.parametrize("s", FAMILY_MEMBERS, ids=repr)
def test_scalar_reversed_and_strided_arrays_equal_the_array_bit_for_bit(s):
    tt = np.arange(500.0) * 0.75
    ref = s(tt)
    assert [s(float(x)) for x in tt] == ref.tolist()
    assert [s(int(x)) for x in tt[::4]] == ref[::4].tolist()  # (integers 0, 3, 6 ...)
    np.testing.assert_array_equal(s(tt[::-1]), ref[::-1])
    np.testing.assert_array_equal(s(tt[::3]), ref[::3])
    np.testing.assert_array_equal(s(np.repeat(tt, 2).reshape(-1, 2)[:, 1]), ref)
    np.testing.assert_array_equal(s(tt.reshape(20, 25).T).T, ref.reshape(20, 25))
    assert type(s(3)) is float
