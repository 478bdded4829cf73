r"""The :class:`Schedule` base class and the sympy-backed smooth families.

A schedule is a pure function of the 0-based epoch index :math:`t`.  Every
schedule carries its formula as a sympy expression (``.expr``); the numbers it
returns are computed from that expression (``sympy.lambdify``), from an
algebraically equal form that floats evaluate without cancellation (cosine,
linear: sympy proves the equality in the tests) or, for the stepped
schedules, by code that the tests check against it.  Half-lives, crossing
times and budgets are evaluated by mpmath from sympy's closed forms.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import mpmath
import numpy as np
import sympy as sp

from . import _validate
from .symbols import BY_NAME, n, rate, t

# Digits used by the mpmath evaluation of closed forms.  Sixty digits keep
# differences like psi(n + 1/d) - psi(1/d) exact to double precision for
# 1/d and n up to 1e20; a family's ``cancels`` parameters add log10(1/d)
# digits beyond that (decay_rate down to 5e-324).
_DPS = 60

# Epochs evaluated at a time by Schedule.__call__: a block and the formula's
# temporaries (a few blocks, 128 KiB each) fit in a core's L2 cache (1 MiB here;
# 2**15 and 2**16 measured slower at 10**6 epochs), and smaller blocks cost more
# in per-block Python overhead.
_BLOCK = 1 << 14


class RobbinsMonro(NamedTuple):
    """The two Robbins–Monro conditions on a step-size sequence."""

    sum_diverges: bool
    sum_of_squares_converges: bool

    @property
    def satisfied(self) -> bool:
        """True when both hold: the classical guarantee that SGD converges."""
        return self.sum_diverges and self.sum_of_squares_converges


class Schedule:
    """A learning-rate schedule :math:`\\alpha(t)`, ``t = 0, 1, 2, ...``.

    Call it with an epoch index or an array of them.  Subclasses supply
    ``_eval`` (vectorised numpy), ``_time_to``, ``_cumulative``, ``expr`` and
    ``_robbins_monro``.
    """

    family: str = "schedule"

    def __init__(self, params: dict):
        self.params = dict(params)

    # -- evaluation -------------------------------------------------------
    def __call__(self, t):
        """The learning rate at epoch ``t`` (scalar -> float, array -> array)."""
        arr, scalar = _validate.epoch_array(t)
        if scalar:
            # a scalar is evaluated as a one-element array: the same numpy loops (SIMD
            # pow, exp ...) as for an array, so s(21) == s(np.arange(50.0))[21] bit for
            # bit on every CPU; numpy's scalar loops may differ from them by an ulp
            return float(self._eval(_validate.checked(arr.reshape(1)))[0])
        if arr.size <= _BLOCK:
            return self._eval(_validate.checked(arr))
        # A large array is converted, checked and evaluated a block at a time, so
        # that the conversion of int epochs, the check and every intermediate of
        # the formula stay in cache: only the result goes through main memory.
        # Each block is contiguous and goes through the same numpy loops, so the
        # numbers are those of the whole array at once, bit for bit.
        flat = arr.reshape(-1)
        out = np.empty(flat.shape, dtype=np.float64)
        for lo in range(0, flat.size, _BLOCK):
            out[lo:lo + _BLOCK] = self._eval(_validate.checked(flat[lo:lo + _BLOCK]))
        return out.reshape(arr.shape)

    def _eval(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- sympy views ------------------------------------------------------
    @property
    def expr(self) -> sp.Expr:
        """The schedule as a sympy expression in ``t``, parameters substituted."""
        raise NotImplementedError  # pragma: no cover - abstract

    @property
    def formula(self) -> sp.Expr:
        """The general formula, with parameter symbols (for display)."""
        return self.expr

    def _repr_latex_(self):
        return rf"$\alpha(t) = {sp.latex(self.expr)}$"

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.family}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))

    # -- derived quantities -----------------------------------------------
    def time_to(self, level) -> float:
        """First epoch ``t >= 0`` at which the rate is at or below ``level``.

        Real-valued for smooth schedules, an integer epoch for stepped ones,
        ``math.inf`` when the rate never gets that low.
        """
        level = _validate.positive("level", level)
        return float(self._time_to(level))

    def half_life(self) -> float:
        """First epoch at which the rate has fallen to half its starting value."""
        start = self(0.0)
        if start / 2 == 0:  # (a subnormal start halves to 0 as well)
            raise ValueError(f"half_life is undefined for {self!r}: its rate at t = 0 is 0 "
                             f"or too small to halve, {start!r}")
        return self.time_to(start / 2)

    def cumulative(self, n) -> float:
        r"""The budget :math:`\sum_{t=0}^{n-1} \alpha(t)` from a closed form.

        ``n = math.inf`` gives the total budget, finite or ``math.inf``.
        """
        n = _validate.count("n", n)
        if n == 0:
            return 0.0
        if n == math.inf and self.robbins_monro().sum_diverges:
            return math.inf
        return float(self._cumulative(n))

    @functools.cached_property
    def _rm(self) -> RobbinsMonro:
        return self._robbins_monro()

    def robbins_monro(self) -> RobbinsMonro:
        r"""``(sum_diverges, sum_of_squares_converges)`` of :math:`\alpha(t)`."""
        return self._rm


# -- smooth families: one sympy formula each ----------------------------------


@dataclass(frozen=True, eq=False)
class Family:
    """A smooth schedule family defined by one sympy formula.

    ``formula`` is in ``t`` and the parameter symbols named by ``params``;
    ``cumulative`` is the closed form of the partial sum over ``n`` epochs
    (checked against the formula by the tests); ``solve_for_t`` is the
    formula solved for ``t`` at rate ``alpha`` when ``solve`` cannot see
    through a clamp such as ``Min``; ``stable`` is an algebraically equal
    form of ``formula`` that float64 evaluates without cancellation (sympy
    checks the equality in the tests), used for the numbers when given.
    """

    name: str
    params: tuple
    formula: sp.Expr
    cumulative: sp.Expr
    solve_for_t: sp.Expr | None = None
    horizon: str | None = None  # parameter after which the rate stays constant
    constant_when: tuple = ()  # (parameter, value) pairs that make the rate constant
    stable: sp.Expr | None = None  # same function as formula, cancellation-free in floats
    cancels: tuple = ()  # parameters whose tiny values cost digits in ``cumulative``
    # an algebraically equal form (sympy checks it in the tests) for the epochs where
    # the plain form overflows or underflows on the way to a representable answer,
    # e.g. eps**t -> 0 while lr0 * eps**t does not; needed only when a parameter
    # named in ``far_when`` exceeds its bound (decay_rate > 1, lr0 > 1)
    far: sp.Expr | None = None
    far_when: tuple = ()

    @functools.cached_property
    def decaying_limit(self) -> float:
        """The rate as t -> oo of the decaying members (sympy ``limit``).

        Evaluated at a representative member (every parameter 1/2), like
        :attr:`decaying_verdict`: sympy cannot take the limit of ``eps**t``
        without knowing that ``eps < 1``.
        """
        rep = self.formula.subs({s: sp.Rational(1, 2) for s in self.symbols})
        return float(sp.limit(rep, t, sp.oo))

    @functools.cached_property
    def decaying_verdict(self) -> "RobbinsMonro":
        """Robbins–Monro verdict of the decaying members, decided by sympy once.

        The parameters of a family only scale or reparametrise its terms, so
        one representative decaying member (every parameter 1/2) decides the
        convergence of both series for all of them.
        """
        j = sp.Symbol("j", integer=True, nonnegative=True)
        term = self.formula.subs(t, j).subs({s: sp.Rational(1, 2) for s in self.symbols})
        s1 = sp.Sum(term, (j, 0, sp.oo)).is_convergent()
        s2 = sp.Sum(term**2, (j, 0, sp.oo)).is_convergent()
        return RobbinsMonro(not bool(s1), bool(s2))

    @property
    def symbols(self):
        return tuple(BY_NAME[p] for p in self.params)

    @functools.cached_property
    def numeric(self) -> Callable:
        """numpy function ``(t, *params)`` lambdified from the formula."""
        expr = self.formula if self.stable is None else self.stable
        return sp.lambdify((t, *self.symbols), expr, "numpy")

    @functools.cached_property
    def blocks(self):
        """The numbers as numpy functions ``(t, *params)`` specialised for a block
        of epochs, as ``{within: (whole, branches)}``.

        ``within=True`` is for blocks before the horizon (every ``t <= T``):
        there ``min(t, T)`` is ``t`` exactly, so it is left out.  ``whole`` is
        :attr:`numeric`'s expression; ``branches`` is ``(condition, first,
        rest)`` when that expression holds a two-branch ``Piecewise`` (cosine's
        stable form), else ``None``: ``first`` and ``rest`` are the expression
        with the ``Piecewise`` replaced by one branch, so a block on one side of
        the condition evaluates that branch only.  Each function performs the
        operations of :attr:`numeric` on the epochs it is used for, in the same
        order, so the numbers are the same bit for bit (the tests check it).
        """
        expr = self.formula if self.stable is None else self.stable
        args = (t, *self.symbols)
        out = {}
        for within in (False, True):
            if within and self.horizon is None:
                continue
            e = expr.xreplace({sp.Min(t, BY_NAME[self.horizon]): t}) if within else expr
            whole = sp.lambdify(args, e, "numpy")
            branches = None
            pieces = list(e.atoms(sp.Piecewise))
            if len(pieces) == 1 and len(pieces[0].args) == 2 and pieces[0].args[1].cond is sp.true:
                pw = pieces[0]
                (e1, cond), (e2, _) = pw.args
                branches = (sp.lambdify(args, cond, "numpy"),
                            sp.lambdify(args, e.xreplace({pw: e1}), "numpy"),
                            sp.lambdify(args, e.xreplace({pw: e2}), "numpy"))
            out[within] = (whole, branches)
        return out

    @functools.cached_property
    def far_numeric(self) -> Callable:
        """numpy function ``(t, *params)`` lambdified from ``far``."""
        return sp.lambdify((t, *self.symbols), self.far, "numpy")

    @functools.cached_property
    def cumulative_mp(self) -> Callable:
        """mpmath function ``(n, *params)`` lambdified from the closed form."""
        return sp.lambdify((n, *self.symbols), self.cumulative, "mpmath")

    @functools.cached_property
    def time_formula(self) -> sp.Expr:
        """``t`` such that the formula equals ``alpha`` (sympy ``solve``)."""
        if self.solve_for_t is not None:
            return self.solve_for_t
        tt = sp.Symbol("t", positive=True)
        (sol,) = sp.solve(sp.Eq(self.formula.subs(t, tt), rate), tt)
        return sol

    @functools.cached_property
    def time_numeric(self) -> Callable:
        """mpmath function ``(alpha, *params)``: no overflow, underflow or cancellation."""
        return sp.lambdify((rate, *self.symbols), self.time_formula, "mpmath")

    @functools.cached_property
    def half_life_formula(self) -> sp.Expr:
        """The half-life in the parameters: ``time_formula`` at half the rate at t = 0.

        Simplified exactly (``1/d``, ``log(2)/log(1/epsilon)``, ``3`` ...), so that
        the half-life of inverse_sqrt is exactly 3 and not 3 plus a rounding.
        """
        start = self.formula.subs(t, 0)
        return sp.simplify(self.time_formula.subs(rate, start / 2))

    @functools.cached_property
    def half_life_numeric(self) -> Callable:
        return sp.lambdify(self.symbols, self.half_life_formula, "mpmath")


class Smooth(Schedule):
    """A member of a smooth :class:`Family`, all parameters fixed."""

    def __init__(self, family: Family, **params):
        super().__init__(params)
        self._family = family
        self.family = family.name
        self._args = tuple(params[p] for p in family.params)

    def _eval(self, t):
        # d * t may overflow and eps ** t underflow: both give the right limit (0),
        # which is not worth a RuntimeWarning in the reader's notebook
        with np.errstate(over="ignore", under="ignore"):
            out = self._numbers(t)
            if self._far_scale:
                # below tiny * scale an intermediate (d * t, eps ** t) has overflowed or
                # left the normal range: recompute those epochs by the far form
                far = out < self._far_scale
                if far.any():
                    with np.errstate(divide="ignore", invalid="ignore"):
                        out[far] = self._family.far_numeric(t[far], *self._args)
        # a formula with no t in it (a constant) lambdifies to a scalar
        return np.broadcast_to(np.asarray(out, dtype=np.float64), t.shape).copy() if np.ndim(out) < np.ndim(t) else out

    def _numbers(self, t):
        if not t.size:
            return self._family.numeric(t, *self._args)
        # Schedule.__call__ passes blocks of epochs; the epochs of a block of
        # np.arange lie before the horizon or on one side of cosine's switch
        horizon = self._family.horizon
        within = False
        if horizon is not None:
            h = float(self.params[horizon])  # what numpy's minimum(T, t) compares t with
            if t.size > 1 and t.flat[0] >= h and t.min() >= h:  # (flat[0]: no pass over a block before T)
                # past the horizon min(t, T) is T: one value, computed on T itself
                return np.full(t.shape, self._numbers(np.full(1, h))[0])
            within = t.max() <= h
        whole, branches = self._family.blocks[within]
        if branches is not None:
            cond, first, rest = branches
            c = cond(t, *self._args)
            if c.all():
                return first(t, *self._args)
            if not c.any():
                return rest(t, *self._args)
        return whole(t, *self._args)

    @functools.cached_property
    def _far_scale(self) -> float:
        """0.0 when the plain form cannot lose a representable answer, else the
        threshold below which the far form takes over (tiny * max(1, lr0))."""
        if self._family.far is None or not any(self.params[p] > b for p, b in self._family.far_when):
            return 0.0
        return np.finfo(np.float64).tiny * max(1.0, self.params.get("lr0", 1.0))

    @property
    def formula(self):
        return self._family.formula

    @functools.cached_property
    def expr(self):
        # integer parameters (total, steps) stay exact: 1/Float(total) would be rounded
        subs = {s: sp.Integer(v) if isinstance(v, int) else sp.Float(v)
                for s, v in zip(self._family.symbols, self._args)}
        return self._family.formula.subs(subs)

    @functools.cached_property
    def is_constant(self) -> bool:
        """True for the degenerate members (decay_rate = 0, eps = 1, ...)."""
        return not self.expr.has(t) or any(self.params[p] == v for p, v in self._family.constant_when)

    @functools.cached_property
    def limit(self) -> float:
        """The rate as t -> infinity."""
        if self.is_constant:
            return self(0.0)
        if self._family.horizon:  # clamped: constant from the horizon on
            return self(self.params[self._family.horizon])
        return self._family.decaying_limit

    def half_life(self) -> float:
        """First t at which the rate has fallen to half its starting value (exact formula)."""
        start = self(0.0)
        if start / 2 == 0:  # (a subnormal start halves to 0 as well)
            raise ValueError(f"half_life is undefined for {self!r}: its rate at t = 0 is 0 "
                             f"or too small to halve, {start!r}")
        if self.is_constant or self.limit > start / 2:  # a clamped family reaches its limit
            return math.inf
        with mpmath.workdps(_DPS):
            return float(self._family.half_life_numeric(*[mpmath.mpf(a) for a in self._args]))

    def _time_to(self, level):
        if self(0.0) <= level:
            return 0.0
        if self.limit > level:  # (== level: reached at the horizon of a clamped family)
            return math.inf
        with mpmath.workdps(_DPS):
            args = [mpmath.mpf(a) for a in (level, *self._args)]
            return float(self._family.time_numeric(*args))

    def _cumulative(self, count):
        if count == math.inf and self._family.horizon:
            count = self.params[self._family.horizon]  # the rate is 0 after it
        # Extra digits for extreme parameters: psi(n + 1/d) - psi(1/d) cancels
        # about log10(1/d) digits when the decay rate d is tiny.
        extra = max((-math.log10(self.params[p]) for p in self._family.cancels if 0 < self.params[p] < 1),
                    default=0.0)
        with mpmath.workdps(_DPS + math.ceil(extra)):
            args = [mpmath.mpf(a) for a in self._args]
            return self._family.cumulative_mp(mpmath.mpf(count), *args)

    def _robbins_monro(self):
        if self.is_constant or self._family.horizon:  # eventually constant
            return RobbinsMonro(self.limit > 0, self.limit == 0)
        return self._family.decaying_verdict
