r"""Stepped schedules: piecewise-constant and staircase (discrete step) decay.

Their sympy expressions use ``Piecewise`` and ``floor``; the numeric code
(``searchsorted``, ``floor``) is written for speed and checked against those
expressions by the tests.
"""
import bisect
import math

import numpy as np
import sympy as sp

from . import _validate
from .schedule import RobbinsMonro, Schedule
from .symbols import every as every_sym, t


# Up to this many boundaries, masked fills; beyond, searchsorted.
_FEW_PIECES = 8


class PiecewiseConstant(Schedule):
    family = "piecewise_constant"

    def __init__(self, boundaries, values):
        super().__init__({"boundaries": boundaries, "values": values})
        self._b = np.asarray(boundaries, dtype=np.float64)
        self._v = np.asarray(values, dtype=np.float64)
        self._bl = self._b.tolist()

    def _eval(self, t, out=None, lo=None, hi=None):
        # At t == boundary the next value applies (PyTorch, Optax).
        if out is None:
            out = np.empty(t.shape)
        if not t.size:
            return out
        # Schedule.__call__ passes blocks of epochs; a block of sorted epochs
        # (np.arange) mostly lies in one piece: one fill, straight into the result
        lo = t.min() if lo is None else lo
        hi = t.max() if hi is None else hi
        i = bisect.bisect_right(self._bl, lo)  # = np.searchsorted(self._b, lo, side="right")
        if i == bisect.bisect_right(self._bl, hi):
            out.fill(self._v[i])
            return out
        if len(self._b) > _FEW_PIECES:
            return np.take(self._v, np.searchsorted(self._b, t, side="right"), out=out)
        # Few pieces: one masked fill per boundary streams through memory and
        # beats a binary search per epoch (1.4x slower than np.select at 1e7).
        out.fill(self._v[-1])
        for b, v in zip(self._b[::-1], self._v[-2::-1]):
            np.copyto(out, v, where=t < b)
        return out

    @property
    def expr(self):
        vs, bs = self.params["values"], self.params["boundaries"]
        pieces = [(sp.Float(v), t < sp.Float(b)) for v, b in zip(vs, bs)]
        return sp.Piecewise(*pieces, (sp.Float(vs[-1]), True))

    def _time_to(self, level):
        below = np.nonzero(self._v <= level)[0]
        if below.size == 0:
            return math.inf
        i = int(below[0])
        # the first whole epoch of piece i (boundaries may be fractional)
        return 0.0 if i == 0 else float(math.ceil(self._b[i - 1]))

    def _cumulative(self, count):
        # integer epochs in [lo, hi) intersected with [0, count), counted exactly
        # (count may be any Python int, 2**64 - 1 included)
        starts = [0] + [math.ceil(b) for b in self._b]
        ends = starts[1:] + [math.inf]
        terms = []
        for lo, hi, v in zip(starts, ends, self._v):
            epochs = max(0, min(hi, count) - lo)
            if epochs:
                try:
                    terms.append(float(epochs) * float(v))
                except OverflowError:  # more epochs than a float holds
                    return math.inf
        try:
            return math.fsum(terms)
        except OverflowError:  # a budget beyond the float range
            return math.inf

    def _robbins_monro(self):
        return RobbinsMonro(True, False)  # ends on a positive constant


class Staircase(Schedule):
    family = "staircase"

    def __init__(self, schedule, every):
        super().__init__({"schedule": schedule, "every": every})
        self.inner = schedule
        self.every = every

    def _eval(self, t, out=None, lo=None, hi=None):
        # floor is monotone: the stairs of the smallest and largest epochs bound the block's
        stairs = np.divide(t, self.every, out=np.empty(t.shape))
        np.floor(stairs, out=stairs)

        def stair(x):
            return None if x is None else float(np.floor(np.divide(np.full(1, x), self.every))[0])

        return self.inner._eval(stairs, out, stair(lo), stair(hi))

    @property
    def expr(self):
        return self.inner.expr.subs(t, sp.floor(t / self.every))

    @property
    def formula(self):
        return self.inner.formula.subs(t, sp.floor(t / every_sym))

    def _time_to(self, level):
        j = _first_epoch(self.inner, level)
        if j == math.inf:
            return math.inf
        try:
            return float(j * self.every)
        except OverflowError:  # beyond the float range
            return math.inf

    def _cumulative(self, count):
        if count == math.inf:
            return self.every * self.inner.cumulative(math.inf)
        q, r = divmod(count, self.every)
        total = self.every * self.inner.cumulative(q)
        if r:  # the first r epochs of stair q (beyond the float range: the rate there is the limit's)
            total += r * self.inner(float(q) if q < 2**1023 else np.finfo(np.float64).max)
        return total

    def _robbins_monro(self):
        # sum_t f(floor(t/N)) = N sum_j f(j): same verdicts as the inner schedule
        return self.inner.robbins_monro()


def _first_epoch(schedule, level):
    """The first whole epoch ``j >= 0`` with ``schedule(j) <= level`` (an int, or ``math.inf``).

    A join is searched piece by piece (its pieces need not be monotone as a
    whole: a warm-up rises first).  Every other schedule is monotone or
    already integer-valued, so its first real crossing, rounded up, is the
    answer up to the rounding of that crossing, which is checked one epoch
    either way.
    """
    from .compose import Join

    if isinstance(schedule, Join):
        for piece, lo, hi in zip(schedule.pieces, schedule.starts, schedule.ends):
            u = _first_epoch(piece, level)
            if lo + u < hi:
                return lo + u
        return math.inf
    h = schedule._time_to(level)
    if h == math.inf:
        return math.inf
    j = math.ceil(h)
    if j < 2**52:  # beyond 2**52 neighbouring epochs are not distinct floats: nothing to refine
        for _ in range(3):  # bounded: the crossing is off by a rounding at most
            if j > 0 and schedule(j - 1) <= level:
                j -= 1
            elif schedule(j) > level:
                j += 1
            else:
                break
    return j


def piecewise_constant(boundaries, values):
    r"""Piecewise-constant ("分段") decay with absolute values.

    .. math:: \alpha(t) = v_i \quad\text{for}\quad b_{i-1} \le t < b_i,
              \qquad b_{-1} = 0,\; b_{m} = \infty

    where :math:`b_i` are ``boundaries`` and :math:`v_i` are ``values``.  The
    rate switches *at* a boundary, as in PyTorch's ``MultiStepLR`` and Optax's
    ``piecewise_constant_schedule`` (Keras's ``PiecewiseConstantDecay``
    switches one step later).

    Parameters
    ----------
    boundaries : sequence of float
        Strictly increasing epochs > 0 where the rate changes.
    values : sequence of float
        ``len(boundaries) + 1`` rates, each > 0.

    Examples
    --------
    >>> from decaylib import piecewise_constant
    >>> s = piecewise_constant(boundaries=[30, 60], values=[0.1, 0.01, 0.001])
    >>> s(29), s(30), s(60)
    (0.1, 0.01, 0.001)
    >>> s.cumulative(40)
    3.1
    """
    try:
        boundaries = [float(_validate.positive("boundaries", b)) for b in boundaries]
        values = [float(_validate.positive("values", v)) for v in values]
    except TypeError:
        raise ValueError("boundaries and values must be sequences of numbers (boundaries > 0, "
                         f"values > 0), got boundaries={boundaries!r}, values={values!r}") from None
    if any(b2 <= b1 for b1, b2 in zip(boundaries, boundaries[1:])):
        raise ValueError(f"boundaries must be strictly increasing (no repeats), got {boundaries}")
    if len(values) != len(boundaries) + 1:
        raise ValueError(
            f"values must have len(boundaries) + 1 = {len(boundaries) + 1} entries, got {len(values)}")
    return PiecewiseConstant(boundaries, values)


def staircase(schedule, every):
    r"""Hold ``schedule`` constant for ``every`` epochs at a time.

    .. math:: \alpha(t) = f\!\left(\left\lfloor t / N \right\rfloor\right)

    where :math:`f` is ``schedule`` and :math:`N` is ``every``.  With
    ``inverse_time`` this is the course's
    :math:`\alpha_0 / (1 + d \lfloor \text{epoch} / \text{interval} \rfloor)`.

    Examples
    --------
    >>> from decaylib import inverse_time, staircase
    >>> s = staircase(inverse_time(lr0=0.5, decay_rate=0.3), every=100)
    >>> s(10), s(100)
    (0.5, 0.3846153846153846)
    """
    if not isinstance(schedule, Schedule):
        raise ValueError(f"schedule must be a decaylib Schedule, got {schedule!r}")
    return Staircase(schedule, _validate.integer("every", every, low=1, high=_validate.FLOAT_MAX))


def step_decay(lr0, eps, every):
    r"""Step decay: multiply by ``eps`` every ``every`` epochs.

    .. math:: \alpha(t) = \alpha_0\,\varepsilon^{\lfloor t / N \rfloor}

    the same as ``staircase(exponential(lr0, eps), every)`` and PyTorch's
    ``StepLR(step_size=every, gamma=eps)``.

    Examples
    --------
    >>> from decaylib import step_decay
    >>> s = step_decay(lr0=0.1, eps=0.5, every=10)
    >>> s(9), s(10), s(25)
    (0.1, 0.05, 0.025)
    """
    from .families import exponential

    return staircase(exponential(lr0, eps), every)
