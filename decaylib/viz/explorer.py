r"""Slider explorers for the schedule families: one function builds them all.

:func:`schedule_explorer` returns an :class:`Explorer`, an ipywidgets
``VBox`` with one slider per parameter (labelled with the keyword names of
the library, plain text), the curve, and read-outs of the half-life, the
budget :math:`\sum_t \alpha(t)` and the Robbins–Monro verdict.  Every number
comes from decaylib; the explorer only wires sliders to it.

The chart is a matplotlib figure kept between updates (only the line data
change) and sent as a PNG inside an ``<img>`` with alt text (an
``ipywidgets.HTML``), which redraws in about 30 ms here; an ``Output`` with
``clear_output`` + ``display(fig)`` took about twice as long.

A static HTML page has no kernel to run the callbacks, so the explorer's
rich display also carries a ``text/html`` fallback: the figure at the
default values and a note on how to make it live.

>>> from decaylib.viz.explorer import schedule_explorer
>>> ex = schedule_explorer("inverse_time", lr0=0.5, decay_rate=1.0)
>>> sorted(ex.sliders)
['decay_rate', 'epochs', 'lr0']
>>> ex.set(decay_rate=0.5)
>>> ex.schedule()
inverse_time(lr0=0.5, decay_rate=0.5)
>>> ex.readouts()["half_life"]
2.0
"""
from __future__ import annotations

import base64
import html
import io
import math
import numbers
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .. import _validate
from ..families import cosine, exponential, inverse_sqrt, inverse_time
from .figures import DPI, FIGSIZE, STEPPED, XLABEL, YLABEL, epoch_grid, is_stepped
from ..stepped import piecewise_constant, staircase, step_decay
from .style import COLORS, LABELS, color

__all__ = ["Explorer", "FAMILIES", "STATIC_NOTE", "schedule_explorer"]

#: shown under the static figure where no kernel runs the callbacks
STATIC_NOTE = (
    "This explorer needs a running Python kernel: open this notebook with `make lab` "
    "(or JupyterLab) to move the sliders; the live chart above works in the browser."
)


@dataclass(frozen=True)
class Param:
    """One slider: the keyword name (also its label), range, step, default."""

    name: str
    low: float
    high: float
    step: float
    default: float
    integer: bool = False
    fmt: str = ".3g"


# the same range and step as the live charts' lr0 slider (decaylib.viz.sliders)
_LR0 = Param("lr0", 0.001, 1.0, 0.001, 0.1, fmt=".3g")


@dataclass(frozen=True)
class FamilySpec:
    title: str
    params: tuple
    build: object  # callable(**slider values) -> Schedule; may raise ValueError


def _piecewise(lr0, boundary_1, boundary_2, eps):
    if boundary_2 <= boundary_1:
        raise ValueError(
            f"boundary_2 ({boundary_2:g}) must be greater than boundary_1 ({boundary_1:g}): "
            "the boundaries must be strictly increasing")
    return piecewise_constant(boundaries=[boundary_1, boundary_2], values=[lr0, lr0 * eps, lr0 * eps**2])


#: family name -> its sliders and the decaylib call they feed
FAMILIES = {
    "inverse_time": FamilySpec(
        "Inverse-time decay",
        (_LR0, Param("decay_rate", 0.0, 2.0, 0.01, 0.1)),
        lambda lr0, decay_rate: inverse_time(lr0=lr0, decay_rate=decay_rate)),
    "exponential": FamilySpec(
        "Exponential decay",
        (_LR0, Param("eps", 0.5, 1.0, 0.005, 0.95, fmt=".3f")),
        lambda lr0, eps: exponential(lr0=lr0, eps=eps)),
    "inverse_sqrt": FamilySpec(
        "Inverse-square-root decay",
        (_LR0, Param("k", 0.1, 5.0, 0.1, 1.0)),
        lambda lr0, k: inverse_sqrt(lr0=lr0, k=k)),
    "step_decay": FamilySpec(
        "Step decay",
        (_LR0, Param("eps", 0.05, 1.0, 0.05, 0.5, fmt=".2f"), Param("every", 1, 100, 1, 10, integer=True)),
        lambda lr0, eps, every: step_decay(lr0=lr0, eps=eps, every=every)),
    "piecewise_constant": FamilySpec(
        "Piecewise-constant decay (values lr0, lr0·eps, lr0·eps²)",
        (_LR0, Param("boundary_1", 1, 500, 1, 30, integer=True), Param("boundary_2", 1, 500, 1, 60, integer=True),
         Param("eps", 0.05, 1.0, 0.05, 0.1, fmt=".2f")),
        _piecewise),
    "staircase_inverse_time": FamilySpec(
        "Staircase inverse-time decay (the course's variant)",
        (_LR0, Param("decay_rate", 0.0, 2.0, 0.01, 0.3), Param("every", 1, 100, 1, 10, integer=True)),
        lambda lr0, decay_rate, every: staircase(inverse_time(lr0=lr0, decay_rate=decay_rate), every=every)),
    "cosine": FamilySpec(
        "Cosine decay",
        (_LR0, Param("total", 1, 500, 1, 100, integer=True), Param("lr_min", 0.0, 0.5, 0.005, 0.0, fmt=".3f")),
        lambda lr0, total, lr_min: cosine(lr0=lr0, total=total, lr_min=lr_min)),
}

_EPOCHS = Param("epochs", 10, 500, 1, 100, integer=True)


def _fmt(x, digits=4):
    if x == math.inf:
        return "∞"
    return f"{x:.{digits}g}"


_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _nice_ceil(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of 10) that is >= x.

    The y-axis top snaps to these, so most slider moves keep the axes and
    only the curve is redrawn.
    """
    exp = math.floor(math.log10(x))
    for m in _NICE:
        top = float(f"{m}e{exp}")
        if top >= x:
            return top
    return float(f"1e{exp + 1}")  # pragma: no cover - the ladder ends at 10


def _png_bytes(canvas) -> bytes:
    """The Agg canvas as it is now, as a PNG (PIL, light compression: ~6 ms)."""
    from PIL import Image

    img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=3)
    return buf.getvalue()


class Explorer(widgets.VBox):
    """Sliders, curve and read-outs of one schedule family (see :func:`schedule_explorer`).

    Attributes
    ----------
    sliders : dict
        Keyword name -> slider (the family's parameters, then ``epochs``).
    chart, readout : ipywidgets.HTML
        The ``<img>`` of the curve and the read-out table.
    """

    def __init__(self, family: str, epochs=100, **defaults):
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {sorted(FAMILIES)}, got {family!r}")
        spec = FAMILIES[family]
        params = spec.params + (_EPOCHS,)
        names = [p.name for p in params]
        unknown = sorted(set(defaults) - set(names) - {"epochs"})
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown} for family {family!r}: allowed {names[:-1]}")
        values = {p.name: p.default for p in params}
        values.update(defaults)
        values["epochs"] = _validate.integer("epochs", epochs, low=1)

        self.family = family
        self.title = spec.title
        self._spec = spec
        self._hold = False
        self._limits = None
        self.sliders = {p.name: self._slider(p, values[p.name]) for p in params}

        self._fig, self._ax, self._line, self._marker = self._make_figure()
        self.chart = widgets.HTML(layout=widgets.Layout(width=f"{FIGSIZE[0] * DPI:.0f}px"))
        self.readout = widgets.HTML()
        header = widgets.HTML(f"<b>{html.escape(spec.title)}</b>")
        controls = widgets.VBox(list(self.sliders.values()))
        super().__init__([header, controls, self.chart, self.readout])

        self._schedule = None
        self._error = None
        # the defaults must give a schedule: fail here, with the argument named
        self._schedule = spec.build(**self._param_values())
        self._draw()
        #: the figure, read-outs and values at construction, for the static fallback
        self._default_view = (self._png, self._alt, self.readout.value, self._values_text())
        self._defaults = {name: sl.value for name, sl in self.sliders.items()}
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")

    # -- construction -------------------------------------------------------
    @staticmethod
    def _slider(p: Param, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{p.name} must be a finite number, got {value!r}")
        if p.integer:
            value = _validate.integer(p.name, value, low=int(p.low) if p.name != "epochs" else 1)
        # a default outside the usual range widens the slider instead of being clamped
        low, high = min(p.low, value), max(p.high, value)
        common = dict(value=value, min=low, max=high, step=p.step, description=p.name,
                      continuous_update=False, style={"description_width": "90px"},
                      layout=widgets.Layout(width="420px"))
        if p.integer:
            return widgets.IntSlider(**common)
        return widgets.FloatSlider(readout_format=p.fmt, **common)

    def _make_figure(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=FIGSIZE, dpi=DPI)  # not pyplot: never shown twice, no global state
        FigureCanvasAgg(fig)
        # fixed margins: a layout engine would double the redraw time
        fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.15)
        ax = fig.add_subplot()
        fam = self._family_of_line()
        # animated: left out of the full draw and blitted onto a cached background
        (line,) = ax.plot([], [], linewidth=2, color=COLORS[fam], label=LABELS[fam], animated=True,
                          drawstyle="steps-post" if fam in STEPPED else "default")
        marker = ax.axvline(0, color="0.35", linestyle=":", linewidth=1.2, animated=True)
        # no legend (the header names the family; a legend costs ~20% of a full redraw)
        self._marker_label = ax.text(0, 0.97, " half-life", transform=ax.get_xaxis_transform(), va="top",
                                     ha="left", fontsize=9, color="0.35", animated=True)
        ax.set_xlabel(XLABEL)
        ax.set_ylabel(YLABEL)
        ax.grid(True, alpha=0.3)
        return fig, ax, line, marker

    def _family_of_line(self):
        return {"step_decay": "staircase", "staircase_inverse_time": "staircase"}.get(self.family, self.family)

    # -- state ----------------------------------------------------------------
    def _param_values(self):
        return {p.name: self.sliders[p.name].value for p in self._spec.params}

    def _values_text(self):
        return ", ".join(f"{name} = {s.value:g}" for name, s in self.sliders.items())

    @contextmanager
    def _held(self):
        self._hold = True
        try:
            yield
        finally:
            self._hold = False

    def _on_change(self, change=None):
        if not self._hold:
            self._update()

    def _update(self):
        """Rebuild the schedule from the sliders and redraw; never raises."""
        try:
            try:
                schedule = self._spec.build(**self._param_values())
            except ValueError as err:  # an invalid combination: keep the last valid curve
                self._error = str(err)
            else:
                self._error = None
                self._schedule = schedule
            self._draw()
        except Exception as err:  # noqa: BLE001 - a callback must not raise into the front end
            self._error = f"internal error: {type(err).__name__}: {err}"
            self.readout.value = self._readout_html()

    def _draw(self):
        s = self._schedule
        epochs = self.sliders["epochs"].value
        t = epoch_grid(epochs)
        lr = s(t)
        self._t, self._lr = t, lr
        self._values = self._compute_readouts(s, epochs)

        self._line.set_data(t, lr)
        self._line.set_color(color(s))
        self._line.set_drawstyle("steps-post" if is_stepped(s) else "default")
        h = self._values["half_life"]
        self._marker.set_xdata([h, h])
        self._marker.set_visible(h <= epochs)
        self._marker_label.set_x(h)
        self._marker_label.set_visible(h <= epochs)
        self._render((0.0, float(epochs)), (0.0, _nice_ceil(float(lr.max()) * 1.04)))
        self._alt = self._describe(s, t, lr)
        b64 = base64.b64encode(self._png).decode("ascii")
        w, hgt = (round(v * DPI) for v in FIGSIZE)
        self.chart.value = (f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self._alt)}" '
                            f'width="{w}" height="{hgt}" style="max-width:100%;height:auto">')
        self.readout.value = self._readout_html()

    def _render(self, xlim, ylim):
        """Draw the figure into ``self._png``.

        The axes, ticks and legend are drawn in full only when the limits
        change (new horizon or new peak rate); otherwise the cached background
        is restored and only the curve and the half-life marker are drawn.
        """
        canvas = self._fig.canvas
        if self._limits != (xlim, ylim):
            self._ax.set_xlim(*xlim)
            self._ax.set_ylim(*ylim)
            canvas.draw()  # skips the animated line and marker
            self._background = canvas.copy_from_bbox(self._fig.bbox)
            self._limits = (xlim, ylim)
        else:
            canvas.restore_region(self._background)
        self._ax.draw_artist(self._marker)
        self._ax.draw_artist(self._marker_label)
        self._ax.draw_artist(self._line)
        self._png = _png_bytes(canvas)

    @staticmethod
    def _compute_readouts(s, epochs):
        return {
            "half_life": s.half_life(),
            "budget": s.cumulative(epochs),
            "total_budget": s.cumulative(math.inf),
            "robbins_monro": s.robbins_monro(),
        }

    def _describe(self, s, t, lr):
        shape = "in steps " if is_stepped(s) else ""
        h = self._values["half_life"]
        half = f"; it halves at epoch {_fmt(h, 3)}" if h <= t[-1] else "; it does not halve in this window"
        return (f"{self.title}: learning rate against epoch t from 0 to {t[-1]:g} for {s!r}. "
                f"The rate falls {shape}from {_fmt(lr[0], 3)} at t = 0 to {_fmt(lr[-1], 3)} at t = {t[-1]:g}{half}.")

    def _readout_html(self):
        v = self._values
        rm = v["robbins_monro"]
        epochs = self.sliders["epochs"].value
        verdict = "satisfied" if rm.satisfied else "not satisfied"
        rows = [
            ("half-life (dotted line)", "never: the rate does not fall to half" if v["half_life"] == math.inf
             else f"{_fmt(v['half_life'])} epochs"),
            (f"budget Σα over t = 0 … {epochs - 1}", _fmt(v["budget"])),
            ("total budget Σα", _fmt(v["total_budget"])),
            ("Robbins–Monro", f"{verdict} (Σα {'= ∞' if rm.sum_diverges else '< ∞'}, "
                              f"Σα² {'< ∞' if rm.sum_of_squares_converges else '= ∞'})"),
        ]
        cell = 'style="padding:0.1em 1.5em 0.1em 0;text-align:left"'
        body = "".join(f"<tr><td {cell}>{html.escape(k)}</td><td {cell}>{html.escape(val)}</td></tr>"
                       for k, val in rows)
        out = ""
        if self._error:
            out += (f'<p style="color:#B00020"><b>Invalid combination:</b> {html.escape(self._error)}. '
                    f"The chart and read-outs still show the last valid schedule, "
                    f"{html.escape(repr(self._schedule))}.</p>")
        return out + f'<table class="decaylib-readout" style="margin:0.3em 0;border-collapse:collapse">{body}</table>'

    # -- public, unit-testable surface -----------------------------------------
    def schedule(self):
        """The decaylib schedule drawn now (the last valid one)."""
        return self._schedule

    def data(self):
        """``(t, lr)``: copies of the arrays actually plotted."""
        return np.array(self._line.get_xdata(), dtype=np.float64), np.array(self._line.get_ydata(), dtype=np.float64)

    def readouts(self):
        """The read-out values shown, plus ``error`` (None, or the message shown)."""
        out = dict(self._values)
        out["epochs"] = self.sliders["epochs"].value
        out["error"] = self._error
        return out

    def set(self, **values):
        """Set sliders by keyword name and redraw once, synchronously.

        Values outside a slider's range are clamped to it, as when dragging.
        """
        unknown = sorted(set(values) - set(self.sliders))
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown}: allowed {list(self.sliders)}")
        with self._held():
            for name, value in values.items():
                self.sliders[name].value = value
        self._update()

    def reset(self):
        """Put every slider back to the value it was built with, and redraw."""
        self.set(**self._defaults)

    # -- display ------------------------------------------------------------------
    static_note = STATIC_NOTE

    def static_html(self) -> str:
        """The figure and read-outs at the default values, and how to make them live."""
        png, alt, readout, values = self._default_view
        b64 = base64.b64encode(png).decode("ascii")
        w, h = (round(v * DPI) for v in FIGSIZE)
        note = html.escape(self.static_note)
        note = note.replace("`make lab`", "<code>make lab</code>")
        return (f'<div class="decaylib-explorer-static">'
                f"<p><b>{html.escape(self.title)}</b>, shown at {html.escape(values)}.</p>"
                f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}" width="{w}" height="{h}" '
                f'style="max-width:100%;height:auto">{readout}'
                f'<p class="decaylib-explorer-note"><em>{note}</em></p></div>')

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = (f"{self.title} explorer: sliders {', '.join(self.sliders)} "
                                f"(needs a running Python kernel)")
        return bundle


def schedule_explorer(family, epochs=100, **defaults) -> Explorer:
    r"""An explorer (sliders, curve, read-outs) for one schedule family.

    Parameters
    ----------
    family : str
        ``"inverse_time"`` (sliders ``lr0``, ``decay_rate``), ``"exponential"``
        (``lr0``, ``eps``), ``"inverse_sqrt"`` (``lr0``, ``k``),
        ``"step_decay"`` (``lr0``, ``eps``, ``every``),
        ``"piecewise_constant"`` (``lr0``, ``boundary_1``, ``boundary_2``,
        ``eps``: values ``lr0``, ``lr0*eps``, ``lr0*eps**2`` switching at
        the two boundaries), ``"staircase_inverse_time"`` (``lr0``,
        ``decay_rate``, ``every``: the course's
        :math:`\alpha_0 / (1 + d \lfloor t / N \rfloor)`) or ``"cosine"``
        (``lr0``, ``total``, ``lr_min``).  Every explorer also has an
        ``epochs`` slider, the horizon drawn and summed.
    epochs : int
        Initial horizon, >= 1.
    **defaults
        Initial slider values by keyword name (a value outside the usual
        range widens that slider).

    Returns
    -------
    Explorer
        ``ex.sliders``, ``ex.schedule()``, ``ex.data()``, ``ex.readouts()``
        and ``ex.set(**values)`` give the state without a browser.

    Raises
    ------
    ValueError
        For an unknown family or slider name, or defaults that decaylib rejects.
    """
    return Explorer(family, epochs=epochs, **defaults)
