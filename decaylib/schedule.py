r"""The :class:`Schedule` base class and the sympy-backed smooth families.

A schedule is a pure function of the 0-based epoch index :math:`t`.  Every
schedule carries its formula as a sympy expression (``.expr``); the numbers it
returns are computed from that expression, or from an algebraically equal form
that floats evaluate without cancellation (cosine, linear: sympy proves the
equality in the tests), compiled to in-place numpy calls (:class:`Kernel`,
the operations ``sympy.lambdify`` would make, without its temporaries), or,
for the stepped schedules, by code that the tests check against it.  Half-lives, crossing
times and budgets are evaluated by mpmath from sympy's closed forms.
"""
from __future__ import annotations

import functools
import math
import threading
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

# Epochs evaluated at a time by Schedule.__call__: a block of epochs, its result
# and the kernel's scratch blocks (512 KiB each) stay in a core's L2 and L3 caches,
# and the Python work per block (a few microseconds) is spread over 65536 epochs
# (2**14 and 2**15 measured slower at 10**6 and 10**7 epochs, 2**17 no faster).
_BLOCK = 1 << 16


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
        # d * t may overflow and eps ** t underflow: both give the right limit (0),
        # which is not worth a RuntimeWarning in the reader's notebook
        with np.errstate(over="ignore", under="ignore"):
            if scalar:
                # a scalar is evaluated as a one-element array: the same numpy loops (SIMD
                # pow, exp ...) as for an array, so s(21) == s(np.arange(50.0))[21] bit for
                # bit on every CPU; numpy's scalar loops may differ from them by an ulp
                tt, hi = _validate.checked(arr.reshape(1))
                return float(self._eval(tt, None, hi, hi)[0])
            flat = arr.reshape(-1)
            out = np.empty(flat.shape, dtype=np.float64)
            if flat.size <= _BLOCK:
                tt, hi = _validate.checked(flat)
                self._eval(tt, out, None, hi)
                return out.reshape(arr.shape)
            # A large array is converted, checked and evaluated a block at a time, so
            # that the conversion of int epochs (into one reused block), the check and
            # every intermediate of the formula stay in cache, and each block's numbers
            # are written straight into the result: only the epochs and the result go
            # through main memory, once each.  Each block is contiguous and goes through
            # the same numpy loops, so the numbers are those of the whole array at
            # once, bit for bit.
            buf = None if flat.dtype == np.float64 else np.empty(_BLOCK)
            for lo in range(0, flat.size, _BLOCK):
                block = flat[lo:lo + _BLOCK]
                tt, hi = _validate.checked(block, None if buf is None else buf[:block.size])
                self._eval(tt, out[lo:lo + _BLOCK], None, hi)
            return out.reshape(arr.shape)

    def _eval(self, t: np.ndarray, out=None, lo=None, hi=None) -> np.ndarray:  # pragma: no cover - abstract
        """The rates at ``t`` (checked float64 epochs, C-contiguous), written into
        ``out`` (allocated when None) and returned.  ``lo`` and ``hi``, when given,
        are ``t.min()`` and ``t.max()``, known to the caller without a pass."""
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


# -- numeric kernels: a formula compiled to numpy calls that write in place ---

# ufuncs for the functions the families' formulas use
_UFUNCS = {sp.cos: "cos", sp.sin: "sin", sp.floor: "floor", sp.exp: "exp", sp.log: "log",
           sp.Min: "minimum", sp.Max: "maximum"}
_SCRATCH = threading.local()  # per thread: scratch blocks reused from block to block


def _fill(c, out):
    out.fill(c)


# what each step of a kernel calls: numpy's ufuncs, and a fill and a copy
_UFUNC_CALLS = {name: getattr(np, name) for name in
                ("add", "subtract", "multiply", "divide", "negative", "power", "sqrt", "square",
                 *_UFUNCS.values())}
_UFUNC_CALLS.update(fill=_fill, copy=lambda x, out: np.copyto(out, x))


class Kernel:
    """An expression in ``t`` and parameter symbols, compiled to a straight-line
    sequence of numpy ufunc calls that write into the output array and into
    scratch blocks reused from call to call: one pass over a block per operation
    of the formula, no temporaries allocated (what ``sympy.lambdify`` makes for
    each operation).  The sub-expressions without ``t`` are computed once per
    schedule (:meth:`constants`), in float64 as ``lambdify`` would.

    The operations are those of the expression tree, in its order (a quotient
    stays a division: ``(W - t) / W`` is exactly 1 at ``t = 0``, which
    ``(W - t) * (1 / W)`` is not).  A sum's terms with a minus sign are
    subtracted.  Every epoch goes through the same calls, whatever the length,
    order or dtype of the array it comes in: the numbers are the same bit for
    bit (tests/test_blocks.py).
    """

    def __init__(self, expr, params):
        self.expr = expr
        self._consts = []
        self._ops = []  # (ufunc name, operand names, destination name)
        self._free = []
        self.nbuf = 0
        if t not in expr.free_symbols:
            self._ops.append(("fill", (self._const(expr),), "out"))
        else:
            res = self._ev(expr, "out")
            if res != "out":  # the formula is t itself
                self._ops.append(("copy", (res,), "out"))
        # operands by position in the list run() makes: t, out, scratch blocks, constants
        slots = ["t", "out", *(f"b{i}" for i in range(self.nbuf)), *(f"c{i}" for i in range(len(self._consts)))]
        where = {name: i for i, name in enumerate(slots)}
        self.program = [(_UFUNC_CALLS[f], tuple(where[a] for a in args), where[d]) for f, args, d in self._ops]
        self._const_fn = sp.lambdify(params, self._consts, "numpy") if self._consts else None

    def __str__(self):
        return "\n".join(f"{d} = {f}({', '.join(args)})" for f, args, d in self._ops)

    def constants(self, args):
        """The expression's scalar parts at these parameter values (float64)."""
        if self._const_fn is None:
            return ()
        with np.errstate(all="ignore"):
            return tuple(np.float64(v) for v in self._const_fn(*(np.float64(a) for a in args)))

    def run(self, t, out, consts):
        """Evaluate at ``t`` (float64, C-contiguous) into ``out`` (same shape)."""
        n = t.size
        vals = [t, out]
        if self.nbuf:
            pool = getattr(_SCRATCH, "blocks", None)
            if pool is None or len(pool) < self.nbuf or pool[0].size < n:
                pool = _SCRATCH.blocks = [np.empty(max(n, _BLOCK)) for _ in range(max(self.nbuf, 3))]
            vals += [p[:n].reshape(t.shape) for p in pool[:self.nbuf]]
        vals += consts
        for f, args, d in self.program:
            f(*[vals[i] for i in args], out=vals[d])
        return out

    # -- code generation ------------------------------------------------------
    def _const(self, e):
        self._consts.append(e)
        return f"c{len(self._consts) - 1}"

    def _buf(self):
        if self._free:
            return self._free.pop()
        self.nbuf += 1
        return f"b{self.nbuf - 1}"

    def _op(self, ufunc, *args, dest):
        self._ops.append((ufunc, args, dest))
        return dest

    def _ev(self, e, dest):
        """Emit the code that leaves ``e`` (which has t in it) in ``dest``; return
        where it is (``dest``, or ``t`` for ``t`` itself)."""
        if e == t:
            return "t"
        if isinstance(e, sp.UnevaluatedExpr):
            return self._ev(e.args[0], dest)
        if e.is_Add:
            return self._add(e, dest)
        if e.is_Mul or (e.is_Pow and e.exp.is_number and e.exp < 0):
            return self._mul(e, dest)
        if e.is_Pow:
            base, ex = e.args
            if t not in ex.free_symbols:
                x = self._ev(base, dest)
                if ex == sp.Rational(1, 2):
                    return self._op("sqrt", x, dest=dest)
                if ex == 2:
                    return self._op("square", x, dest=dest)
                return self._op("power", x, self._const(ex), dest=dest)
            if t not in base.free_symbols:
                return self._op("power", self._const(base), self._ev(ex, dest), dest=dest)
            x = self._ev(base, dest)
            tmp = self._buf()
            y = self._ev(ex, tmp)
            self._op("power", x, y, dest=dest)
            self._free.append(tmp)
            return dest
        if e.func in _UFUNCS:
            ufunc = _UFUNCS[e.func]
            if len(e.args) == 1:
                return self._op(ufunc, self._ev(e.args[0], dest), dest=dest)
            if len(e.args) == 2:
                a, b = sorted(e.args, key=lambda a: t in a.free_symbols, reverse=True)  # t-part first
                x = self._ev(a, dest)
                if t not in b.free_symbols:
                    return self._op(ufunc, x, self._const(b), dest=dest)
                tmp = self._buf()
                self._op(ufunc, x, self._ev(b, tmp), dest=dest)
                self._free.append(tmp)
                return dest
        raise NotImplementedError(f"no numpy kernel for {e!r}")

    def _binary_into(self, ufunc, acc, term, dest):
        """dest = ufunc(acc, term) with ``term`` evaluated into a scratch block."""
        tmp = self._buf()
        self._op(ufunc, acc, self._ev(term, tmp), dest=dest)
        self._free.append(tmp)
        return dest

    def _add(self, e, dest):
        scal = [a for a in e.args if t not in a.free_symbols]
        vec = [a for a in e.args if t in a.free_symbols]
        pos = [a for a in vec if not a.could_extract_minus_sign()]
        neg = [-a for a in vec if a.could_extract_minus_sign()]
        c = self._const(sp.Add(*scal)) if scal else None
        if pos:
            acc = self._ev(pos[0], dest)
            for a in pos[1:]:
                acc = self._binary_into("add", acc, a, dest)
        else:
            x = self._ev(neg.pop(0), dest)
            if c is not None:
                acc, c = self._op("subtract", c, x, dest=dest), None
            else:
                acc = self._op("negative", x, dest=dest)
        for a in neg:
            acc = self._binary_into("subtract", acc, a, dest)
        if c is not None:
            acc = self._op("add", acc, c, dest=dest)
        return acc

    def _mul(self, e, dest):
        num, den = [], []
        for f in sp.Mul.make_args(e):
            if f.is_Pow and f.exp.is_number and f.exp < 0:
                den.append(f.base ** -f.exp)
            else:
                num.append(f)
        cn = sp.Mul(*[f for f in num if t not in f.free_symbols])
        cd = sp.Mul(*[f for f in den if t not in f.free_symbols])
        vn = [f for f in num if t in f.free_symbols]
        vd = [f for f in den if t in f.free_symbols]
        if not vn:  # c / (vector)
            x = self._ev(vd[0], dest)
            for f in vd[1:]:
                x = self._binary_into("multiply", x, f, dest)
            return self._op("divide", self._const(cn / cd), x, dest=dest)
        acc = self._ev(vn[0], dest)
        if cn != 1:
            acc = self._op("multiply", self._const(cn), acc, dest=dest)
        for f in vn[1:]:
            acc = self._binary_into("multiply", acc, f, dest)
        if vd:
            tmp = self._buf()
            x = self._ev(vd[0], tmp)
            for f in vd[1:]:
                x = self._binary_into("multiply", x, f, tmp)
            acc = self._op("divide", acc, x, dest=dest)
            self._free.append(tmp)
        if cd != 1:
            acc = self._op("divide", acc, self._const(cd), dest=dest)
        return acc


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
        """The numbers as :class:`Kernel` s specialised for a block of epochs, as
        ``{within: (cond, first, rest)}``.

        ``within=True`` is for blocks before the horizon (every ``t <= T``):
        there ``min(t, T)`` is ``t`` exactly, so it is left out.  When
        :attr:`numeric`'s expression holds a two-branch ``Piecewise`` (the stable
        forms of cosine and linear), ``cond`` is its condition (a numpy function
        ``(t, *params)``) and ``first`` and ``rest`` are the expression with the
        ``Piecewise`` replaced by one branch, so a block on one side of the
        condition evaluates that branch only; else ``cond`` and ``rest`` are
        None.  A condition holds on an initial range of epochs (``2 min(t, T) <=
        T``: the tests check it), so a block's largest and smallest epochs tell
        whether all of it is on one side.  Every epoch goes through the same
        operations whether its block is on one side or mixed, so the numbers are
        the same bit for bit (the tests check it).
        """
        expr = self.formula if self.stable is None else self.stable
        args = (t, *self.symbols)
        out = {}
        for within in (False, True):
            if within and self.horizon is None:
                continue
            e = expr.xreplace({sp.Min(t, BY_NAME[self.horizon]): t}) if within else expr
            pieces = list(e.atoms(sp.Piecewise))
            if not pieces:
                out[within] = (None, Kernel(e, self.symbols), None)
                continue
            (pw,) = pieces
            (e1, cond), (e2, last) = pw.args
            assert last is sp.true, "a stable form may hold one two-branch Piecewise"
            # the condition on a whole block (numpy), and on one epoch in Python floats
            # (the same IEEE operations: it decides a block by its largest and smallest)
            out[within] = ((sp.lambdify(args, cond, "numpy"), sp.lambdify(args, cond, "math")),
                           Kernel(e.xreplace({pw: e1}), self.symbols), Kernel(e.xreplace({pw: e2}), self.symbols))
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

    @functools.cached_property
    def _programs(self):
        """``{within: (cond, (first kernel, its constants), (rest kernel, its constants))}``
        for this member's parameters (see :attr:`Family.blocks`)."""
        progs = {}
        for within, (cond, first, rest) in self._family.blocks.items():
            progs[within] = (cond, (first, first.constants(self._args)),
                             None if rest is None else (rest, rest.constants(self._args)))
        return progs

    @functools.cached_property
    def _fargs(self):
        """The parameters as floats, as numpy sees them (an int ``total`` above 2**53 rounded)."""
        return tuple(float(a) for a in self._args)

    @functools.cached_property
    def _horizon(self):
        h = self._family.horizon
        return None if h is None else float(self.params[h])  # what numpy compares t with

    @functools.cached_property
    def _at_horizon(self) -> float:
        """The rate at the horizon and after it (min(t, T) = T), computed on T itself."""
        return float(self._eval(np.full(1, self._horizon))[0])

    def _eval(self, t, out=None, lo=None, hi=None):
        if out is None:
            out = np.empty(t.shape)
        if not t.size:
            return out
        # Schedule.__call__ passes blocks of epochs; the epochs of a block of
        # np.arange lie before the horizon or on one side of cosine's switch
        h = self._horizon
        within = False
        if h is not None:
            if t.size > 1 and t.flat[0] >= h:  # (flat[0]: no pass over a block before T)
                lo = t.min() if lo is None else lo
                if lo >= h:  # past the horizon min(t, T) is T: one value
                    out.fill(self._at_horizon)
                    return out
            hi = t.max() if hi is None else hi
            within = hi <= h
        cond, first, rest = self._programs[within]
        if rest is None:
            first[0].run(t, out, first[1])
        else:
            # the condition holds on an initial range of epochs: the largest epoch
            # (known from the check) and the smallest decide a whole block
            hi = t.max() if hi is None else hi
            on_block, on_epoch = cond
            fargs = self._fargs
            if on_epoch(float(hi), *fargs):
                first[0].run(t, out, first[1])
            else:
                lo = t.min() if lo is None else lo
                if not on_epoch(float(lo), *fargs):
                    rest[0].run(t, out, rest[1])
                else:  # both sides in one block: each epoch from its branch
                    other = rest[0].run(t, np.empty(t.shape), rest[1])
                    first[0].run(t, out, first[1])
                    np.copyto(out, other, where=~on_block(t, *self._args))
        if self._far_scale:
            # below tiny * scale an intermediate (d * t, eps ** t) has overflowed or
            # left the normal range: recompute those epochs by the far form
            far = out < self._far_scale
            if far.any():
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[far] = self._family.far_numeric(t[far], *self._args)
        return out

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
