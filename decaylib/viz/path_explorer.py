r"""The ipywidgets explorer of chapter 1: two mini-batch paths on the loss contours.

Left, a constant rate; right, inverse-time decay; sliders for ``batch_size``,
``lr0`` and ``decay_rate``.  The simulation is :mod:`decaylib.sim.minibatch`.
"""
from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
import numpy as np

from .. import _validate
from ..families import constant, inverse_time
from ..sim.least_squares import LeastSquares, least_squares
from ..sim.minibatch import distance_to_minimum, minibatch_paths
from .figures import DPI, FIGSIZE, plot_paths
from .explorer import LIVE_CLASS, STALE_HTML, display_explorer, fallback_html
from .style import color


# -- the explorer of chapter 1 -------------------------------------------------------

#: shown under the static figure, where no kernel runs the slider callbacks
PATH_STATIC_NOTE = (
    "The sliders need a running Python kernel: open this notebook with `make lab` "
    "(or in JupyterLab) to change batch_size, lr0 and decay_rate and watch both paths move."
)

#: what each slider means, beside its name
PATH_LABELS = {"batch_size": "examples per step", "lr0": "initial rate, both", "decay_rate": "slope d, right"}

#: slider name -> (min, max, step, default); integers for batch_size
PATH_SLIDERS = {
    "batch_size": (1, 64, 1, 8),
    "lr0": (0.01, 0.1, 0.005, 0.08),
    "decay_rate": (0.0, 2.0, 0.05, 0.3),
}


class PathExplorer(widgets.VBox):
    """Contours and two mini-batch paths, constant rate vs inverse-time decay (see :func:`path_explorer`).

    Attributes
    ----------
    sliders : dict
        ``batch_size``, ``lr0``, ``decay_rate`` -> ipywidgets slider.
    chart, readout : ipywidgets.HTML
        The ``<img>`` of the figure and the distances to the minimum.
    """

    def __init__(self, problem=None, *, epochs=20, seed=0, **defaults):
        problem = least_squares() if problem is None else problem
        if not isinstance(problem, LeastSquares):
            raise ValueError(f"problem must be a LeastSquares from least_squares(), got {problem!r}")
        unknown = sorted(set(defaults) - set(PATH_SLIDERS))
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown}: allowed {list(PATH_SLIDERS)}")
        self.problem = problem
        self.epochs = _validate.integer("epochs", epochs, low=1)
        self.seed = _validate.integer("seed", seed, low=0)
        values = {name: spec[3] for name, spec in PATH_SLIDERS.items()}
        values.update(defaults)
        self.sliders = {}
        for name, (low, high, step, _) in PATH_SLIDERS.items():
            value = self._check(name, values[name])
            common = dict(value=value, min=low, max=high, step=step, description=f"{name} ({PATH_LABELS[name]})",
                          continuous_update=True,  # ipywidgets throttles: one update in flight
                          style={"description_width": "200px"}, layout=widgets.Layout(width="560px"))
            self.sliders[name] = (widgets.IntSlider(**common) if name == "batch_size"
                                  else widgets.FloatSlider(readout_format=".3f", **common))
        self._hold = False
        self._fig, self._lines = self._make_figure()
        self.chart = widgets.HTML()
        self.readout = widgets.HTML()
        header = widgets.HTML(f"<b>Mini-batch gradient descent: constant rate vs inverse-time decay</b>{STALE_HTML}")
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="back to the values this explorer started with")
        self.reset_button.on_click(lambda _b: self.reset())
        super().__init__([header, widgets.VBox(list(self.sliders.values()) + [self.reset_button]),
                          self.chart, self.readout])
        self.add_class(LIVE_CLASS)
        self._draw()
        self._defaults = {name: sl.value for name, sl in self.sliders.items()}
        #: figure, alt text, read-out and values at construction, for the static fallback
        self._default_view = (self._png, self._alt, self.readout.value, self._values_text())
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")

    # -- validation and state ---------------------------------------------------------
    @staticmethod
    def _check(name, value):
        low, high = PATH_SLIDERS[name][:2]
        if name == "batch_size":
            value = _validate.integer(name, value, low=1)
            if value > high:
                raise ValueError(f"batch_size must be in [{low}, {high}], got {value!r}")
            return value
        return _validate.real(name, value, low=low, high=high)

    def schedules(self):
        """``(constant(lr0), inverse_time(lr0, decay_rate))`` at the current slider values."""

        lr0 = self.sliders["lr0"].value
        return constant(lr0), inverse_time(lr0, self.sliders["decay_rate"].value)

    def set(self, **values):
        """Set sliders by keyword name and redraw once, synchronously.

        Unknown names and values outside a slider's range raise ``ValueError``.
        """
        unknown = sorted(set(values) - set(self.sliders))
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown}: allowed {list(self.sliders)}")
        checked = {name: self._check(name, value) for name, value in values.items()}
        self._hold = True
        try:
            for name, value in checked.items():
                self.sliders[name].value = value
        finally:
            self._hold = False
        self._update()

    def reset(self):
        """Put every slider back to the value it was built with, and redraw."""
        self.set(**self._defaults)

    def data(self):
        """The plotted data: ``{"constant": path, "inverse_time": path, "w_star": ..., "distance": {...}}``.

        Paths are ``(steps + 1, 2)`` copies of the line data in the figure;
        ``distance`` holds each path's final distance to the minimum.
        """
        out = {}
        for fam, line in self._lines.items():
            out[fam] = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(np.float64)
        out["w_star"] = self.problem.w_star.copy()
        out["distance"] = dict(self._distance)
        return out

    def _values_text(self):
        return ", ".join(f"{name} = {s.value:g}" for name, s in self.sliders.items())

    def _on_change(self, change=None):
        if not self._hold:
            self._update()

    def _update(self):
        try:
            self._draw()
        except Exception as err:  # noqa: BLE001 - a callback must not raise into the front end
            self.readout.value = f'<p style="color:#B00020">internal error: {type(err).__name__}: {err}</p>'

    # -- drawing ------------------------------------------------------------------------
    def _make_figure(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure


        fig = Figure(figsize=FIGSIZE, dpi=DPI)  # not pyplot: never shown twice
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, 2, sharex=True, sharey=True)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.22, wspace=0.08)
        lines = {}
        self._on_top = []
        for ax, s in zip(axes, (constant(0.1), inverse_time(0.1, 1.0))):
            plot_paths(self.problem, [s], [np.array([self.problem.w0])], ax=ax)
            ax.get_legend().remove()
            ax.set_title(s.family, fontsize=10, color=color(s))
            path, _start, star = ax.get_lines()
            # animated: left out of the full draw, blitted onto the cached contours
            path.set_animated(True)
            star.set_animated(True)
            lines[s.family] = path
            self._on_top.append((ax, path, star))
        axes[1].set_ylabel("")
        # what the marks mean (the start dot and the star are plot_paths' own)
        from matplotlib.lines import Line2D

        _path, start, star = axes[0].get_lines()
        handles = [Line2D([], [], color=start.get_color(), marker=start.get_marker(), linestyle="none"),
                   Line2D([], [], color=star.get_color(), marker=star.get_marker(), markersize=star.get_markersize(),
                          linestyle="none"),
                   Line2D([], [], color="0.7", linewidth=0.8)]
        fig.legend(handles, ["$w_0$", "$w^*$", "$L(w)$"], loc="lower center",
                   ncols=3, frameon=False, fontsize=8)
        self._background = None
        return fig, lines

    def _render(self):
        """The figure as PNG bytes: cached contours, then the paths and the minimum on top."""
        from PIL import Image

        canvas = self._fig.canvas
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self._fig.bbox)
        else:
            canvas.restore_region(self._background)
        for ax, path, star in self._on_top:
            ax.draw_artist(path)
            ax.draw_artist(star)
        img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.save(buf, format="png", compress_level=1)  # fastest; the PNG is ~5 % larger
        return buf.getvalue()

    def _draw(self):
        sched = self.schedules()
        paths = minibatch_paths(self.problem, sched, batch_size=self.sliders["batch_size"].value,
                                epochs=self.epochs, seeds=[self.seed])[:, 0]
        self._distance = {}
        for s, p in zip(sched, paths):
            self._lines[s.family].set_data(p[:, 0], p[:, 1])
            self._distance[s.family] = float(distance_to_minimum(self.problem, p[-1]))
        self._png = self._render()
        d = self._distance
        self._alt = (f"Loss contours of a 2-D least-squares problem (ellipses around the minimum at "
                     f"({self.problem.w_star[0]:.2f}, {self.problem.w_star[1]:.2f})) with two mini-batch "
                     f"gradient descent paths from ({self.problem.w0[0]:g}, {self.problem.w0[1]:g}), "
                     f"{self._values_text()}, {self.epochs} epochs: left, the constant rate ends "
                     f"{d['constant']:.3g} from the minimum; right, inverse-time decay ends "
                     f"{d['inverse_time']:.3g} from it.")
        b64 = base64.b64encode(self._png).decode("ascii")
        self.chart.value = (f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self._alt)}" '
                            f'style="max-width:100%;height:auto">')
        self.readout.value = self._readout_html()

    def _readout_html(self):
        d = self._distance
        rows = [("constant rate", d["constant"]), ("inverse-time decay", d["inverse_time"])]
        # padded cells as in the schedule explorer: without them the label and the number run together
        cell = 'style="padding:0.1em 1.5em 0.1em 0;text-align:left"'
        body = "".join(f"<tr><td {cell}>{k}</td><td {cell}>{val:.4g}</td></tr>" for k, val in rows)
        return (f"<p>Final distance to the minimum |w − w*| after {self.epochs} epochs (seed {self.seed}):</p>"
                f'<table class="decaylib-readout" style="margin:0.3em 0;border-collapse:collapse">{body}</table>')

    # -- display ------------------------------------------------------------------------
    def static_html(self) -> str:
        """The figure and read-out at the default values, and how to make the sliders live."""
        png, alt, readout, values = self._default_view
        b64 = base64.b64encode(png).decode("ascii")
        img = f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
        return fallback_html("Path explorer", values, img, readout, PATH_STATIC_NOTE)

    _TEXT = "Path explorer: sliders batch_size, lr0, decay_rate (needs a running Python kernel)"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = self._TEXT
        return bundle

    def _ipython_display_(self):
        """In a notebook: the static picture, then the live widget (see :func:`display_explorer`)."""
        display_explorer(self, self.static_html(), self._TEXT)


def path_explorer(problem=None, *, epochs=20, seed=0, **defaults) -> PathExplorer:
    """Sliders for ``batch_size``, ``lr0`` and ``decay_rate``; both paths on the loss contours.

    Left panel: mini-batch gradient descent with ``constant(lr0)``; right panel:
    with ``inverse_time(lr0, decay_rate)``; both draw the same mini-batches
    (``seed``) for ``epochs`` epochs on ``problem`` (default
    :func:`least_squares`).  The read-out gives each path's final distance to
    the minimum.  Slider defaults may be overridden by keyword.

    Examples
    --------
    >>> ex = path_explorer()
    >>> sorted(ex.sliders)
    ['batch_size', 'decay_rate', 'lr0']
    >>> ex.set(batch_size=16)
    >>> ex.data()["constant"].shape  # 20 epochs of 8 steps, plus the start
    (161, 2)
    """
    return PathExplorer(problem, epochs=epochs, seed=seed, **defaults)
