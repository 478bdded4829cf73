"""Argument checks shared by every factory: fail early, name the argument.

Only numbers are accepted: a string is rejected, never parsed or evaluated.
"""
import math
import numbers

import numpy as np


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def real(name, value, *, low=-math.inf, high=math.inf, low_open=False, high_open=False):
    """Return ``value`` as a float in the interval, else raise ``ValueError``."""
    lo = "(" if low_open else "["
    hi = ")" if high_open or high == math.inf else "]"
    interval = f"{lo}{low:g}, {high:g}{hi}"
    if not _is_real(value):
        raise ValueError(f"{name} must be a real number in {interval}, got {value!r}")
    try:
        x = float(value)
    except OverflowError:  # an int or Fraction beyond the float range
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")
    if x < low or x > high or (low_open and x == low) or (high_open and x == high):
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return x


def positive(name, value):
    return real(name, value, low=0.0, low_open=True)


def integer(name, value, *, low=0):
    """An integer (int or integral float) >= ``low``."""
    if not _is_real(value):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    try:
        ok = math.isfinite(float(value)) and float(value) == int(value)
    except OverflowError:
        ok = False
    if not ok or int(value) < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def count(name, value):
    """A number of epochs: an integer >= 0, or ``math.inf``."""
    if _is_real(value) and value == math.inf:
        return math.inf
    return integer(name, value, low=0)


def epochs(t):
    """Return ``(array_of_float64, was_scalar)`` for epoch indices t >= 0.

    Accepts real numbers and arrays (or nested sequences) of them; strings,
    booleans and complex numbers are rejected, never converted.
    """
    scalar = np.ndim(t) == 0
    if scalar and not _is_real(t) and not isinstance(t, np.ndarray):
        raise ValueError(f"t must be a number or an array of numbers >= 0, got {t!r}")
    try:
        raw = np.asarray(t)
        if raw.dtype.kind == "O":  # e.g. a list of Fractions: every item must be real
            if not all(_is_real(x) for x in raw.flat):
                raise TypeError
        elif raw.dtype.kind not in "iuf":
            raise TypeError
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"t must be a number or an array of numbers >= 0, got {t!r}") from None
    if arr.size:
        # one reduction each: min catches negatives and NaN, max catches +inf
        lo, hi = arr.min(), arr.max()
        if not lo >= 0.0 or hi == math.inf:
            bad = float(arr[~(np.isfinite(arr) & (arr >= 0))].flat[0])
            raise ValueError(f"t must be finite and >= 0 (epochs count from 0), got {bad!r}")
    return arr, scalar
