r"""Live explorers: sliders that work in the static book, with no kernel.

Every formula here comes from decaylib's sympy expressions (``Family.formula``,
``Schedule.formula`` / ``.expr``) and is turned into a `Vega expression
<https://vega.github.io/vega/docs/expressions/>`_ by :mod:`decaylib.viz.vega`
when the chart is built.  The browser evaluates that expression for every
epoch whenever a slider moves: no Python, no kernel, no network.

:func:`explorer` builds the chart of one family (its parameters as sliders,
plus the read-outs half-life and budget), :func:`comparison` overlays every
family with a shared ``lr0`` and horizon ``n``, and :func:`matched` overlays
the smooth families matched to one half-life or one rate at an epoch (the
parameter solved by sympy, re-solved in the browser).  They return Altair
charts that display

* in JupyterLab through its built-in Vega-Lite renderer, and
* in the built HTML book through :class:`decaylib.viz.embed.MystNbPlugin` (a myst-nb mime
  renderer): a small script that calls ``vegaEmbed`` from the Vega runtime
  the book vendors and loads once per page (no ``<script src>`` to any CDN,
  no inlined runtime).

>>> from decaylib.viz import live
>>> chart = live.explorer("inverse_time")
>>> sorted(p.name for p in chart.params)[:2]
['decay_rate', 'lr0']
"""
from __future__ import annotations

import altair as alt
import numpy as np
import sympy as sp

from .. import _validate
from .embed import LiveLayerChart, LiveVConcatChart
from .sliders import FAMILIES, LiveFamily, Slider, _label, _n_slider, _plain, _resolve, _slider, live_family
from .style import COLORS, DASHES, INK

from .vega import vega_expression
from ..symbols import BY_NAME, t

#: the style key (decaylib.viz.style) of a live family whose name is not a family name
_STYLE_KEY = {"step_decay": "staircase"}

__all__ = ["FAMILIES", "comparison", "explorer", "live_family", "matched"]

# -- chart pieces ----------------------------------------------------------------

_WIDTH, _HEIGHT = 520, 260
#: height of one read-out line under a chart: the read-outs sit below the plot,
#: so a chart is as narrow as its plot and fits the book's column
_ROW = 18


def _row_y(n_rows: int) -> alt.Y:
    """Read-out line ``i`` at a fixed place, whether or not the others are drawn."""
    return alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[-0.5, n_rows - 0.5], range=[0, _ROW * n_rows],
                                                     nice=False, zero=False))
_FMT = "'.4~g'"


def _line_layer(fam: LiveFamily, lr: str, color: alt.Color | str, label: str) -> alt.Chart:
    """Rate against epoch for ``t = 0 .. n-1``, computed in the browser."""
    color_kw = {"color": color} if isinstance(color, alt.Color) else {}
    mark = alt.Chart().mark_line(
        interpolate="step-after" if fam.stepped else "linear", strokeWidth=2,
        **({} if color_kw else {"color": color}))
    return mark.encode(
        x=alt.X("t:Q", title="epoch t"),
        y=alt.Y("lr:Q", title="learning rate α(t)"),
        tooltip=[alt.Tooltip("t:Q", title="t"), alt.Tooltip("lr:Q", title="α(t)", format=".6~g")],
        **color_kw,
    ).transform_filter("datum.t < n").transform_calculate(lr=lr, family=f"'{label}'")


def _y_floor(y_top: float) -> alt.Chart:
    """An invisible mark at ``y_top``: the y axis spans at least ``[0, y_top]``.

    The axis grows only when a curve needs more, so a slider that scales the
    curve (``lr0``) visibly moves it instead of relabelling the axis.  (A
    mark, not a scale domain: several layers' domains would conflict.)
    """
    return alt.Chart().mark_rule(opacity=0, aria=False).encode(y=alt.datum(y_top)).transform_filter("datum.t == 0")


def _readout_transforms(chart, fam: LiveFamily, lr: str, half: str | None, first: str):
    """Budget Σα over the plotted epochs, and the half-life, as one row."""
    chart = chart.transform_filter("datum.t < n").transform_calculate(lr=lr, half_level=f"({first})/2")
    chart = chart.transform_joinaggregate(budget="sum(lr)")
    if half is None:  # stepped: first plotted epoch at or below half the first rate
        chart = chart.transform_calculate(hit=f"datum.lr <= ({first})/2 ? datum.t : null")
        chart = chart.transform_joinaggregate(half_life="min(hit)")
        chart = chart.transform_calculate(
            half_life="isValid(datum.half_life) && isFinite(datum.half_life) ? datum.half_life : null",
            half_text=f"isValid(datum.half_life) ? 'half-life ' + format(datum.half_life, {_FMT}) + "
                      "' (first epoch with α ≤ α(0)/2)' : 'half-life: not within the plotted epochs'")
    else:
        chart = chart.transform_calculate(half_life=half).transform_calculate(
            half_life="isFinite(datum.half_life) && datum.half_life >= 0 ? datum.half_life : null")
        chart = chart.transform_calculate(
            half_text=f"isValid(datum.half_life) ? 'half-life ' + format(datum.half_life, {_FMT}) + "
                      "' epochs (closed form)' : 'half-life: never (constant rate)'")
    return chart.transform_filter("datum.t == 0").transform_calculate(
        budget_text=f"'budget Σα over t = 0…' + (n - 1) + ': ' + format(datum.budget, {_FMT})")


def _epochs(epochs):
    return _validate.integer("epochs", epochs, low=2)


def explorer(family: str, epochs: int = 100, **defaults) -> LiveLayerChart:
    r"""A live chart of one family: its parameters as sliders.

    The rate :math:`\alpha(t)` for ``t = 0 .. n-1`` is computed in the
    browser from the family's sympy formula printed as a Vega expression.
    Read-outs: the half-life (closed form for the smooth families, the
    first plotted epoch at or below :math:`\alpha(0)/2` for the stepped
    ones) and the budget :math:`\sum_{t=0}^{n-1}\alpha(t)` summed over the
    plotted epochs.

    Parameters
    ----------
    family : str
        One of ``"inverse_time"``, ``"exponential"``, ``"inverse_sqrt"``,
        ``"step_decay"``, ``"piecewise_constant"``.
    epochs : int
        Initial horizon ``n`` (the ``n`` slider goes up to ``4 * epochs``).
    **defaults
        Initial slider values by vocabulary name (``lr0=0.5``, ``eps=0.9``;
        ``boundaries=[30, 60], values=[0.1, 0.01, 0.001]`` for
        ``piecewise_constant``), checked by the decaylib factory.

    Examples
    --------
    >>> from decaylib.viz.live import explorer
    >>> chart = explorer("exponential", eps=0.9)
    >>> [p.name for p in chart.params]
    ['lr0', 'eps', 'n']
    """
    epochs = _epochs(epochs)
    fam, values = _resolve(family, epochs, defaults)
    n_max = 4 * epochs
    sliders = [_slider(name, values[name], n_max, fam.name) for name in fam.symbols] + [_n_slider(epochs, n_max)]
    ordered = _ordered_boundaries(fam) if fam.name == "piecewise_constant" else []
    lr = fam.expression() if not ordered else vega_expression(
        fam.formula, {sym: (f"{_SORTED}{name[len('boundaries_'):]}" if name.startswith("boundaries_") else name)
                      for name, sym in fam.symbols.items()})
    line = _line_layer(fam, lr, fam.color, fam.label)
    floor = _y_floor(_y_top([fam.schedule(**values)], epochs))
    # dashed guides: from α(0)/2 on the y axis across to the curve, down to the half-life
    guide = dict(strokeDash=[4, 3], color="#555555")
    across = alt.Chart().mark_rule(**guide).encode(x="half_life:Q", x2=alt.datum(0), y="half_level:Q")
    down = alt.Chart().mark_rule(**guide).encode(x="half_life:Q", y="half_level:Q", y2=alt.datum(0))
    rule = alt.layer(across, down).transform_filter("isValid(datum.half_life) && datum.half_life < n")
    text = alt.Chart().mark_text(
        align="right", baseline="top", fontSize=12, lineHeight=16, color="#222222").encode(
        x=alt.value(_WIDTH - 4), y=alt.value(4), text="lines:N"
    ).transform_calculate(lines="[datum.half_text, datum.budget_text]" if not ordered else
                          f"[datum.half_text, datum.budget_text, 'as code: decaylib.piecewise_constant(', "
                          f"{_piecewise_code(fam)}]")
    readout = _readout_transforms(alt.layer(rule, text), fam, lr, fam.half_life_expression(),
                                  fam.first_rate_expression())
    formula = _plain(fam.formula.xreplace({s: sp.Symbol(_label(n)) for n, s in fam.symbols.items()}))
    chart = LiveLayerChart(
        layer=[line, readout, floor],
        data=alt.sequence(0, n_max, as_="t"),
        title=alt.TitleParams(
            f"{fam.label}: α(t) = {formula}",
            subtitle=["move the sliders: the curve is computed in your browser for t = 0 … n−1",
                      "dashed: where α(t) falls to α(0)/2, the half-life"],
            anchor="start"),
        width=_WIDTH, height=_HEIGHT,
        usermeta={"decaylib": {"family": fam.name}},
        description=f"Live chart of {fam.label} decay, α(t) = {formula}, with sliders for "
                    f"{', '.join(s.label for s in sliders)}.",
    )
    chart = chart.add_params(*(s.param() for s in sliders), *ordered)
    return chart


#: the piecewise chart draws its boundaries in order: ``boundary_sorted_i`` is the i-th smallest slider value
_SORTED = "boundary_sorted_"


def _ordered_boundaries(fam: LiveFamily) -> list:
    """Expression params: the boundary sliders' values in increasing order (issue 11).

    Two sliders cannot keep each other ordered, so the chart never uses them
    as they stand: ``boundary_sorted_k`` is the value of rank ``k`` (ties
    broken by slider order), and the curve, the read-outs and the "as code"
    line use these.  Equal boundaries leave an empty piece, which the code
    line drops (decaylib wants strictly increasing boundaries).
    """
    names = [n for n in fam.symbols if n.startswith("boundaries_")]
    m = len(names)

    def rank(i):
        return " + ".join(f"({names[j]} < {names[i]} || ({names[j]} == {names[i]} && {j} < {i}) ? 1 : 0)"
                          for j in range(m) if j != i) or "0"

    out = []
    for k in range(m):
        expr = names[-1]
        for i in reversed(range(m - 1)):
            expr = f"(({rank(i)}) == {k} ? {names[i]} : {expr})"  # else: the last slider has rank k
        out.append(alt.param(name=f"{_SORTED}{k}", expr=expr))
    return out


def _piecewise_code(fam: LiveFamily) -> str:
    """Vega expression: the second line of the piecewise chart's "as code" read-out, a valid decaylib call."""
    m = sum(n.startswith("boundaries_") for n in fam.symbols)
    b = [f"{_SORTED}{k}" for k in range(m)]
    num = "format({}, '.4~g')"
    bounds = [num.format(b[0])] + [f"({b[k]} > {b[k - 1]} ? ', ' + {num.format(b[k])} : '')" for k in range(1, m)]
    vals = ([num.format("values_0")]
            + [f"({b[k]} > {b[k - 1]} ? ', ' + {num.format(f'values_{k}')} : '')" for k in range(1, m)]
            + [f"', ' + {num.format(f'values_{m}')}"])
    return f"'  boundaries=[' + {' + '.join(bounds)} + '], values=[' + {' + '.join(vals)} + '])'"


def comparison(epochs: int = 100, lr0: float = 0.1, families=FAMILIES, **fixed) -> LiveVConcatChart:
    r"""Every family on one chart, with a shared ``lr0`` and horizon ``n``.

    Each family keeps its other parameters at the defaults (or at
    ``fixed[family]``, a dict, e.g. ``exponential={"eps": 0.9}``); the
    piecewise-constant ``values`` are factors that multiply ``lr0``
    (default ``[1, 0.1, 0.01]``: ``lr0``, ``lr0/10``, ``lr0/100``).  A table beside the chart gives each family's
    budget :math:`\sum_{t=0}^{n-1}\alpha(t)` and half-life.

    Examples
    --------
    >>> from decaylib.viz.live import comparison
    >>> chart = comparison(epochs=50)
    >>> sorted(p.name for p in chart.params)
    ['lr0', 'n']
    """
    epochs = _epochs(epochs)
    lr0 = _validate.positive("lr0", lr0)
    families = tuple(families)
    bad = set(fixed) - set(families)
    if bad:
        raise ValueError(f"fixed parameters given for {sorted(bad)}, not among families {families}")
    n_max = 4 * epochs
    resolved = []
    for name in families:
        over = dict(fixed.get(name, {}))
        if "lr0" in over:
            raise ValueError("lr0 is shared in the comparison: pass lr0=..., not inside a family's dict")
        if name == "piecewise_constant":  # values: factors times the shared lr0
            m = len(over.get("boundaries", (0, 0)))
            over.setdefault("values", [10.0 ** -i for i in range(m + 1)])
        fam, values = _resolve(name, epochs, over)
        if name == "piecewise_constant":
            values = {k: (sp.Float(v) * BY_NAME["lr0"] if k.startswith("values_") else v)
                      for k, v in values.items()}
        else:
            values = {k: v for k, v in values.items() if k != "lr0"}
        resolved.append((fam, values))
    labels = [_fixed_label(fam, values) for fam, values in resolved]
    scale = alt.Scale(domain=labels, range=[fam.color for fam, _ in resolved])
    color = alt.Color("family:N", scale=scale, legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=360))
    # issue 13: curves differ by dash too (one legend for both), read-outs in 4.5:1 ink
    dash = alt.StrokeDash("family:N", scale=alt.Scale(domain=labels, range=[DASHES[_STYLE_KEY.get(fam.name, fam.name)] for fam, _ in resolved]),
                          legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=360))
    ink = alt.Color("family:N", scale=alt.Scale(domain=labels, range=[INK[_STYLE_KEY.get(fam.name, fam.name)] for fam, _ in resolved]), legend=None)

    y_top = _y_top([fam.schedule(**{**_numbers(values, lr0), "lr0": lr0} if "lr0" in fam.symbols
                                     else _numbers(values, lr0)) for fam, values in resolved], epochs)
    lines, rows = [], []
    for i, ((fam, values), label) in enumerate(zip(resolved, labels)):
        lr = fam.expression(values)  # lr0 stays the shared param
        lines.append(_line_layer(fam, lr, color, label).encode(strokeDash=dash))
        row = _readout_transforms(alt.Chart(), fam, lr, fam.half_life_expression(values),
                                  fam.first_rate_expression(values)).transform_calculate(
            family=f"'{label}'", row=str(i),
            short=f"'{fam.label}: Σα = ' + format(datum.budget, {_FMT}) + ', half-life ' + "
                  f"(isValid(datum.half_life) ? format(datum.half_life, {_FMT}) : 'never')")
        rows.append(row.mark_text(align="left", baseline="middle", fontSize=12).encode(
            x=alt.value(0), y=_row_y(len(resolved)), text="short:N", color=ink))
    plot = alt.layer(*lines, _y_floor(y_top)).properties(width=_WIDTH - 120, height=_HEIGHT)
    sliders = [_slider("lr0", lr0, n_max), _n_slider(epochs, n_max)]
    chart = _over_readouts(
        plot, alt.layer(*rows), len(resolved), ["over t = 0 … n−1:"], n_max,
        "every family, one lr0, one horizon of n epochs",
        ["move lr0 and epochs (n): each curve is computed in your browser for t = 0 … n−1",
         "below: budget Σα summed over the plotted epochs, and half-life",
         "(closed form for the smooth families, first epoch with α ≤ α(0)/2 for the stepped ones)"],
        {"family": "comparison", "families": list(families), "labels": labels,
         "fixed": {fam.name: _meta(values) for fam, values in resolved}},
        "Live chart comparing " + ", ".join(labels) + " with sliders lr0 and epochs (n).")
    chart = chart.add_params(*(s.param() for s in sliders))
    return chart


#: what decaylib's factories accept for each decay parameter, as Vega conditions on datum.p
_VALID = {"decay_rate": "datum.p >= 0", "eps": "datum.p > 0 && datum.p <= 1", "k": "datum.p > 0"}
_MATCHES = ("half_life", "rate")


def matched(epochs: int = 100, lr0: float = 0.1, match: str = "half_life", half_life: float = 10.0,
            rate: float | None = None, at: float | None = None) -> LiveVConcatChart:
    r"""The smooth families matched to each other, live: a fair comparison.

    Each family's decay parameter is solved for by sympy
    (:func:`decaylib.matching.parameter_for_half_life`,
    :func:`~decaylib.matching.parameter_for_rate`) and the solution printed as
    a Vega expression, so the browser re-matches on every slider move:
    ``match`` (a radio button) picks the rule, ``half_life`` the common
    half-life, ``rate`` and ``at`` the rate every family has at epoch ``at``.
    ``inverse_sqrt`` cannot be matched by half-life (3 epochs for every k):
    it is left out then, and the table says so.  A combination no member of a
    family meets (``rate >= lr0`` for the decaying ones) leaves that curve
    out.

    Examples
    --------
    >>> from decaylib.viz.live import matched
    >>> sorted(p.name for p in matched().params)
    ['at', 'half_life', 'lr0', 'match', 'n', 'rate']
    """
    from .. import matching

    epochs = _epochs(epochs)
    lr0 = _validate.positive("lr0", lr0)
    if match not in _MATCHES:
        raise ValueError(f"match must be one of {_MATCHES}, got {match!r}")
    half_life = _validate.positive("half_life", half_life)
    rate = _validate.real("rate", lr0 / 4 if rate is None else rate, low=0.0, high=lr0, low_open=True,
                          high_open=True)
    at = _validate.positive("at", float(round(epochs / 4)) if at is None else at)
    n_max = 4 * epochs
    names = tuple(matching.FAMILIES)
    start = {BY_NAME["lr0"]: "lr0", BY_NAME["rate"]: "rate"}
    target = sp.Symbol("t_star", positive=True)  # decaylib.matching's target epoch
    curves, rows, schedules = [], [], []
    labels = [live_family(name).label for name in names]
    color = alt.Color("family:N", scale=alt.Scale(domain=labels, range=[COLORS[f] for f in names]),
                      legend=alt.Legend(title=None, orient="bottom", columns=3))
    dash = alt.StrokeDash("family:N", scale=alt.Scale(domain=labels, range=[DASHES[f] for f in names]),
                          legend=alt.Legend(title=None, orient="bottom", columns=3))
    ink = alt.Color("family:N", scale=alt.Scale(domain=labels, range=[INK[f] for f in names]), legend=None)
    for i, name in enumerate(names):
        fam = live_family(name)
        _, param, _ = matching.FAMILIES[name]
        by_rate = vega_expression(matching.parameter_for_rate(name), {**start, target: "at"})
        by_half = matching.parameter_for_half_life(name)
        by_half = "NaN" if isinstance(by_half, sp.Set) else vega_expression(by_half, {**start, target: "half_life"})
        p = f"match == 'half_life' ? ({by_half}) : ({by_rate})"
        names_p = {**start, fam.symbols[param]: "datum.p"}
        lr = vega_expression(fam.formula, names_p)
        half = vega_expression(fam.half_life, names_p)
        base = alt.Chart().transform_calculate(p=p).transform_filter(f"isValid(datum.p) && {_VALID[param]}")
        curves.append(base.mark_line(strokeWidth=2).encode(
            x=alt.X("t:Q", title="epoch t"), y=alt.Y("lr:Q", title="learning rate α(t)"), color=color, strokeDash=dash,
            tooltip=[alt.Tooltip("t:Q", title="t"), alt.Tooltip("lr:Q", title="α(t)", format=".6~g")],
        ).transform_filter("datum.t < n").transform_calculate(lr=lr, family=f"'{fam.label}'"))
        row = _readout_transforms(base, fam, lr, half, vega_expression(fam.formula.subs(t, 0), names_p))
        rows.append(row.transform_calculate(
            family=f"'{fam.label}'", row=str(i), param=f"'{param}'",
            short=f"'{fam.label}: {param} = ' + format(datum.p, {_FMT}) + ', Σα = ' + format(datum.budget, {_FMT})"
                  f" + ', half-life ' + (isValid(datum.half_life) ? format(datum.half_life, {_FMT}) : 'never')"
        ).mark_text(align="left", baseline="middle", fontSize=12).encode(
            x=alt.value(0), y=_row_y(len(names) + 1), text="short:N", color=ink))
        schedules.append(matching.match_rate(name, lr0, rate, at))
    note = alt.Chart().mark_text(align="left", baseline="middle", fontSize=12, color="#555555").encode(
        x=alt.value(0), y=alt.value(_ROW * (len(names) + 0.5)), text="note:N"
    ).transform_filter("datum.t == 0").transform_calculate(
        note="match == 'half_life' ? 'inverse square root: half-life 3 for every k, no match' : ''")
    plot = alt.layer(*curves, _y_floor(_y_top(schedules, epochs))).properties(width=_WIDTH - 120, height=_HEIGHT)
    sliders = [_slider("lr0", lr0, n_max),
               Slider(name="half_life", label="half_life (epoch the rate halves)", value=half_life, min=1, max=float(max(2 * epochs, half_life)), step=1),
               Slider(name="rate", label="rate (target rate)", value=rate, min=0.0005, max=max(1.0, rate), step=0.0005),
               Slider(name="at", label="at (epoch of the target)", value=at, min=1, max=float(max(2 * epochs, at)), step=1),
               _n_slider(epochs, n_max)]
    mode = alt.param(name="match", value=match, bind=alt.binding_radio(options=list(_MATCHES), name="match"))
    chart = _over_readouts(
        plot, alt.layer(*rows, note), len(names) + 1, ["matched parameter; budget and", "half-life over t = 0 … n−1:"],
        n_max, "matched families: one rule, one target",
        ["match = half_life: every family halves at epoch half_life",
         "match = rate: every family has α = rate at epoch at (rate below lr0)",
         "each family's parameter is sympy's solution, computed in your browser"],
        {"family": "matched", "families": list(names), "labels": labels},
        "Live chart of inverse time, exponential and inverse square root decay matched by "
        "half-life or by the rate at an epoch, with sliders lr0, half_life, rate, at, epochs (n).")
    return chart.add_params(mode, *(s.param() for s in sliders))


def _over_readouts(plot, readouts, n_rows, heading, n_max, title, subtitle, meta, description) -> LiveVConcatChart:
    """The plot above its ``n_rows`` read-out lines, over the epochs ``0 .. n_max-1``."""
    table = readouts.properties(
        width=_WIDTH - 120, height=_ROW * n_rows,
        title=alt.TitleParams(heading, fontSize=12, anchor="start", fontWeight="normal"))
    return LiveVConcatChart(
        vconcat=[plot, table],
        data=alt.sequence(0, n_max, as_="t"),
        title=alt.TitleParams(title, subtitle=subtitle, anchor="start"),
        usermeta={"decaylib": meta},
        description=description,
        config=alt.Config(view=alt.ViewConfig(stroke=None)),
    )


def _meta(values: dict) -> dict:
    """A comparison family's fixed parameters, as plain JSON (lr0 multiples as factors)."""
    out = {}
    for k, v in values.items():
        if isinstance(v, sp.Basic):  # piecewise values: factor * lr0
            out[k.replace("values_", "values_over_lr0_")] = float(v.subs(BY_NAME["lr0"], 1))
        else:
            out[k] = v
    return out


def _numbers(values: dict, lr0: float) -> dict:
    """Slider values with any ``lr0`` multiple (sympy) evaluated at ``lr0``."""
    return {k: float(v.subs(BY_NAME["lr0"], lr0)) if isinstance(v, sp.Basic) else v for k, v in values.items()}


def _y_top(schedules, epochs: int) -> float:
    """1.5 times the highest rate of the default curves over ``t < epochs``."""
    top = 1.5 * max(float(np.max(s(np.arange(epochs, dtype=float)))) for s in schedules)
    return float(f"{top:.3g}")


def _fixed_label(fam: LiveFamily, values: dict) -> str:
    """'exponential (eps=0.95)': the family and the parameters it keeps fixed."""
    if fam.name == "piecewise_constant":
        m = sum(k.startswith("boundaries_") for k in values)
        bs = ", ".join(f"{values[f'boundaries_{i}']:g}" for i in range(m))
        vs = ", ".join(f"{float(values[f'values_{i}'].subs(BY_NAME['lr0'], 1)):g}" for i in range(m + 1))
        return f"{fam.label} (boundaries=[{bs}], values=lr0·[{vs}])"
    parts = [f"{k}={v:g}" for k, v in values.items()]
    return f"{fam.label} ({', '.join(parts)})" if parts else fam.label
