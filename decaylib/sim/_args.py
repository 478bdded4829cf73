"""Argument checks shared by the simulations."""
from __future__ import annotations

import numbers

import numpy as np

from .. import _validate
from ..schedule import Schedule


def _schedule(name, value):
    if not isinstance(value, Schedule):
        raise ValueError(f"{name} must be a decaylib Schedule, got {value!r}")
    return value


def _schedules(values, single):
    """A non-empty list of Schedules; ``single`` names the one-schedule twin."""
    if isinstance(values, Schedule):
        raise ValueError(f"schedules must be a sequence of decaylib Schedules; for one, use {single}")
    try:
        out = [_schedule("schedules", s) for s in values]
    except TypeError:
        raise ValueError(f"schedules must be a sequence of decaylib Schedules, got {values!r}") from None
    if not out:
        raise ValueError("schedules must hold at least one decaylib Schedule")
    return out


def _seeds(name, values):
    if isinstance(values, numbers.Integral) and not isinstance(values, bool):
        values = [values]
    try:
        out = [_validate.integer(name, s, low=0) for s in values]
    except TypeError:
        raise ValueError(f"{name} must be a sequence of integers >= 0, got {values!r}") from None
    if not out:
        raise ValueError(f"{name} must hold at least one integer >= 0, got {values!r}")
    return out


def _rates(schedule, epochs, per_epoch):
    """The rate of every step: ``schedule(t)`` repeated ``per_epoch`` times per epoch ``t``."""
    return np.repeat(schedule(np.arange(epochs, dtype=np.float64)), per_epoch)
