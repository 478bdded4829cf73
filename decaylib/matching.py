r"""Make schedules comparable: solve for the decay parameter of a family.

Three ways to match: reach a target rate at a target epoch, have a given
half-life, or spend a given budget :math:`\sum_{t<n}\alpha(t)`.  sympy solves
the family's formula for its parameter; a budget with no closed-form
inverse (sympy's digamma / geometric closed forms) is inverted by bisection
over the floats, which finds the float parameter whose budget is nearest.
"""
import functools
import math
import struct

import mpmath
import sympy as sp

from . import _validate
from .families import EXPONENTIAL, INVERSE_SQRT, INVERSE_TIME, exponential, inverse_sqrt, inverse_time
from .symbols import lr0 as lr0_sym, n as n_sym, rate as rate_sym, t

#: family name -> (Family, name of its decay parameter, factory)
FAMILIES = {
    "inverse_time": (INVERSE_TIME, "decay_rate", inverse_time),
    "exponential": (EXPONENTIAL, "eps", exponential),
    "inverse_sqrt": (INVERSE_SQRT, "k", inverse_sqrt),
}
_at = sp.Symbol("t_star", positive=True)  # the target epoch


#: the relative miss a matched schedule may have: beyond it the helpers raise
MATCH_RTOL = 1e-9


def _family(name):
    if not isinstance(name, str) or name not in FAMILIES:
        raise ValueError(f"family must be one of {sorted(FAMILIES)}, got {name!r}")
    return FAMILIES[name]


@functools.cache
def parameter_for_rate(name) -> sp.Expr:
    """The family's decay parameter that gives rate ``alpha`` at epoch ``t_star``."""
    fam, param, _ = _family(name)
    sym = dict(zip(fam.params, fam.symbols))[param]
    (sol,) = sp.solve(sp.Eq(fam.formula.subs(t, _at), rate_sym), sym)
    return sol


def match_rate(family, lr0, rate, at):
    r"""The member of ``family`` that starts at ``lr0`` and has ``rate`` at epoch ``at``.

    Examples
    --------
    >>> from decaylib import match_rate
    >>> match_rate("exponential", lr0=0.1, rate=0.025, at=2)
    exponential(lr0=0.1, eps=0.5)
    >>> match_rate("inverse_time", lr0=0.1, rate=0.025, at=2).params["decay_rate"]
    1.5
    """
    _, param, factory = _family(family)
    lr0 = _validate.positive("lr0", lr0)
    at = _validate.positive("at", at)
    high = math.inf if family == "inverse_sqrt" else lr0
    rate = _validate.real("rate", rate, low=0.0, high=high, low_open=True)
    # the symbolic solution evaluated by mpmath at 50 digits from the exact binary values
    # of the floats: the correctly rounded parameter.  (Substituting sympy Rationals
    # instead made sympy factor huge integers: match_rate(..., rate=1e-15, ...) hung.)
    with mpmath.workdps(50):
        value = float(_numeric(parameter_for_rate(family), (lr0_sym, rate_sym, _at))(
            mpmath.mpf(lr0), mpmath.mpf(rate), mpmath.mpf(at)))
    schedule = _build(family, factory, lr0, param, value)
    fam = FAMILIES[family][0]
    formula = _numeric(fam.formula, (t, *fam.symbols))

    def reached(v):  # the rate at ``at`` of the member with parameter v, every digit
        args = dict(schedule.params, **{param: v})
        return formula(mpmath.mpf(at), *[mpmath.mpf(args[p]) for p in fam.params])

    _verify(family, lr0, param, value, reached, rate, f"rate={rate!r} at t={at!r}", "a rate of")
    return schedule


@functools.cache
def _numeric(expr, args):
    """``expr`` lambdified for mpmath (cached per expression)."""
    return sp.lambdify(args, expr, "mpmath")


def match_half_life(family, lr0, half_life):
    r"""The member of ``family`` that starts at ``lr0`` and halves at epoch ``half_life``.

    ``inverse_sqrt`` cannot be matched: its half-life is 3 epochs for every k.

    Examples
    --------
    >>> from decaylib import match_half_life
    >>> match_half_life("exponential", lr0=0.1, half_life=1)
    exponential(lr0=0.1, eps=0.5)
    """
    fam, param, factory = _family(family)
    lr0 = _validate.positive("lr0", lr0)
    half_life = _validate.positive("half_life", half_life)
    sol = parameter_for_half_life(family)
    if isinstance(sol, sp.Set):  # no parameter moves the half-life
        (fixed,) = sol
        raise ValueError(f"family {family!r} cannot be matched by half-life: its half-life is "
                         f"{fixed} epochs whatever {param} is (got half_life={half_life!r})")
    with mpmath.workdps(50):
        value = float(_numeric(sol, (lr0_sym, _at))(mpmath.mpf(lr0), mpmath.mpf(half_life)))
    schedule = _build(family, factory, lr0, param, value)
    h = _numeric(fam.half_life_formula, fam.symbols)

    def reached(v):  # the half-life of the member with parameter v, every digit
        if (param, v) in (("decay_rate", 0.0), ("eps", 1.0)):  # no decay: never halves
            return mpmath.inf
        args = dict(schedule.params, **{param: v})
        return h(*[mpmath.mpf(args[p]) for p in fam.params])

    _verify(family, lr0, param, value, reached, half_life, f"half_life={half_life!r}", "a half-life of")
    return schedule


@functools.cache
def parameter_for_half_life(name):
    """The decay parameter whose rate at ``t_star`` is half the rate at 0.

    A ``FiniteSet`` of the fixed half-lives instead when the parameter drops
    out of that equation (``inverse_sqrt``: always 3 epochs).
    """
    fam, param, _ = _family(name)
    sym = dict(zip(fam.params, fam.symbols))[param]
    halved = sp.Eq(fam.formula.subs(t, _at), fam.formula.subs(t, 0) / 2)
    sols = sp.solve(halved, sym)
    if not sols:
        return sp.FiniteSet(*sp.solve(halved, _at))
    (sol,) = sols
    return sol


def _verify(family, lr0, param, value, reached, target, asked, what):
    """Raise ValueError unless the float ``value`` meets ``target`` to ``MATCH_RTOL``.

    ``reached(v)`` is what the member with parameter ``v`` achieves, as an mpf.
    The message says that no float64 parameter meets the target and how close
    the best float (``value`` or one of its neighbours) gets.
    """
    with mpmath.workdps(50):
        tgt = mpmath.mpf(target)

        def miss(v):
            got = reached(v)
            return mpmath.inf if not mpmath.isfinite(got) else abs(got - tgt) / abs(tgt)

        if miss(value) <= MATCH_RTOL:
            return
        low, high = (0.0, 1.0) if param == "eps" else (0.0, math.inf)
        candidates = [value]
        for direction in (math.inf, -math.inf):
            v = value
            for _ in range(2):
                v = math.nextafter(v, direction)
                if (low < v <= high) if param == "eps" else (low <= v < high):
                    candidates.append(v)
        best = min(candidates, key=miss)
        got, rel = reached(best), miss(best)
    shown = "never" if not mpmath.isfinite(got) else f"{float(got)!r}"
    raise ValueError(f"no {family} schedule with lr0={lr0!r} meets {asked}: no float64 value of {param} "
                     f"does (to a relative {MATCH_RTOL:g}); the best, {param}={best!r}, gives "
                     f"{what} {shown} (relative miss {float(rel):.3g})")


def _build(family, factory, lr0, param, value):
    """``factory(lr0, param=value)``, or a ValueError saying what could not be matched."""
    try:
        return factory(lr0, **{param: value})
    except ValueError as err:
        raise ValueError(f"no {family} schedule with lr0={lr0!r} matches: it would need "
                         f"{param}={value!r}, outside the float range allowed ({err})") from None


def match_budget(family, lr0, budget, n):
    r"""The member of ``family`` starting at ``lr0`` whose budget over ``n`` epochs is ``budget``.

    The budget is :math:`\sum_{t=0}^{n-1}\alpha(t)`.  For the decaying families
    it lies between ``lr0`` (all decay at once) and ``n * lr0`` (no decay).
    The parameter returned is the float whose budget is nearest ``budget``
    (with ``eps`` near 1 over many epochs, no float hits it exactly).

    Examples
    --------
    >>> from decaylib import match_budget
    >>> s = match_budget("exponential", lr0=0.1, budget=0.19, n=2)
    >>> round(s.params["eps"], 12)
    0.9
    """
    _, param, factory = _family(family)
    lr0 = _validate.positive("lr0", lr0)
    n = _validate.integer("n", n, low=1)
    if family == "inverse_sqrt":
        budget = _validate.positive("budget", budget)
    else:
        try:
            most = n * lr0  # no decay at all
        except OverflowError:  # n beyond the float range
            most = math.inf
        budget = _validate.real("budget", budget, low=lr0, high=most, low_open=True)
    if family == "inverse_sqrt":  # linear in k: sympy solves it exactly, mpmath evaluates it
        with mpmath.workdps(50):
            value = float(_k_for_budget()(mpmath.mpf(budget), mpmath.mpf(lr0), mpmath.mpf(n)))
        schedule = _build(family, factory, lr0, param, value)
        _verify(family, lr0, param, value, lambda v: mpmath.mpf(lr0) * factory(1.0, **{param: v})._cumulative(n),
                budget, f"budget={budget!r} over n={n!r} epochs", "a budget of")
        return schedule
    if budget == n * lr0:
        return factory(lr0, **{param: 0.0 if family == "inverse_time" else 1.0})
    # The budget is sympy's closed form (evaluated by mpmath at 60+ digits); it is
    # monotone in the parameter (decreasing in decay_rate, increasing in eps), so
    # bisection over the positive floats -- ordered like their bit patterns --
    # ends in <= 64 steps on the float whose budget is nearest the target.
    def spent(value):  # budget of lr0 = 1, as an mpf with all its digits
        return factory(1.0, **{param: value})._cumulative(n)

    increasing = family == "exponential"
    lo, hi = _bits(5e-324), _bits(1.0 if increasing else 1.7976931348623157e308)
    with mpmath.workdps(80):
        target = mpmath.mpf(budget) / mpmath.mpf(lr0)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if (spent(_float(mid)) < target) == increasing:
                lo = mid
            else:
                hi = mid
        value = min((_float(lo), _float(hi)), key=lambda v: abs(spent(v) - target))
    schedule = _build(family, factory, lr0, param, value)
    _verify(family, lr0, param, value, lambda v: mpmath.mpf(lr0) * factory(1.0, **{param: v})._cumulative(n),
            budget, f"budget={budget!r} over n={n!r} epochs", "a budget of")
    return schedule


def _bits(x):
    """A positive float as an integer that orders like the float."""
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _float(bits):
    return struct.unpack("<d", struct.pack("<q", bits))[0]


_budget = sp.Symbol("B", positive=True)


@functools.cache
def _k_for_budget():
    """``k(B, lr0, n)`` of inverse_sqrt from ``sympy.solve`` (general symbols, no floats).

    Solving with the user's floats substituted would let ``solve`` rationalise
    them to 15 digits; solving once in symbols keeps every digit.
    """
    (sol,) = sp.solve(sp.Eq(INVERSE_SQRT.cumulative, _budget), INVERSE_SQRT.symbols[1])
    return sp.lambdify((_budget, lr0_sym, n_sym), sol, "mpmath")
