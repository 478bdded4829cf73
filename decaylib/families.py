r"""The smooth schedule families, each one sympy formula.

The four families of the source note (inverse-time, exponential,
inverse-square-root) plus the pieces modern training composes (constant,
linear ramp, cosine).  Each factory validates its arguments once and returns
a pure :class:`~decaylib.schedule.Schedule`.
"""
import math

import sympy as sp

from . import _validate
from .schedule import Family, Smooth
from .symbols import decay_rate, end, eps, k, lr0, lr_min, n, rate, start, steps, t, total

_half = sp.Rational(1, 2)

INVERSE_TIME = Family(
    name="inverse_time",
    params=("lr0", "decay_rate"),
    formula=lr0 / (1 + decay_rate * t),
    # sympy leaves this sum unevaluated; the digamma form is checked by
    # sympy (telescoping) in the tests.  d = 0 is the constant branch.
    cumulative=sp.Piecewise(
        (lr0 * n, sp.Eq(decay_rate, 0)),
        (lr0 / decay_rate * (sp.digamma(n + 1 / decay_rate) - sp.digamma(1 / decay_rate)), True),
    ),
    constant_when=(("decay_rate", 0.0),),
    cancels=("decay_rate",),  # psi(n + 1/d) - psi(1/d) loses about log10(1/d) digits
    # d * t overflows (d > 1) although lr0 / (1 + d t) is representable: (lr0 / t) / (d + 1/t)
    far=sp.UnevaluatedExpr(lr0 / t) / (decay_rate + 1 / t),
    far_when=(("decay_rate", 1.0),),
)

EXPONENTIAL = Family(
    name="exponential",
    params=("lr0", "eps"),
    formula=lr0 * eps**t,
    cumulative=sp.summation(lr0 * eps**t, (t, 0, n - 1)),  # geometric, eps = 1 branch included
    constant_when=(("eps", 1.0),),
    # eps**t underflows (lr0 > 1) although lr0 * eps**t is representable: halve the power
    far=eps ** (t / 2) * sp.UnevaluatedExpr(lr0 * eps ** (t / 2)),
    far_when=(("lr0", 1.0),),
)

INVERSE_SQRT = Family(
    name="inverse_sqrt",
    params=("lr0", "k"),
    formula=lr0 * k / sp.sqrt(t + 1),
    # generalised harmonic number H_n^(1/2) = zeta(1/2) - zeta(1/2, n + 1)
    cumulative=lr0 * k * (sp.zeta(_half) - sp.zeta(_half, n + 1)),
)

CONSTANT = Family(
    name="constant",
    params=("lr0",),
    formula=lr0 + 0 * t,
    cumulative=lr0 * n,
)

_m = sp.Min(n, total)
COSINE = Family(
    name="cosine",
    params=("lr0", "total", "lr_min"),
    formula=lr_min + (lr0 - lr_min) * (1 + sp.cos(sp.pi * sp.Min(t, total) / total)) / 2,
    # sum_{t<m} cos(pi t / T) = sin(m pi / 2T) cos((m - 1) pi / 2T) / sin(pi / 2T)
    cumulative=n * lr_min
    + (lr0 - lr_min) / 2
    * (_m + sp.sin(_m * sp.pi / (2 * total)) * sp.cos((_m - 1) * sp.pi / (2 * total)) / sp.sin(sp.pi / (2 * total))),
    solve_for_t=total / sp.pi * sp.acos(2 * (rate - lr_min) / (lr0 - lr_min) - 1),
    horizon="total",
    # (1 + cos x)/2 = sin^2((pi - x)/2): in the second half, where 1 + cos x
    # in floats would lose the digits of a rate close to lr_min, use the sine
    stable=lr_min + (lr0 - lr_min) * sp.Piecewise(
        ((1 + sp.cos(sp.pi * sp.Min(t, total) / total)) / 2, 2 * sp.Min(t, total) <= total),
        (sp.sin(sp.pi * (total - sp.Min(t, total)) / (2 * total)) ** 2, True)),
)

_s = sp.Min(n, steps)
LINEAR = Family(
    name="linear",
    params=("start", "end", "steps"),
    formula=start + (end - start) * sp.Min(t, steps) / steps,
    cumulative=_s * start + (end - start) / steps * _s * (_s - 1) / 2 + end * (n - _s),
    solve_for_t=steps * (rate - start) / (end - start),
    horizon="steps",
    # Each half of the ramp from the end it is near: start + t (end - start) / W
    # up to the middle, end + (W - t) (start - end) / W after it, the slope formed
    # first (one constant; start * steps cannot overflow).  On either side the
    # step term is at most half the nearer end and the rate at least half of
    # it: no cancellation whether end << start or start << end, each end exact
    # (t = 0 and W - t = 0 there), and two or three operations per epoch (a
    # weighted mean of start and end took six)
    stable=sp.Piecewise(
        (start + sp.UnevaluatedExpr((end - start) / steps) * sp.Min(t, steps), 2 * sp.Min(t, steps) <= steps),
        (end + sp.UnevaluatedExpr((start - end) / steps) * (steps - sp.Min(t, steps)), True)),
)


def inverse_time(lr0, decay_rate):
    r"""Inverse-time decay, the source note's main formula.

    .. math:: \alpha(t) = \frac{\alpha_0}{1 + d\,t}

    where :math:`\alpha_0` is ``lr0`` and :math:`d` is ``decay_rate``.

    Parameters
    ----------
    lr0 : float
        Initial learning rate, > 0.
    decay_rate : float
        Decay rate, >= 0 (0 gives a constant rate).

    Examples
    --------
    >>> from decaylib import inverse_time
    >>> s = inverse_time(lr0=0.5, decay_rate=1.0)
    >>> s(0), s(2)
    (0.5, 0.16666666666666666)
    >>> s.half_life()
    1.0
    """
    return Smooth(INVERSE_TIME, lr0=_validate.positive("lr0", lr0),
                  decay_rate=_validate.real("decay_rate", decay_rate, low=0.0))


def exponential(lr0, eps):
    r"""Exponential decay.

    .. math:: \alpha(t) = \alpha_0\,\varepsilon^{t}

    where :math:`\alpha_0` is ``lr0`` and :math:`\varepsilon` is ``eps``
    (the source note's "usually 0.95").

    Parameters
    ----------
    lr0 : float
        Initial learning rate, > 0.
    eps : float
        Decay factor per epoch, in (0, 1] (1 gives a constant rate).

    Examples
    --------
    >>> from decaylib import exponential
    >>> s = exponential(lr0=0.1, eps=0.5)
    >>> s(0), s(3)
    (0.1, 0.0125)
    >>> s.cumulative(float("inf"))
    0.2
    """
    return Smooth(EXPONENTIAL, lr0=_validate.positive("lr0", lr0),
                  eps=_validate.real("eps", eps, low=0.0, high=1.0, low_open=True))


def inverse_sqrt(lr0, k=1.0):
    r"""Inverse-square-root decay, the source's :math:`k/\sqrt{\text{epoch}}`.

    .. math:: \alpha(t) = \frac{k\,\alpha_0}{\sqrt{t + 1}}

    where :math:`\alpha_0` is ``lr0`` and :math:`k` is ``k``.  The source
    counts epochs from 1; with the book's 0-based ``t`` that is
    ``epoch = t + 1``, which avoids :math:`k/\sqrt{0}`.

    Parameters
    ----------
    lr0 : float
        Base learning rate, > 0.
    k : float
        Constant factor, > 0; the rate at ``t = 0`` is ``k * lr0``.

    Examples
    --------
    >>> from decaylib import inverse_sqrt
    >>> s = inverse_sqrt(lr0=0.1, k=2.0)
    >>> s(0), s(3)
    (0.2, 0.1)
    >>> s.half_life()  # always 3 epochs, whatever k is
    3.0
    """
    lr0, k = _validate.positive("lr0", lr0), _validate.positive("k", k)
    if not math.isfinite(lr0 * k):
        raise ValueError(f"k * lr0 (the rate at t = 0) must be finite, got k={k!r}, lr0={lr0!r}")
    return Smooth(INVERSE_SQRT, lr0=lr0, k=k)


def constant(lr0):
    r"""A constant rate, :math:`\alpha(t) = \alpha_0`: the baseline with no decay.

    Examples
    --------
    >>> from decaylib import constant
    >>> constant(0.1)(7)
    0.1
    """
    return Smooth(CONSTANT, lr0=_validate.positive("lr0", lr0))


def cosine(lr0, total, lr_min=0.0):
    r"""Cosine decay to ``lr_min`` over ``total`` epochs, then constant.

    .. math:: \alpha(t) = \alpha_{\min} + \frac{\alpha_0 - \alpha_{\min}}{2}
              \left(1 + \cos\frac{\pi \min(t, T)}{T}\right)

    where :math:`\alpha_0` is ``lr0``, :math:`T` is ``total`` and
    :math:`\alpha_{\min}` is ``lr_min``.  Like Keras and Optax (and unlike
    PyTorch's ``CosineAnnealingLR``) it stays at ``lr_min`` after ``total``.

    Examples
    --------
    >>> from decaylib import cosine
    >>> s = cosine(lr0=0.1, total=100)
    >>> s(0), s(50), s(100), s(150)
    (0.1, 0.05, 0.0, 0.0)
    """
    lr0 = _validate.positive("lr0", lr0)
    lr_min = _validate.real("lr_min", lr_min, low=0.0, high=lr0, high_open=True)
    return Smooth(COSINE, lr0=lr0, total=_validate.integer("total", total, low=1, high=_validate.FLOAT_MAX), lr_min=lr_min)


def linear(start, end, steps):
    r"""A linear ramp from ``start`` to ``end`` over ``steps`` epochs, then constant.

    .. math:: \alpha(t) = \alpha_s + (\alpha_e - \alpha_s)\,\frac{\min(t, S)}{S}

    where :math:`\alpha_s` is ``start``, :math:`\alpha_e` is ``end`` and
    :math:`S` is ``steps``.  The building block of warm-up and of the final
    decay in warm-up–stable–decay.

    Examples
    --------
    >>> from decaylib import linear
    >>> s = linear(start=0.0, end=0.1, steps=10)
    >>> s(0), s(5), s(20)
    (0.0, 0.05, 0.1)
    """
    start = _validate.real("start", start, low=0.0)
    end = _validate.real("end", end, low=0.0)
    if start == end == 0.0:
        raise ValueError("start and end cannot both be 0: the rate would be 0 everywhere")
    return Smooth(LINEAR, start=start, end=end, steps=_validate.integer("steps", steps, low=1, high=_validate.FLOAT_MAX))
