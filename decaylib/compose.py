r"""Composition: join schedules end to end, and warm-up built from a join.

Like Optax's ``join_schedules``: piece ``i`` runs for
``boundaries[i-1] <= t < boundaries[i]`` and sees its own clock
``t - boundaries[i-1]``, so every piece starts at its own ``t = 0``.
"""
import math

import numpy as np
import sympy as sp

from . import _validate
from .schedule import Schedule
from .symbols import t


class Join(Schedule):
    family = "join"

    def __init__(self, schedules, boundaries):
        super().__init__({"schedules": schedules, "boundaries": boundaries})
        self.pieces = list(schedules)
        self.starts = [0] + list(boundaries)
        self.ends = list(boundaries) + [math.inf]

    def _eval(self, t, out=None, lo=None, hi=None):
        if out is None:
            out = np.empty(t.shape)
        if not t.size:
            return out
        # Schedule.__call__ passes blocks of epochs; a block of sorted epochs
        # (np.arange) mostly lies in one piece: no masks, no gathers
        first = t.min() if lo is None else lo
        last = t.max() if hi is None else hi
        for piece, start, end in zip(self.pieces, self.starts, self.ends):
            if start <= first and last < end:
                if not start:
                    return piece._eval(t, out, first, last)
                # t - start is monotone in t: its bounds are those of the block's
                shifted = np.subtract(t, start, out=np.empty(t.shape))
                return piece._eval(shifted, out, *(np.subtract(np.full(1, x), start)[0] for x in (first, last)))
        for piece, start, end in zip(self.pieces, self.starts, self.ends):
            mask = (t >= start) & (t < end)
            out[mask] = piece._eval(t[mask] - start)
        return out

    @property
    def expr(self):
        branches = [(p.expr.subs(t, t - lo), t < hi)
                    for p, lo, hi in zip(self.pieces, self.starts, self.ends[:-1])]
        return sp.Piecewise(*branches, (self.pieces[-1].expr.subs(t, t - self.starts[-1]), True))

    def _time_to(self, level, first=0):
        for piece, lo, hi in list(zip(self.pieces, self.starts, self.ends))[first:]:
            s = piece._time_to(level)
            if lo + s < hi:
                return lo + s
        return math.inf

    def half_life(self):
        """First epoch at which the rate has fallen to half its peak, after the peak.

        The peak is the largest starting value of a piece (for a warm-up, the
        value the ramp climbs to); for a schedule that starts at its peak this
        is the usual half-life.
        """
        if len(self.pieces) == 1:  # a join of one schedule is that schedule
            return self.pieces[0].half_life()
        heads = [p(0.0) for p in self.pieces]
        first = int(np.argmax(heads))
        if heads[first] / 2 == 0:  # as Schedule.half_life: nothing to halve
            raise ValueError(f"half_life is undefined for {self!r}: its peak rate is 0 "
                             f"or too small to halve, {heads[first]!r}")
        return float(self._time_to(heads[first] / 2, first=first))

    def _cumulative(self, count):
        total = 0.0
        for piece, lo, hi in zip(self.pieces, self.starts, self.ends):
            if count <= lo:
                break
            total += piece.cumulative(min(count, hi) - lo)
        return total

    def _robbins_monro(self):
        return self.pieces[-1].robbins_monro()  # a finite prefix changes neither sum


def join(schedules, boundaries):
    r"""Run ``schedules`` one after another, switching at ``boundaries``.

    .. math:: \alpha(t) = f_i(t - b_{i-1}) \quad\text{for}\quad b_{i-1} \le t < b_i

    Parameters
    ----------
    schedules : sequence of Schedule
        The pieces, in order.
    boundaries : sequence of int
        ``len(schedules) - 1`` strictly increasing epochs >= 1.

    Examples
    --------
    >>> from decaylib import constant, exponential, join
    >>> s = join([constant(0.1), exponential(0.1, 0.5)], boundaries=[10])
    >>> s(9), s(10), s(11)
    (0.1, 0.1, 0.05)
    """
    given = schedules
    try:
        schedules = list(schedules)
    except TypeError:  # None, a number, a single Schedule ...
        schedules = None
    if not schedules or not all(isinstance(s, Schedule) for s in schedules):
        raise ValueError(f"schedules must be a non-empty list of decaylib Schedules, got {given!r}")
    try:
        boundaries = list(boundaries)
    except TypeError:
        raise ValueError(f"boundaries must be a list of len(schedules) - 1 = {len(schedules) - 1} integers "
                         f">= 1, got {boundaries!r}") from None
    boundaries = [_validate.integer("boundaries", b, low=1, high=_validate.FLOAT_MAX) for b in boundaries]
    if len(boundaries) != len(schedules) - 1:
        raise ValueError(
            f"boundaries must have len(schedules) - 1 = {len(schedules) - 1} entries, got {len(boundaries)}")
    if any(b2 <= b1 for b1, b2 in zip(boundaries, boundaries[1:])):
        raise ValueError(f"boundaries must be strictly increasing (no repeats), got {boundaries}")
    return Join(schedules, boundaries)


def warmup(schedule, steps, start=0.0):
    r"""Linear warm-up from ``start`` to ``schedule(0)`` over ``steps`` epochs.

    .. math:: \alpha(t) = \begin{cases}
              \alpha_s + (f(0) - \alpha_s)\, t / S & t < S \\
              f(t - S) & t \ge S \end{cases}

    where :math:`f` is ``schedule``, :math:`S` is ``steps`` and
    :math:`\alpha_s` is ``start``.  The decay is shifted, not cut: it begins
    at its own ``t = 0`` when the warm-up ends (Optax's convention).

    Examples
    --------
    >>> from decaylib import cosine, warmup
    >>> s = warmup(cosine(lr0=0.1, total=100), steps=10)
    >>> s(0), s(5), s(10), s(60)
    (0.0, 0.05, 0.1, 0.05)
    >>> s.half_life()
    60.0
    """
    from .families import linear

    if not isinstance(schedule, Schedule):
        raise ValueError(f"schedule must be a decaylib Schedule, got {schedule!r}")
    steps = _validate.integer("steps", steps, low=1, high=_validate.FLOAT_MAX)
    start = _validate.real("start", start, low=0.0)
    return join([linear(start, schedule(0.0), steps), schedule], [steps])
