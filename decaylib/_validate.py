"""Argument checks shared by every factory: fail early, name the argument.

Only numbers are accepted: a string is rejected, never parsed or evaluated.
"""
import math
import numbers

import numpy as np


# numpy registers timedelta64 as an integer type: a duration is not a count of epochs
_NOT_NUMBERS = (bool, np.bool_, np.timedelta64, np.datetime64)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, _NOT_NUMBERS)


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
    except (TypeError, ValueError):  # a Real whose float() fails
        raise ValueError(f"{name} must be a real number in {interval}, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")
    if x < low or x > high or (low_open and x == low) or (high_open and x == high):
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return x


def positive(name, value):
    return real(name, value, low=0.0, low_open=True)


def integer(name, value, *, low=0, high=None):
    """An integer >= ``low``, returned as an exact Python ``int``.

    Python and numpy integers are taken exactly, whatever their size
    (``2**53 + 1``, ``np.uint64(2**64 - 1)``); floats and Fractions only
    when they are whole numbers (``10.0``, ``Fraction(4, 2)``), so a
    non-integer is refused however it is spelled (``Fraction(1, 10**400)``
    is not 0).
    """
    bound = f">= {low}" if high is None else f">= {low} and <= {high:g}"
    msg = f"{name} must be an integer {bound}, got {value!r}"
    if not _is_real(value):
        raise ValueError(msg)
    if isinstance(value, numbers.Integral):
        i = int(value)
    else:
        try:
            i = math.floor(value)  # exact for floats and Fractions; nan, inf raise
        except (TypeError, ValueError, OverflowError):
            raise ValueError(msg) from None
        if value != i:
            raise ValueError(msg)
    if i < low or (high is not None and i > high):
        raise ValueError(msg)
    return i


#: the largest integer a schedule parameter used in float arithmetic may be
#: (``every``, ``total``, ``steps``, join boundaries): the largest float
FLOAT_MAX = float(np.finfo(np.float64).max)


def count(name, value):
    """A number of epochs: an integer >= 0, or ``math.inf``."""
    if _is_real(value) and value == math.inf:
        return math.inf
    return integer(name, value, low=0)


_INF_BITS = int(np.array(math.inf).view(np.uint64))  # 0x7FF0000000000000


def epoch_array(t):
    """Return ``(array, was_scalar)``: ``t`` as a C-contiguous array of integers or
    float64, its type checked but its values not yet (see :func:`checked`).

    Accepts real numbers and arrays (or nested sequences) of them; strings,
    booleans and complex numbers are rejected, never converted.  Integer arrays
    (``np.arange(n)``) are kept as they are, so that a caller can turn them into
    floats a block at a time instead of in one extra pass over memory.
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
        arr = raw if raw.dtype.kind in "iu" else np.asarray(raw, dtype=np.float64)
        # one memory layout for every input: numpy's SIMD loops (pow, exp ...) are
        # not bit-identical to the scalar loop it takes for reversed strides
        if arr.ndim and not arr.flags.c_contiguous:
            arr = np.ascontiguousarray(arr)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"t must be a number or an array of numbers >= 0, got {t!r}") from None
    return arr, scalar


def checked(arr, buf=None):
    """Return ``(epochs, hi)``: ``arr`` (from :func:`epoch_array`) as float64 (an
    integer array is converted into ``buf`` when given, a float64 one is used as it
    is), refusing epochs that are negative, infinite or NaN, and ``hi``, the
    largest epoch (None when not known without a second pass)."""
    if arr.dtype != np.float64:
        if buf is None:
            arr = arr.astype(np.float64)
        else:
            np.copyto(buf, arr, casting="unsafe")  # the conversion astype makes, into buf
            arr = buf
    if not arr.size:
        return arr, None
    # One pass over the bits: read as unsigned integers, every float64 that is
    # negative (sign bit set), infinite or NaN is >= the bits of +inf, and
    # every finite t >= 0 is below them, in the order of the numbers: the
    # largest bits are the largest epoch's.  Only -0.0 is flagged wrongly; the
    # exact check then lets it through.
    top = arr.view(np.uint64).max()
    if top >= _INF_BITS:
        bad = arr[~(np.isfinite(arr) & (arr >= 0))]
        if bad.size:
            raise ValueError(f"t must be finite and >= 0 (epochs count from 0), got {float(bad.flat[0])!r}")
        return arr, None
    return arr, float(top.view(np.float64))
