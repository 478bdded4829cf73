r"""sympy to Vega: print a decaylib formula as a Vega expression the browser evaluates.

>>> from decaylib.viz.vega import vega_expression
>>> from decaylib.families import INVERSE_TIME
>>> vega_expression(INVERSE_TIME.formula)
'lr0/(decay_rate*datum.t + 1)'
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError
from sympy.printing.jscode import JavascriptCodePrinter
from sympy.printing.jscode import known_functions as _JS_FUNCTIONS
from sympy.printing.precedence import precedence

from ..symbols import BY_NAME, t

__all__ = ["VegaPrinter", "vega_expression"]


# Math functions of the Vega expression language
# (vega-expression's codegen: each maps to the JavaScript Math function).
_VEGA_MATH = frozenset(
    "abs acos asin atan atan2 ceil cos exp floor hypot log max min pow round sin sqrt tan".split())


class VegaPrinter(JavascriptCodePrinter):
    r"""Print a sympy expression in the Vega expression language.

    Sympy's JavaScript printer, adapted: functions without the ``Math.``
    prefix (``pow``, ``sqrt``, ``floor``, ``min`` ...; only those Vega has),
    ``PI`` and ``E``, ``Piecewise`` as nested ``?:``, floats printed with
    the shortest repr that reads back to the same double, and every symbol
    printed through the ``names`` setting (a parameter becomes the Vega
    param of its vocabulary name, ``t`` becomes ``datum.t``).  Anything
    Vega cannot compute (``digamma``, ``zeta``, an unnamed symbol) raises
    ``ValueError``.
    """

    printmethod = "_vega_expression"
    language = "Vega expression"
    _default_settings = dict(JavascriptCodePrinter._default_settings, names={}, strict=True, contract=False)

    def __init__(self, settings=None):
        super().__init__(settings or {})
        self.known_functions = {
            name: js.removeprefix("Math.")
            for name, js in _JS_FUNCTIONS.items()
            if js.removeprefix("Math.") in _VEGA_MATH
        }

    def _print_Symbol(self, expr):
        names = self._settings["names"]
        if expr not in names:
            raise ValueError(f"symbol {expr} has no Vega name; names given: {sorted(map(str, names))}")
        return names[expr]

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Pow(self, expr):
        prec = precedence(expr)
        base, exp = expr.base, expr.exp
        if exp == -1:
            return f"1/{self.parenthesize(base, prec)}"
        if exp == sp.S.Half:
            return f"sqrt({self._print(base)})"
        if exp == -sp.S.Half:
            return f"1/sqrt({self._print(base)})"
        return f"pow({self._print(base)}, {self._print(exp)})"

    def _print_Pi(self, expr):
        return "PI"

    def _print_Exp1(self, expr):
        return "E"

    def _print_Infinity(self, expr):
        return "(1/0)"

    def _print_NegativeInfinity(self, expr):
        return "(-1/0)"

    def _print_NaN(self, expr):
        return "NaN"

    def _print_ImaginaryUnit(self, expr):
        raise ValueError("no Vega expression for the imaginary unit I: Vega computes real numbers")

    def _print_ComplexInfinity(self, expr):  # e.g. the half-life 1/d at d = 0: no number
        return "NaN"

    def _print_Piecewise(self, expr):
        if expr.args[-1].cond != sp.true:
            raise ValueError("a Piecewise needs a final (expr, True) branch to print as a Vega expression")
        out = self._print(expr.args[-1].expr)
        for e, c in reversed(expr.args[:-1]):
            out = f"({self._print(c)} ? {self._print(e)} : {out})"
        return out

    def _print_not_supported(self, expr):
        raise ValueError(f"{type(expr).__name__} has no Vega expression equivalent: {expr}")


def vega_expression(expr: sp.Expr, names: dict | None = None) -> str:
    """The Vega expression of ``expr``.

    ``names`` maps symbols (or their vocabulary names) to what the Vega
    expression calls them; by default every vocabulary symbol of
    :mod:`decaylib.symbols` is printed as its vocabulary name and ``t`` as
    ``datum.t`` (the epoch field of the plotted data).

    >>> import sympy as sp
    >>> from decaylib.families import EXPONENTIAL
    >>> vega_expression(EXPONENTIAL.formula)
    'lr0*pow(eps, datum.t)'
    >>> vega_expression(sp.zeta(t))
    Traceback (most recent call last):
    ...
    ValueError: zeta has no Vega expression equivalent: zeta(t)
    """
    table = {sym: name for name, sym in BY_NAME.items()}
    table[t] = "datum.t"
    for key, value in (names or {}).items():
        table[BY_NAME[key] if isinstance(key, str) else key] = value
    try:
        return VegaPrinter({"names": table}).doprint(sp.sympify(expr))
    except PrintMethodNotImplementedError as err:
        raise ValueError(f"no Vega expression for {expr}: {err}") from None
