r"""decaylib: learning-rate decay schedules whose formulas are sympy expressions.

Every schedule is a pure function of the 0-based epoch index ``t``, built by a
factory that validates its arguments once.  From its sympy expression each
schedule derives its half-life, its budget :math:`\sum_t \alpha(t)` and its
Robbins–Monro verdict.

The package has three rooms: this core (schedules, families, stepped,
composition, matching, symbols, validation, :mod:`decaylib.frameworks`),
:mod:`decaylib.viz` (what draws) and :mod:`decaylib.sim` (what simulates).

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

# The core needs numpy, sympy and mpmath only.  The book's rooms load on first
# use: ``decaylib.viz`` (what draws: matplotlib, ipywidgets, altair),
# ``decaylib.sim`` (what simulates), ``decaylib.frameworks`` (PyTorch, Keras,
# Optax equivalents; the frameworks themselves are imported only to run them).
_SUBMODULES = ("frameworks", "sim", "viz")


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RobbinsMonro",
    "Schedule",
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
