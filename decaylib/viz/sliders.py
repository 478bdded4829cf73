r"""The live charts' families and sliders: one vocabulary, one range per parameter.

Each :class:`LiveFamily` holds a family's sympy formula printed for Vega and
the :class:`Slider` of each parameter, with the same names and ranges as the
ipywidgets explorers.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import sympy as sp

from ..families import EXPONENTIAL, INVERSE_SQRT, INVERSE_TIME
from ..schedule import Family
from ..stepped import piecewise_constant as _piecewise_constant
from ..stepped import step_decay as _step_decay
from ..symbols import BY_NAME, rate, t
from .style import COLORS, LABELS
from .vega import vega_expression

if TYPE_CHECKING:
    import altair as alt


# -- the families and their sliders --------------------------------------------


@dataclass(frozen=True)
class Slider:
    """One slider: a Vega param bound to an ``<input type=range>``."""

    name: str  # the Vega param (an identifier)
    label: str  # shown beside the slider: the vocabulary name
    value: float
    min: float
    max: float
    step: float

    def param(self) -> alt.Parameter:
        # altair (and the jsonschema it loads: over a second) only when a live chart is drawn;
        # the ipywidgets explorers read this module's ranges and labels without it
        import altair as alt

        binding = alt.binding_range(min=self.min, max=self.max, step=self.step, name=self.label)
        return alt.param(name=self.name, value=self.value, bind=binding)


@dataclass(frozen=True)
class Range:
    """A slider's range, step, default and what it means (for its label)."""

    low: float
    high: float | None  # None: the horizon (boundaries)
    step: float
    default: float | None
    meaning: str
    integer: bool = False
    fmt: str = ".3g"


#: THE table of slider ranges and labels, read by both kinds of explorer
#: (these Vega-Lite charts and the ipywidgets ones in :mod:`decaylib.viz.explorer`)
RANGES = {
    "lr0": Range(0.001, 1.0, 0.001, 0.1, "initial rate"),
    "decay_rate": Range(0.0, 2.0, 0.01, 0.1, "slope d"),
    "eps": Range(0.5, 1.0, 0.005, 0.95, "factor per epoch", fmt=".3f"),
    "k": Range(0.1, 5.0, 0.05, 1.0, "scale k"),
    "every": Range(1, 100, 1, 10, "epochs per step", integer=True),
    "epochs": Range(1, 500, 1, 100, "horizon n", integer=True),
    "values": Range(0.0005, 1.0, 0.0005, None, "rate"),
    "boundaries": Range(1, None, 1, None, "switch epoch", integer=True),
    "total": Range(1, 500, 1, 100, "epochs to lr_min", integer=True),
    "lr_min": Range(0.0, 0.5, 0.005, 0.0, "final rate", fmt=".3f"),
}

#: (family, parameter) -> range where a family needs its own: step decay
#: divides by large factors (eps = 0.1 is common), exponential decay does not
FAMILY_RANGES = {
    ("step_decay", "eps"): Range(0.05, 1.0, 0.05, 0.5, "factor per step", fmt=".2f"),
    ("piecewise_constant", "eps"): Range(0.05, 1.0, 0.05, 0.1, "factor per piece", fmt=".2f"),
    ("staircase_inverse_time", "decay_rate"): Range(0.0, 2.0, 0.01, 0.3, "slope d"),
}


def slider_range(name: str, family: str | None = None) -> Range:
    """The :class:`Range` of slider ``name`` (``values_1`` -> ``values``) in ``family``."""
    stem = name.rpartition("_")[0] if name.startswith(("boundaries_", "values_")) else name
    return FAMILY_RANGES.get((family, stem), RANGES[stem])


def slider_label(name: str, family: str | None = None) -> str:
    """What a slider shows beside it: the keyword name and what it means, ``eps (factor per epoch)``."""
    return f"{_label(name)} ({slider_range(name, family).meaning})"


@dataclass(frozen=True)
class LiveFamily:
    """A family as the live charts see it: formula, params, read-out forms.

    ``formula`` is decaylib's sympy formula with one symbol per slider
    (``symbols``: slider name -> symbol); ``half_life`` is its closed-form
    half-life where one exists (smooth families, from
    :attr:`decaylib.schedule.Family.time_formula`), else ``None`` and the
    chart finds the first plotted epoch at or below half the first rate.
    ``schedule`` builds the decaylib schedule from slider values (it also
    validates them).
    """

    name: str
    label: str
    color: str
    formula: sp.Expr
    symbols: dict
    defaults: dict
    half_life: sp.Expr | None
    stepped: bool
    schedule: Callable = field(repr=False)

    def expression(self, values: dict | None = None) -> str:
        """The Vega expression of the rate at epoch ``datum.t``.

        ``values`` fixes some parameters to numbers (substituted into the
        sympy formula before printing); the others stay Vega params.
        """
        return self._print(self.formula, values)

    def half_life_expression(self, values: dict | None = None) -> str | None:
        return None if self.half_life is None else self._print(self.half_life, values)

    def first_rate_expression(self, values: dict | None = None) -> str:
        return self._print(self.formula.subs(t, 0), values)

    def _print(self, expr, values):
        values = values or {}
        expr = expr.subs({self.symbols[k]: (sp.sympify(v) if isinstance(v, sp.Basic) else sp.Float(v))
                          for k, v in values.items()})
        names = {sym: name for name, sym in self.symbols.items()}
        return vega_expression(expr, names)  # other vocabulary symbols (lr0) by their names


def _smooth(fam: Family, label: str | None = None) -> LiveFamily:
    from .. import families

    # the half-life: the formula solved for t (sympy), at half the first rate
    half = sp.simplify(fam.time_formula.subs(rate, fam.formula.subs(t, 0) / 2))
    factory = getattr(families, fam.name)
    return LiveFamily(
        name=fam.name, label=label or LABELS[fam.name], color=COLORS[fam.name],
        formula=fam.formula, symbols={p: BY_NAME[p] for p in fam.params},
        defaults={p: RANGES[p].default for p in fam.params}, half_life=half, stepped=False,
        schedule=lambda **kw: factory(**kw))


def _step_decay_family() -> LiveFamily:
    formula = _step_decay(lr0=0.1, eps=0.5, every=10).formula  # alpha_0*epsilon**floor(t/N)
    names = ("lr0", "eps", "every")
    return LiveFamily(
        name="step_decay", label="step decay", color=COLORS["staircase"],
        formula=formula, symbols={p: BY_NAME[p] for p in names},
        defaults={p: slider_range(p, "step_decay").default for p in names}, half_life=None, stepped=True,
        schedule=lambda **kw: _step_decay(**kw))


def _piecewise_family(n_boundaries: int = 2) -> LiveFamily:
    """piecewise_constant with its boundaries and values as separate sliders.

    decaylib's Piecewise expression of a member with distinct placeholder
    numbers, each number replaced by its symbol: the formula stays decaylib's.
    """
    m = n_boundaries
    bsyms = [sp.Symbol(f"b_{i}", positive=True) for i in range(m)]
    vsyms = [sp.Symbol(f"v_{i}", positive=True) for i in range(m + 1)]
    bs = [7_654_321.0 + i for i in range(m)]  # placeholders: increasing, and
    vs = [8_765_432.0 + i for i in range(m + 1)]  # unlike any other number in it
    expr = _piecewise_constant(boundaries=bs, values=vs).expr
    formula = expr.xreplace({sp.Float(x): s for x, s in zip(bs + vs, bsyms + vsyms)})
    if formula.atoms(sp.Float):
        raise RuntimeError(f"placeholders not all replaced in {formula}")  # pragma: no cover
    symbols = {f"boundaries_{i}": s for i, s in enumerate(bsyms)}
    symbols.update({f"values_{i}": s for i, s in enumerate(vsyms)})

    def schedule(**kw):
        return _piecewise_constant(boundaries=[kw[f"boundaries_{i}"] for i in range(m)],
                                   values=[kw[f"values_{i}"] for i in range(m + 1)])

    return LiveFamily(
        name="piecewise_constant", label=LABELS["piecewise_constant"], color=COLORS["piecewise_constant"],
        formula=formula, symbols=symbols, defaults={}, half_life=None, stepped=True, schedule=schedule)


#: the families with a live chart (the formula chapters' families)
FAMILIES = ("inverse_time", "exponential", "inverse_sqrt", "step_decay", "piecewise_constant")


@functools.lru_cache(maxsize=None)
def live_family(name: str, n_boundaries: int = 2) -> LiveFamily:
    """The :class:`LiveFamily` called ``name`` (one of :data:`FAMILIES`)."""
    if name == "inverse_time":
        return _smooth(INVERSE_TIME)
    if name == "exponential":
        return _smooth(EXPONENTIAL)
    if name == "inverse_sqrt":
        return _smooth(INVERSE_SQRT)
    if name == "step_decay":
        return _step_decay_family()
    if name == "piecewise_constant":
        return _piecewise_family(n_boundaries)
    raise ValueError(f"family must be one of {', '.join(FAMILIES)}; got {name!r}")


def _resolve(name: str, epochs: int, overrides: dict) -> tuple[LiveFamily, dict]:
    """The family and its slider values: defaults, then ``overrides``, validated."""
    overrides = dict(overrides)
    if name == "piecewise_constant":
        bs = overrides.pop("boundaries", [round(0.3 * epochs), round(0.6 * epochs)])
        vs = overrides.pop("values", None)
        try:
            bs = list(bs)
            vs = list(vs) if vs is not None else [10.0 ** -(i + 1) for i in range(len(bs) + 1)]
        except TypeError:
            raise ValueError("boundaries and values must be sequences of numbers") from None
        fam = live_family(name, len(bs))
        if overrides:
            raise ValueError(f"piecewise_constant takes boundaries and values; got {sorted(overrides)}")
        fam.schedule(**_flat(bs, vs))  # validation by decaylib (raises ValueError)
        return fam, _flat(bs, vs)
    fam = live_family(name)
    unknown = set(overrides) - set(fam.symbols)
    if unknown:
        raise ValueError(f"{name} takes {', '.join(fam.symbols)}; got {', '.join(sorted(unknown))}")
    values = {**fam.defaults, **overrides}
    fam.schedule(**values)  # validation by decaylib (raises ValueError)
    return fam, {k: float(v) for k, v in values.items()}


def _flat(bs, vs):
    out = {f"boundaries_{i}": b for i, b in enumerate(bs)}
    out.update({f"values_{i}": v for i, v in enumerate(vs)})
    return out


def _label(name: str) -> str:
    """The vocabulary label of a slider: ``values_1`` -> ``values[1]``."""
    stem, _, index = name.rpartition("_")
    return f"{stem}[{index}]" if stem in ("boundaries", "values") else name


def _slider(name: str, value: float, n_max: int, family: str | None = None) -> Slider:
    r = slider_range(name, family)
    high = n_max if r.high is None else r.high
    low, high = min(r.low, value), max(high, value)
    return Slider(name=name, label=slider_label(name, family), value=value, min=low, max=high, step=r.step)


def _plain(expr) -> str:
    """A formula as plain text for a chart title: ``lr0·eps^t``."""
    if isinstance(expr, sp.Piecewise):
        parts = []
        for e, c in expr.args:
            if c == sp.true:
                parts.append(f"else {_plain(e)}")
                continue
            if isinstance(c, sp.core.relational.Relational) and c.rhs == t:
                c = c.reversed
            parts.append(f"{_plain(e)} if {_plain(c)}")
        return ", ".join(parts)
    text = sp.sstr(expr, order="none").replace("**", "^").replace("*", "·")
    return re.sub(r"floor\(([^()]*)\)", r"⌊\1⌋", text)  # as the prose writes it, not sympy's name


def _n_slider(epochs: int, n_max: int) -> Slider:
    # named "epochs" as in the ipywidgets explorers: the horizon n of the budget read-out
    r = RANGES["epochs"]
    return Slider(name="n", label=slider_label("epochs"), value=epochs, min=r.low, max=n_max, step=r.step)
