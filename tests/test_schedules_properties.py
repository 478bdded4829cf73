"""Hypothesis properties of every schedule (deterministic profile, tests/conftest.py).

Monotone non-increasing for the decaying families, bounded by the starting
rate, positive wherever the true value is representable, never NaN, the
scalar/array conventions, purity, and int arrays == float arrays.
"""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

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

lr0s = st.floats(1e-12, 1e6)
rates = st.floats(0.0, 1e6)  # decay_rate
epss = st.floats(1e-6, 1.0)
ks = st.floats(1e-3, 1e3)
totals = st.integers(1, 10**6)
everys = st.integers(1, 1000)
epochs = st.one_of(st.integers(0, 10**12), st.floats(0.0, 1e12))
epoch_arrays = st.lists(epochs, min_size=1, max_size=40)


@st.composite
def decaying(draw):
    """A schedule from a decaying family (non-increasing in t)."""
    kind = draw(st.sampled_from(["inverse_time", "exponential", "inverse_sqrt", "constant", "cosine",
                                 "step_decay", "staircase", "piecewise"]))
    lr0 = draw(lr0s)
    if kind == "inverse_time":
        return inverse_time(lr0, draw(rates))
    if kind == "exponential":
        return exponential(lr0, draw(epss))
    if kind == "inverse_sqrt":
        return inverse_sqrt(lr0, draw(ks))
    if kind == "constant":
        return constant(lr0)
    if kind == "cosine":
        return cosine(lr0, draw(totals), draw(st.floats(0.0, 0.999)) * lr0)
    if kind == "step_decay":
        return step_decay(lr0, draw(epss), draw(everys))
    if kind == "staircase":
        inner = draw(st.sampled_from([inverse_time(lr0, 0.5), inverse_sqrt(lr0, 1.0), cosine(lr0, 50)]))
        return staircase(inner, draw(everys))
    m = draw(st.integers(0, 6))
    bounds = sorted(draw(st.sets(st.integers(1, 10**6), min_size=m, max_size=m)))
    values = sorted(draw(st.lists(st.floats(1e-12, 1e6), min_size=m + 1, max_size=m + 1)), reverse=True)
    return piecewise_constant(bounds, values)


@st.composite
def any_schedule(draw):
    kind = draw(st.sampled_from(["decaying", "linear", "warmup", "join"]))
    if kind == "decaying":
        return draw(decaying())
    if kind == "linear":
        return linear(draw(st.floats(1e-6, 1.0)), draw(st.floats(0.0, 1.0)), draw(st.integers(1, 1000)))
    if kind == "warmup":
        return warmup(draw(decaying()), draw(st.integers(1, 1000)), start=draw(st.floats(0.0, 1e-3)))
    a, b = draw(decaying()), draw(decaying())
    return join([a, b], [draw(st.integers(1, 10**6))])


def peak(s):
    """The largest value the schedule can take (k * lr0 for inverse_sqrt: its value at 0)."""
    if s.family == "inverse_sqrt":
        return s.params["lr0"] * s.params["k"]
    if s.family == "join":
        return max(peak(p) for p in s.pieces)
    if s.family == "staircase":
        return peak(s.inner)
    if s.family == "linear":
        return max(s.params["start"], s.params["end"])
    if s.family == "piecewise_constant":
        return max(s.params["values"])
    return s.params["lr0"]


@given(decaying(), epoch_arrays)
def test_decaying_families_are_non_increasing(s, ts):
    tt = np.sort(np.asarray(ts, dtype=float))
    v = s(tt)
    assert np.all(np.diff(v) <= 0), (s, tt, v)


@given(decaying(), epochs, st.floats(0.0, 1e6))
def test_later_is_never_higher_pointwise(s, t, dt):
    assert s(t + dt) <= s(t)


@given(any_schedule(), epoch_arrays)
def test_bounded_non_negative_never_nan(s, ts):
    v = s(np.asarray(ts, dtype=float))
    assert not np.isnan(v).any()
    assert np.isfinite(v).all()
    assert (v >= 0).all()
    assert (v <= peak(s) * (1 + 1e-15)).all()


@given(decaying(), st.floats(0.0, 1e4))
def test_positive_where_the_true_rate_is_representable(s, t):
    """Decaying schedules never reach 0 ... unless the true value underflows float64."""
    v = s(t)
    if s.family == "cosine" and s.params["lr_min"] == 0 and t >= s.params["total"]:
        assert v == 0.0  # cosine to 0 really ends at 0
        return
    if s.family in ("exponential", "staircase"):
        inner = s if s.family == "exponential" else s.inner
        if inner.family == "exponential":
            exponent = t if s.family == "exponential" else math.floor(t / s.params["every"])
            assume(math.log10(inner.params["lr0"]) + exponent * math.log10(inner.params["eps"]) > -300)
        if inner.family == "cosine":
            assume(math.floor(t / s.params["every"]) < inner.params["total"])
    assert v > 0, (s, t)


@given(decaying())
def test_starting_value_is_lr0_or_k_lr0(s):
    assert s(0) == peak(s) or s.family == "piecewise_constant" and s(0) == s.params["values"][0]


@given(any_schedule(), epochs)
def test_scalar_in_python_float_out(s, t):
    v = s(t)
    assert type(v) is float
    assert v == s(np.float64(t)) == float(s(np.array([t]))[0])


@given(any_schedule(), st.lists(st.integers(0, 10**9), min_size=0, max_size=30), st.sampled_from([(-1,), (2, -1)]))
def test_array_in_array_out_same_shape_and_int_equals_float(s, ts, shape):
    ints = np.asarray(ts, dtype=np.int64)
    if shape == (2, -1):
        ints = np.concatenate([ints, ints])
    ints = ints.reshape(shape)
    out_i, out_f = s(ints), s(ints.astype(float))
    assert isinstance(out_i, np.ndarray) and out_i.shape == ints.shape and out_i.dtype == np.float64
    np.testing.assert_array_equal(out_i, out_f)
    np.testing.assert_array_equal(s(ints.tolist()), out_f)


@given(any_schedule(), epoch_arrays)
def test_pure_same_answer_twice_and_elementwise(s, ts):
    tt = np.asarray(ts, dtype=float)
    first = s(tt)
    again = s(tt[::-1])[::-1]
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, [s(x) for x in ts])


@given(any_schedule())
def test_equal_schedules_give_equal_numbers(s):
    rebuilt = eval(repr(s), vars(decaylib))  # the repr is a constructor call (test-side only)
    assert rebuilt == s
    tt = np.arange(0, 3000, 17.0)
    np.testing.assert_array_equal(rebuilt(tt), s(tt))


@settings(max_examples=30)
@given(decaying(), st.integers(0, 200))
def test_cumulative_is_monotone_in_n_and_adds_one_term(s, n):
    before, after = s.cumulative(n), s.cumulative(n + 1)
    assert after == pytest.approx(before + s(n), rel=1e-12, abs=1e-300)
    assert after >= before
