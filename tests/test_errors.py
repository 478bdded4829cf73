"""Every error path: a ValueError that names the argument, the value and the allowed range.

Also: no public function evaluates text.  Strings are rejected as values, and
a string that would have a side effect if it were ever ``eval``-ed or
``sympify``-ed is passed to every argument: the side effect must not happen.
A static check confirms the core never calls eval/exec/sympify/parse_expr.
"""
import ast
import math
import os
import pathlib
import re
from fractions import Fraction

import numpy as np
import pytest

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

NAN, INF = math.nan, math.inf


def stable_id(value):
    """repr without memory addresses: xdist workers must collect identical ids."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


NOT_NUMBERS = ["0.1", "1/0", None, True, 1j, [0.1], {"x": 1}, b"1", pytest.param(object(), id="object")]
NON_FINITE = [NAN, INF, -INF, np.float64("nan"), 10**400]


def raises(call, *fragments):
    """``call()`` raises ValueError whose message contains every fragment (regex-escaped)."""
    with pytest.raises(ValueError) as info:
        call()
    msg = str(info.value)
    for frag in fragments:
        assert re.search(re.escape(frag), msg), (frag, msg)
    return msg


# -- factories ---------------------------------------------------------------------

LR0_FACTORIES = {
    "inverse_time": lambda lr0: inverse_time(lr0, 1.0),
    "exponential": lambda lr0: exponential(lr0, 0.5),
    "inverse_sqrt": lambda lr0: inverse_sqrt(lr0, 1.0),
    "constant": lambda lr0: constant(lr0),
    "cosine": lambda lr0: cosine(lr0, 10),
    "step_decay": lambda lr0: step_decay(lr0, 0.5, 10),
}


@pytest.mark.parametrize("name", LR0_FACTORIES)
@pytest.mark.parametrize("bad", [0, 0.0, -0.0, -1, -1e-300] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_lr0_must_be_a_positive_finite_number(name, bad):
    msg = raises(lambda: LR0_FACTORIES[name](bad), "lr0", "(0, inf)")
    if isinstance(bad, (int, float)) and not isinstance(bad, bool) and abs(bad) < 1e300:
        assert repr(bad) in msg or repr(float(bad)) in msg


@pytest.mark.parametrize("bad", [-1e-300, -1, -INF] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_decay_rate_must_be_non_negative(bad):
    raises(lambda: inverse_time(0.1, bad), "decay_rate", "[0, inf)")


@pytest.mark.parametrize("bad", [0, 0.0, -0.5, 1 + 1e-15, 1.5, 2] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_eps_must_be_in_0_1(bad):
    raises(lambda: exponential(0.1, bad), "eps", "(0, 1]")
    raises(lambda: step_decay(0.1, bad, 10), "eps", "(0, 1]")


@pytest.mark.parametrize("bad", [0, -1, -1e-300] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_k_must_be_positive(bad):
    raises(lambda: inverse_sqrt(0.1, bad), "k", "(0, inf)")


def test_inverse_sqrt_start_must_be_finite():
    raises(lambda: inverse_sqrt(1e300, 1e300), "k * lr0", "finite")


@pytest.mark.parametrize("bad", [0, -1, 2.5, 1e-9] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_every_must_be_an_integer_at_least_1(bad):
    raises(lambda: step_decay(0.1, 0.5, bad), "every", ">= 1")
    raises(lambda: staircase(inverse_time(0.1, 1.0), bad), "every", ">= 1")


def test_every_accepts_integral_floats_and_numpy_integers():
    assert step_decay(0.1, 0.5, 10.0) == step_decay(0.1, 0.5, np.int64(10)) == step_decay(0.1, 0.5, 10)


@pytest.mark.parametrize("bad", [0, -1, 2.5] + NON_FINITE + NOT_NUMBERS, ids=stable_id)
def test_cosine_total_must_be_an_integer_at_least_1(bad):
    raises(lambda: cosine(0.1, bad), "total", ">= 1")


@pytest.mark.parametrize("bad", [-1e-9, 0.1, 0.2, NAN, INF, "0"], ids=stable_id)
def test_cosine_lr_min_must_be_below_lr0(bad):
    raises(lambda: cosine(0.1, 10, bad), "lr_min", "[0, 0.1)")


def test_linear_arguments():
    raises(lambda: linear(-0.1, 0.1, 10), "start", "[0, inf)")
    raises(lambda: linear(0.1, -0.1, 10), "end", "[0, inf)")
    raises(lambda: linear(0.1, NAN, 10), "end", "finite")
    raises(lambda: linear(0.0, 0.0, 10), "start and end", "0")
    for bad in (0, -3, 1.5, NAN, "10"):
        raises(lambda: linear(0.0, 0.1, bad), "steps", ">= 1")


# -- piecewise_constant --------------------------------------------------------------

@pytest.mark.parametrize("bounds", [[60, 30], [30, 30], [10, 20, 15], [1, 1, 2]], ids=stable_id)
def test_boundaries_must_be_strictly_increasing(bounds):
    raises(lambda: piecewise_constant(bounds, [1.0] * (len(bounds) + 1)), "boundaries", "strictly increasing")


@pytest.mark.parametrize("bounds", [[0], [-5, 10], [NAN], [INF], ["30"], [None]], ids=stable_id)
def test_boundaries_must_be_positive_finite_numbers(bounds):
    raises(lambda: piecewise_constant(bounds, [1.0] * (len(bounds) + 1)), "boundaries", "(0, inf)")


@pytest.mark.parametrize("values", [[0.1], [0.1, 0.01, 0.001, 1e-4], []], ids=stable_id)
def test_values_length_must_be_len_boundaries_plus_1(values):
    raises(lambda: piecewise_constant([30, 60], values), "values", "len(boundaries) + 1 = 3", str(len(values)))


@pytest.mark.parametrize("values", [[0.1, 0.0, 0.1], [0.1, -1, 0.1], [0.1, NAN, 0.1], [0.1, "1", 0.1]], ids=stable_id)
def test_values_must_be_positive(values):
    raises(lambda: piecewise_constant([30, 60], values), "values", "(0, inf)")


@pytest.mark.parametrize("bounds,values", [(5, [1.0]), (None, [1.0]), ([1], None), ([1], 2.0)], ids=stable_id)
def test_boundaries_and_values_must_be_sequences(bounds, values):
    raises(lambda: piecewise_constant(bounds, values), "boundaries and values", "sequences of numbers")


def test_piecewise_constant_strings_are_not_parsed_as_sequences():
    raises(lambda: piecewise_constant("30", [0.1, 0.01]), "boundaries")  # "3", "0": not numbers


# -- composition ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", [lambda t: 0.1, "exponential(0.1, 0.5)", 0.1, None], ids=stable_id)
def test_schedule_arguments_must_be_schedules(bad):
    raises(lambda: staircase(bad, 2), "schedule", "decaylib Schedule")
    raises(lambda: warmup(bad, 2), "schedule", "decaylib Schedule")
    raises(lambda: join([constant(0.1), bad], [5]), "schedules", "decaylib Schedules")


def test_join_boundaries():
    a, b, c = constant(0.1), exponential(0.1, 0.5), inverse_time(0.1, 1.0)
    raises(lambda: join([], []), "schedules", "non-empty")
    raises(lambda: join([a, b], []), "boundaries", "len(schedules) - 1 = 1")
    raises(lambda: join([a, b], [3, 4]), "boundaries", "len(schedules) - 1 = 1")
    raises(lambda: join([a, b, c], [10, 5]), "boundaries", "strictly increasing")
    raises(lambda: join([a, b, c], [5, 5]), "boundaries", "strictly increasing")
    for bad in (0, -1, 2.5, NAN, INF, "5"):
        raises(lambda: join([a, b], [bad]), "boundaries", ">= 1")


def test_warmup_arguments():
    for bad in (0, -1, 2.5, NAN, "5"):
        raises(lambda: warmup(cosine(0.1, 10), bad), "steps", ">= 1")
    for bad in (-0.1, NAN, INF, "0"):
        raises(lambda: warmup(cosine(0.1, 10), 5, start=bad), "start", "[0, inf)")


# -- evaluation, time_to, cumulative ---------------------------------------------------

ALL = [inverse_time(0.1, 1.0), exponential(0.1, 0.5), inverse_sqrt(0.1, 1.0), constant(0.1), cosine(0.1, 10),
       linear(0.1, 0.0, 5), piecewise_constant([3], [0.1, 0.01]), step_decay(0.1, 0.5, 2),
       warmup(cosine(0.1, 10), 3), join([constant(0.1), exponential(0.1, 0.5)], [4])]


@pytest.mark.parametrize("s", ALL, ids=stable_id)
def test_epochs_must_be_finite_non_negative_numbers(s):
    for bad in (-1, -1e-300, -INF, NAN, INF, np.float64("nan"), [0, 1, -2], np.array([1.0, NAN]),
                np.array([[0.0, INF]]), [-0.0, -1e-300], np.array([0.0, -0.0, 1.0, NAN])[::-1]):
        raises(lambda: s(bad), "t", ">= 0")
    for bad in ("3", "1/0", b"3", None, True, np.bool_(True), 1j, [1, "2"], np.array(["1"]), [True, False],
                {"t": 1}, object(), 10**400):
        raises(lambda: s(bad), "t must be a number or an array of numbers >= 0")
    # and these are fine
    for ok in (0, 0.0, Fraction(1, 2), np.int8(3), np.uint64(3), np.float16(2.5), [], np.zeros((0, 3))):
        s(ok)
    # -0.0 is an epoch >= 0 (the one-pass bit check flags it; the exact check must pass it)
    assert s(-0.0) == s(0.0)
    assert np.array_equal(s(np.array([-0.0, 1.0, -0.0])), s(np.array([0.0, 1.0, 0.0])))


@pytest.mark.parametrize("s", ALL, ids=stable_id)
def test_time_to_level_must_be_positive(s):
    for bad in (0, -1, NAN, INF, "0.05", None):
        raises(lambda: s.time_to(bad), "level", "(0, inf)")


@pytest.mark.parametrize("s", ALL, ids=stable_id)
def test_cumulative_n_must_be_a_count(s):
    for bad in (-1, 2.5, NAN, -INF, "10", None, True, 1e-9):
        raises(lambda: s.cumulative(bad), "n", ">= 0")
    assert s.cumulative(10.0) == s.cumulative(10) == s.cumulative(np.int64(10))


def test_half_life_of_a_schedule_starting_at_zero_is_an_error():
    raises(lambda: linear(0.0, 0.1, 10).half_life(), "half_life is undefined", "rate at t = 0 is 0")


# -- matching -------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["Exponential", "exp", "step_decay", "cosine", "", None, 3, "inverse_time "], ids=stable_id)
def test_matching_family_names(bad):
    allowed = "['exponential', 'inverse_sqrt', 'inverse_time']"
    raises(lambda: match_rate(bad, 0.1, 0.05, 10), "family must be one of", allowed)
    raises(lambda: match_half_life(bad, 0.1, 10), "family must be one of", allowed)
    raises(lambda: match_budget(bad, 0.1, 0.5, 10), "family must be one of", allowed)


@pytest.mark.parametrize("family", ["inverse_time", "exponential", "inverse_sqrt"])
def test_matching_argument_ranges(family):
    for bad in (0, -1, NAN, INF, "0.1"):
        raises(lambda: match_rate(family, bad, 0.05, 10), "lr0", "(0, inf)")
        raises(lambda: match_half_life(family, bad, 10), "lr0", "(0, inf)")
        raises(lambda: match_budget(family, bad, 0.5, 10), "lr0", "(0, inf)")
        raises(lambda: match_rate(family, 0.1, 0.05, bad), "at", "(0, inf)")
    for bad in (0, -1, NAN, "0.05"):
        raises(lambda: match_rate(family, 0.1, bad, 10), "rate")
    for bad in (0, -2.5, 2.5, NAN, "10"):
        raises(lambda: match_budget(family, 0.1, 0.5, bad), "n", ">= 1")
    if family != "inverse_sqrt":
        raises(lambda: match_half_life(family, 0.1, 0), "half_life", "(0, inf)")
        raises(lambda: match_half_life(family, 0.1, -3), "half_life", "(0, inf)")
        # a decaying family never climbs above lr0, and spends between lr0 and n * lr0
        raises(lambda: match_rate(family, 0.1, 0.2, 10), "rate", "(0, 0.1]", "0.2")
        raises(lambda: match_budget(family, 0.1, 0.1, 10), "budget", "(0.1, 1]")
        raises(lambda: match_budget(family, 0.1, 0.05, 10), "budget", "(0.1, 1]")
        raises(lambda: match_budget(family, 0.1, 1.5, 10), "budget", "(0.1, 1]")
        raises(lambda: match_budget(family, 0.1, 0.5, 1), "budget")  # n = 1: nothing to match
    else:
        raises(lambda: match_half_life(family, 0.1, 10), "half-life is 3 epochs")
        raises(lambda: match_budget(family, 0.1, 0.0, 10), "budget", "(0, inf)")
        raises(lambda: match_budget(family, 0.1, -1.0, 10), "budget", "(0, inf)")


def test_matching_results_outside_the_float_range_are_clear_errors():
    raises(lambda: match_rate("exponential", 1.0, 1e-300, 0.5), "no exponential schedule", "eps=0.0")
    raises(lambda: match_rate("inverse_sqrt", 1e-300, 1e300, 1e12), "no inverse_sqrt schedule", "k=")


# -- no text is ever evaluated -----------------------------------------------------------

def test_no_public_function_evaluates_text(monkeypatch):
    """A payload with a side effect, passed as every argument of every public function."""
    monkeypatch.delenv("DECAYLIB_PWNED", raising=False)
    payload = "__import__('os').environ.__setitem__('DECAYLIB_PWNED', '1') or 1"
    s = inverse_time(0.1, 1.0)
    calls = [
        lambda p: inverse_time(p, 1.0), lambda p: inverse_time(0.1, p), lambda p: exponential(p, 0.5),
        lambda p: exponential(0.1, p), lambda p: inverse_sqrt(0.1, p), lambda p: constant(p),
        lambda p: cosine(0.1, p), lambda p: cosine(p, 10), lambda p: cosine(0.1, 10, p),
        lambda p: linear(p, 0.1, 10), lambda p: linear(0.1, 0.0, p), lambda p: piecewise_constant([p], [1, 2]),
        lambda p: piecewise_constant([1], [p, 2]), lambda p: piecewise_constant(p, [1]),
        lambda p: staircase(p, 2), lambda p: staircase(s, p), lambda p: step_decay(0.1, 0.5, p),
        lambda p: join([s, s], [p]), lambda p: join(p, []), lambda p: warmup(s, p), lambda p: warmup(s, 3, p),
        lambda p: s(p), lambda p: s([p]), lambda p: s(np.array([p])), lambda p: s.time_to(p),
        lambda p: s.cumulative(p),
        lambda p: match_rate(p, 0.1, 0.05, 1), lambda p: match_rate("exponential", p, 0.05, 1),
        lambda p: match_rate("exponential", 0.1, p, 1), lambda p: match_rate("exponential", 0.1, 0.05, p),
        lambda p: match_half_life("exponential", 0.1, p), lambda p: match_budget("exponential", 0.1, p, 10),
        lambda p: match_budget("exponential", 0.1, 0.5, p), lambda p: decaylib.viz.color(p),
    ]
    for call in calls:
        for text in (payload, "1/0", "0.5"):
            with pytest.raises((ValueError, KeyError)):
                call(text)
    assert "DECAYLIB_PWNED" not in os.environ


CORE = ["schedule.py", "families.py", "stepped.py", "compose.py", "matching.py", "_validate.py", "symbols.py"]


def test_core_source_never_calls_a_text_evaluator():
    root = pathlib.Path(decaylib.__file__).parent
    forbidden = {"eval", "exec", "compile", "sympify", "parse_expr", "S", "__import__"}
    for name in CORE:
        tree = ast.parse((root / name).read_text(), name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                assert called not in forbidden, f"{name}:{node.lineno} calls {called}"
