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
default values and a note on how to make it live.  In a notebook the
explorer displays as two outputs (:func:`display_explorer`): that picture,
then the widget, which hides the picture while it is live; a reopened
notebook, whose kernel no longer has the widget, shows the picture and how
to bring the explorer back instead of ipywidgets' "model not found".

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
from .sliders import slider_label, slider_range
from .style import COLORS, LABELS, color

__all__ = ["Explorer", "FAMILIES", "REOPENED_NOTE", "STATIC_NOTE", "display_explorer", "schedule_explorer"]

#: shown under the static figure where no kernel runs the callbacks
STATIC_NOTE = (
    "This explorer needs a running Python kernel: open this notebook with `make lab` "
    "(or JupyterLab) to move the sliders; the live chart above works in the browser."
)


#: the explorer's figure: smaller than the book's, so sliders, chart and read-outs fit 1280x800
_FIGSIZE = (5.6, 3.0)

#: shown only when the widget has lost its kernel: ipywidgets puts the class
#: ``jupyter-widgets-disconnected`` on every view whose model's comm closed
#: (kernel restarted or shut down); CSS, no script
STALE_HTML = (
    "<style>.decaylib-stale{display:none}"
    ".jupyter-widgets-disconnected .decaylib-stale{display:block}</style>"
    '<p class="decaylib-stale" role="status" style="color:#B00020;font-weight:bold;margin:0.2em 0">'
    "Disconnected: the kernel restarted or stopped, so the sliders no longer redraw. "
    "Run this cell again (or Run All) to bring the explorer back.</p>")


#: the DOM class of every live ipywidgets explorer (its outer box), read by FALLBACK_HEAD
LIVE_CLASS = "decaylib-explorer"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: What a notebook shows in place of the live explorer when no kernel has it
#: (issue 11).  In JupyterLab and Notebook 7 the explorer is two outputs: this
#: static picture (``text/html``), then the widget view.  CSS only (``:has``):
#: while the next output holds a live explorer the picture gives way to it; when
#: it does not (a reopened notebook: ipywidgets' "Error displaying widget: model
#: not found", or "Loading widget..." with no kernel; ipywidgets' renderer, unlike
#: the others, puts no ``data-mime-type`` on its node) that output is hidden and
#: the picture stays, with the sentence saying how to bring the explorer back.
#: An untrusted notebook (JupyterLab and Notebook 7 reopened chapters 1 and 2
#: untrusted after a save) strips the ``<style>`` and the script but keeps inline
#: ``display``: so the book's note is hidden inline and shown by the style, and
#: the notebook's note shows unless the style hides it; the widget output is then
#: its empty ``text/html``.
#: The ``.jp-OutputArea`` rules never match in the built book, which shows the
#: picture with the book's note.  The script keeps the notebook's keyboard
#: shortcuts off the explorer's controls: Notebook 7 (unlike JupyterLab, which
#: listens in the bubbling phase, after the slider took the key) handles keys in
#: the capture phase, before the slider, and Lumino skips its shortcuts only for
#: a target that carries ``data-lm-suppress-shortcuts`` itself or above it, and
#: the focused slider handle matches the notebook's ``... :focus`` selectors
#: first; so each handle, input and button is marked, also when ipywidgets
#: redraws them.
FALLBACK_HEAD = (
    "<style>"
    ".decaylib-when-lab{display:none}"
    ".decaylib-when-book{display:block!important}"
    ".jp-OutputArea .decaylib-when-lab{display:block}"
    ".jp-OutputArea .decaylib-when-book{display:none!important}"
    ".jp-OutputArea-child:has(.decaylib-explorer-static):has(+ .jp-OutputArea-child ." + LIVE_CLASS + "){display:none}"
    ".jp-OutputArea-child:has(.decaylib-explorer-static) + .jp-OutputArea-child:not(:has(."
    + LIVE_CLASS + ", [data-mime-type])){display:none}"
    "</style>"
    "<script>(function () { var me = document.currentScript, area = me && me.closest('.jp-OutputArea');"
    " if (!area || area.dataset.decaylibKeys) return; area.dataset.decaylibKeys = 'marked';"
    " function mark() { area.querySelectorAll('." + LIVE_CLASS + " .noUi-handle, ." + LIVE_CLASS + " input, ."
    + LIVE_CLASS + " button').forEach(function (el) {"
    " if (!el.hasAttribute('data-lm-suppress-shortcuts')) el.setAttribute('data-lm-suppress-shortcuts', 'true'); }); }"
    " new MutationObserver(mark).observe(area, {childList: true, subtree: true}); mark(); })();</script>")

#: shown in a notebook where the static picture stands in for the explorer (no kernel has it)
REOPENED_NOTE = ("Not running: this is the explorer's picture at its start values, saved with the notebook. "
                 "Run this cell to bring the explorer back (in a new kernel, after the cells above it: "
                 "Run > Run All Cells).")


def fallback_html(title: str, values: str, img: str, readout: str, book_note: str) -> str:
    """The static explorer: the picture and read-outs at the start values, and how to make it live."""
    note = html.escape(book_note).replace("`make lab`", "<code>make lab</code>")
    return (f'<div class="decaylib-explorer-static">{FALLBACK_HEAD}'
            f"<p><b>{html.escape(title)}</b>, shown at {html.escape(values)}.</p>{img}{readout}"
            f'<p class="decaylib-explorer-note decaylib-when-book" style="display:none"><em>{note}</em></p>'
            f'<p class="decaylib-explorer-note decaylib-when-lab" role="status" '
            f'style="color:#B00020;font-weight:bold">{html.escape(REOPENED_NOTE)}</p></div>')


def display_explorer(widget, static_html: str, text: str) -> None:
    """Two outputs: the static picture (what the book and a reopened notebook show), then the widget view.

    The widget view's output also carries an empty ``text/html``: the book,
    which drops widget views, shows nothing for it (no second picture).
    """
    from IPython.display import display

    bundle = widgets.DOMWidget._repr_mimebundle_(widget) or {}
    display({"text/html": static_html, "text/plain": text}, raw=True)
    if WIDGET_MIME in bundle:
        display({WIDGET_MIME: bundle[WIDGET_MIME], "text/html": "", "text/plain": ""}, raw=True)


@dataclass(frozen=True)
class FamilySpec:
    title: str
    params: tuple  # slider names, as in decaylib.viz.sliders.RANGES
    build: object  # callable(**slider values) -> Schedule; may raise ValueError


def _piecewise(lr0, boundaries, eps):
    b1, b2 = boundaries
    if b2 <= b1:  # the range slider keeps them ordered; equal is still possible
        raise ValueError(f"the two boundaries must differ (both {b1:g})")
    return piecewise_constant(boundaries=[b1, b2], values=[lr0, lr0 * eps, lr0 * eps**2])


#: family name -> its sliders (ranges and labels from decaylib.viz.sliders) and the decaylib call they feed
FAMILIES = {
    "inverse_time": FamilySpec(
        "Inverse-time decay", ("lr0", "decay_rate"),
        lambda lr0, decay_rate: inverse_time(lr0=lr0, decay_rate=decay_rate)),
    "exponential": FamilySpec(
        "Exponential decay", ("lr0", "eps"),
        lambda lr0, eps: exponential(lr0=lr0, eps=eps)),
    "inverse_sqrt": FamilySpec(
        "Inverse-square-root decay", ("lr0", "k"),
        lambda lr0, k: inverse_sqrt(lr0=lr0, k=k)),
    "step_decay": FamilySpec(
        "Step decay", ("lr0", "eps", "every"),
        lambda lr0, eps, every: step_decay(lr0=lr0, eps=eps, every=every)),
    "piecewise_constant": FamilySpec(
        "Piecewise-constant decay (values lr0, lr0·eps, lr0·eps²)", ("lr0", "boundaries", "eps"),
        _piecewise),
    "staircase_inverse_time": FamilySpec(
        "Staircase inverse-time decay (the course's variant)", ("lr0", "decay_rate", "every"),
        lambda lr0, decay_rate, every: staircase(inverse_time(lr0=lr0, decay_rate=decay_rate), every=every)),
    "cosine": FamilySpec(
        "Cosine decay", ("lr0", "total", "lr_min"),
        lambda lr0, total, lr_min: cosine(lr0=lr0, total=total, lr_min=lr_min)),
}

#: the piecewise explorer's two boundaries: one two-handle slider, so they stay ordered
_BOUNDARIES = (1, 500, (30, 60))


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
        names = list(spec.params) + ["epochs"]
        unknown = sorted(set(defaults) - set(names))
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown} for family {family!r}: allowed {names[:-1]}")
        values = {n: (_BOUNDARIES[2] if n == "boundaries" else slider_range(n, family).default) for n in names}
        values.update(defaults)
        values["epochs"] = _validate.integer("epochs", epochs, low=1)

        self.family = family
        self.title = spec.title
        self._spec = spec
        self._hold = False
        self._limits = None
        self.sliders = {n: self._slider(n, family, values[n]) for n in names}
        # ipywidgets' own controls: a reset button and a log-scale switch for the rate axis
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="back to the values this explorer started with")
        self.reset_button.on_click(lambda _b: self.reset())
        self.log_scale = widgets.Checkbox(value=False, description="log-scale rate axis", indent=False)
        self.log_scale.observe(self._on_change, names="value")

        self._fig, self._ax, self._line, self._marker, self._ghost = self._make_figure()
        self.chart = widgets.HTML(layout=widgets.Layout(width=f"{_FIGSIZE[0] * DPI:.0f}px"))
        self.readout = widgets.HTML(layout=widgets.Layout(flex="1 1 300px", min_width="300px"))
        self.code = widgets.HTML()
        as_code = widgets.Accordion(children=[self.code], titles=("As code: PyTorch, Keras, Optax (copy)",),
                                    selected_index=None)
        header = widgets.HTML(f"<b>{html.escape(spec.title)}</b>{STALE_HTML}")
        controls = widgets.VBox(list(self.sliders.values())
                                + [widgets.HBox([self.reset_button, self.log_scale])])
        body = widgets.HBox([self.chart, self.readout], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([header, controls, body, as_code])
        self.add_class(LIVE_CLASS)

        self._schedule = None
        self._error = None
        # the defaults must give a schedule: fail here, with the argument named
        self._schedule = spec.build(**self._param_values())
        self._default_schedule = self._schedule
        self._draw()
        #: the figure, read-outs and values at construction, for the static fallback
        self._default_view = (self._png, self._alt, self.readout.value, self._values_text())
        self._defaults = {name: sl.value for name, sl in self.sliders.items()}
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")

    # -- construction -------------------------------------------------------
    @staticmethod
    def _slider(name, family, value):
        label = slider_label(name, family)
        common = dict(description=label, continuous_update=True,  # ipywidgets throttles: one update in flight
                      style={"description_width": "200px"}, layout=widgets.Layout(width="560px"))
        if name == "boundaries":
            low, high, _ = _BOUNDARIES
            try:
                b1, b2 = (_validate.integer("boundaries", b, low=1) for b in value)
            except (TypeError, ValueError):
                raise ValueError(f"boundaries must be two increasing epochs, got {value!r}") from None
            if not b1 < b2:
                raise ValueError(f"boundaries must be two increasing epochs, got {value!r}")
            return widgets.IntRangeSlider(value=(b1, b2), min=min(low, b1), max=max(high, b2), step=1, **common)
        r = slider_range(name, family)
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        if r.integer:
            value = _validate.integer(name, value, low=1)
        # a default outside the usual range widens the slider instead of being clamped
        low, high = min(r.low, value), max(r.high, value)
        if r.integer:
            return widgets.IntSlider(value=value, min=low, max=high, step=r.step, **common)
        return widgets.FloatSlider(value=value, min=low, max=high, step=r.step, readout_format=r.fmt, **common)

    def _make_figure(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=_FIGSIZE, dpi=DPI)  # not pyplot: never shown twice, no global state
        FigureCanvasAgg(fig)
        # fixed margins: a layout engine would double the redraw time
        fig.subplots_adjust(left=0.14, right=0.97, top=0.95, bottom=0.16)
        ax = fig.add_subplot()
        fam = self._family_of_line()
        # animated: left out of the full draw and blitted onto a cached background
        (ghost,) = ax.plot([], [], linewidth=1.5, color="0.6", linestyle="--", animated=True,
                           drawstyle="steps-post" if fam in STEPPED else "default")
        (line,) = ax.plot([], [], linewidth=2, color=COLORS[fam], label=LABELS[fam], animated=True,
                          drawstyle="steps-post" if fam in STEPPED else "default")
        marker = ax.axvline(0, color="0.35", linestyle=":", linewidth=1.2, animated=True)
        # no legend (the header names the family; a legend costs ~20% of a full redraw)
        self._marker_label = ax.text(0, 0.97, " half-life", transform=ax.get_xaxis_transform(), va="top",
                                     ha="left", fontsize=9, color="0.35", animated=True)
        ax.set_xlabel(XLABEL)
        ax.set_ylabel(YLABEL)
        ax.grid(True, alpha=0.3)
        return fig, ax, line, marker, ghost

    def _family_of_line(self):
        return {"step_decay": "staircase", "staircase_inverse_time": "staircase"}.get(self.family, self.family)

    # -- state ----------------------------------------------------------------
    def _param_values(self):
        return {name: self.sliders[name].value for name in self._spec.params}

    def _values_text(self):
        return ", ".join(f"{name} = {_value_text(s.value)}" for name, s in self.sliders.items())

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
        ghost = self._default_schedule(t)
        self._t, self._lr = t, lr
        self._values = self._compute_readouts(s, epochs)

        self._line.set_data(t, lr)
        self._line.set_color(color(s))
        self._line.set_drawstyle("steps-post" if is_stepped(s) else "default")
        self._ghost.set_data(t, ghost)
        h = self._values["half_life"]
        self._marker.set_xdata([h, h])
        self._marker.set_visible(h <= epochs)
        self._marker_label.set_x(h)
        self._marker_label.set_visible(h <= epochs)
        top = _nice_ceil(float(max(lr.max(), ghost.max())) * 1.04)
        if self.log_scale.value:
            shown = np.concatenate([lr[lr > 0], ghost[ghost > 0]])
            bottom = 10.0 ** math.floor(math.log10(shown.min())) if shown.size else top / 10
            self._render((0.0, float(epochs)), (bottom, top), "log")
        else:
            self._render((0.0, float(epochs)), (0.0, top), "linear")
        self._alt = self._describe(s, t, lr)
        b64 = base64.b64encode(self._png).decode("ascii")
        w, hgt = (round(v * DPI) for v in _FIGSIZE)
        self.chart.value = (f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self._alt)}" '
                            f'width="{w}" height="{hgt}" style="max-width:100%;height:auto">')
        self.readout.value = self._readout_html()
        self.code.value = _code_html(s)

    def _render(self, xlim, ylim, scale="linear"):
        """Draw the figure into ``self._png``.

        The axes, ticks and grid are drawn in full only when the limits or the
        scale change (new horizon or new peak rate); otherwise the cached
        background is restored and only the curves and the half-life marker
        are drawn.
        """
        canvas = self._fig.canvas
        if self._limits != (xlim, ylim, scale):
            self._ax.set_yscale(scale)
            self._ax.set_xlim(*xlim)
            self._ax.set_ylim(*ylim)
            canvas.draw()  # skips the animated artists
            self._background = canvas.copy_from_bbox(self._fig.bbox)
            self._limits = (xlim, ylim, scale)
        else:
            canvas.restore_region(self._background)
        for artist in (self._ghost, self._marker, self._marker_label, self._line):
            self._ax.draw_artist(artist)
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
        return (f"{self.title}: learning rate against epoch t from 0 to {t[-1]:g} for {s!r}, "
                f"over the start values' curve (dashed grey). "
                f"The rate falls {shape}from {_fmt(lr[0], 3)} at t = 0 to {_fmt(lr[-1], 3)} at t = {t[-1]:g}{half}.")

    def _readout_html(self):
        v = self._values
        rm = v["robbins_monro"]
        epochs = self.sliders["epochs"].value
        verdict = "satisfied" if rm.satisfied else "not satisfied"
        h = v["half_life"]
        rows = [
            ("half-life (dotted line)", "never: the rate does not fall to half" if h == math.inf
             else f"{_fmt(h)} epoch{'' if h == 1 else 's'}"),
            (f"budget Σα over t = 0 … {epochs - 1}", _fmt(v["budget"])),
            ("total budget Σα", _fmt(v["total_budget"])),
            ("Robbins–Monro", f"{verdict} (Σα {'= ∞' if rm.sum_diverges else '< ∞'}, "
                              f"Σα² {'< ∞' if rm.sum_of_squares_converges else '= ∞'})"),
            ("dashed grey", "the curve at the start values (Reset)"),
        ]
        cell = 'style="padding:0.1em 1em 0.1em 0;text-align:left;vertical-align:top"'
        body = "".join(f"<tr><td {cell}>{html.escape(k)}</td><td {cell}>{html.escape(val)}</td></tr>"
                       for k, val in rows)
        body += (f"<tr><td {cell}>as code</td><td {cell}><code style='user-select:all'>"
                 f"{html.escape(_decaylib_line(self._schedule))}</code></td></tr>")
        out = ""
        if self._error:
            out += (f'<p style="color:#B00020"><b>Not drawn:</b> {html.escape(self._error)}; '
                    f"the chart shows the last valid schedule.</p>")
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
        w, h = (round(v * DPI) for v in _FIGSIZE)
        img = (f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}" width="{w}" height="{h}" '
               f'style="max-width:100%;height:auto">')
        return fallback_html(self.title, values, img, readout, self.static_note)

    def _text(self):
        return f"{self.title} explorer: sliders {', '.join(self.sliders)} (needs a running Python kernel)"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = self._text()
        return bundle

    def _ipython_display_(self):
        """In a notebook: the static picture, then the live widget (see :func:`display_explorer`)."""
        display_explorer(self, self.static_html(), self._text())


def _value_text(v):
    return f"{v[0]:g}–{v[1]:g}" if isinstance(v, tuple) else f"{v:g}"


def _decaylib_line(s) -> str:
    return f"decaylib.{s!r}"


def _code_html(s) -> str:
    """``s`` as decaylib, PyTorch, Keras and Optax code, in a ``<pre>`` a learner can copy."""
    from ..frameworks.codegen import code

    lines = ["import decaylib", f"schedule = {_decaylib_line(s)}"]
    for name, title in (("pytorch", "PyTorch"), ("keras", "Keras"), ("optax", "Optax")):
        try:
            lines += ["", f"# {title}", code(s, name)]
        except (ValueError, NotImplementedError) as err:
            lines += ["", f"# {title}: no equivalent ({err})"]
    return ('<pre class="decaylib-code" style="user-select:text;white-space:pre-wrap;margin:0">'
            f"{html.escape(chr(10).join(lines))}</pre>")


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
