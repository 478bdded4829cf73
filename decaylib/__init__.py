r"""decaylib: learning-rate decay schedules whose formulas are sympy expressions.

Every schedule is a pure function of the 0-based epoch index ``t``, built by a
factory that validates its arguments once.  From its sympy expression each
schedule derives its half-life, its budget :math:`\sum_t \alpha(t)` and its
Robbins–Monro verdict.

>>> import decaylib
>>> s = decaylib.inverse_time(lr0=0.5, decay_rate=1.0)
>>> s(2)
0.16666666666666666
>>> s.robbins_monro()
RobbinsMonro(sum_diverges=True, sum_of_squares_converges=True)
"""
from .compose import join, warmup
from .families import constant, cosine, exponential, inverse_sqrt, inverse_time, linear
from .matching import match_budget, match_half_life, match_rate
from .schedule import RobbinsMonro, Schedule
from .stepped import piecewise_constant, staircase, step_decay
from .style import COLORS, LABELS, color

# Modules with heavier imports (matplotlib, ipywidgets, altair) load on first
# use: ``decaylib.explorer``, ``decaylib.live`` ...
_SUBMODULES = ("plotting", "explorer", "frameworks", "sgd", "live", "data")


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COLORS",
    "LABELS",
    "RobbinsMonro",
    "Schedule",
    "color",
    "constant",
    "cosine",
    "exponential",
    "inverse_sqrt",
    "inverse_time",
    "join",
    "linear",
    "match_budget",
    "match_half_life",
    "match_rate",
    "piecewise_constant",
    "staircase",
    "step_decay",
    "warmup",
]
