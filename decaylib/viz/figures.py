r"""Plot schedules the same way in every chapter and widget.

One colour per family (:data:`decaylib.viz.style.COLORS`, Okabe–Ito, colour-blind
safe); stepped schedules are drawn as steps (``drawstyle="steps-post"``: the
rate holds from epoch ``t`` until ``t + 1``), smooth ones as lines.

>>> import decaylib
>>> from decaylib.viz.figures import new_figure, plot_schedules
>>> fig, ax = new_figure()
>>> ax = plot_schedules([decaylib.inverse_time(0.1, 0.5), decaylib.step_decay(0.1, 0.5, 10)], epochs=30, ax=ax)
>>> [line.get_label() for line in ax.get_lines()]
['inverse_time', 'staircase']
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""
from __future__ import annotations

import numbers
from collections import Counter

import numpy as np

from ..schedule import Schedule
from .style import color

__all__ = ["FIGSIZE", "DPI", "STEPPED", "LINESTYLES", "new_figure", "plot_schedules", "plot_paths", "is_stepped",
           "epoch_grid"]

#: the book's figure size (inches) and resolution: small pages, readable text
FIGSIZE = (6.4, 3.6)
DPI = 100

#: families whose rate is held constant between switches: drawn as steps
STEPPED = ("piecewise_constant", "staircase")

#: line styles of the curves of one figure, in order: curves differ by line
#: style as well as by colour (readable in grey print and without colour vision)
LINESTYLES = ("-", "--", ":", "-.")

#: axis labels: symbols of book/notation.md, so that a figure reads the same in
#: every edition of the book (its words live in the caption and alt text)
XLABEL = "$t$"
YLABEL = r"$\alpha(t)$"


def new_figure():
    """A ``(fig, ax)`` pair at the book's size, ``figsize=(6.4, 3.6)``, ``dpi=100``.

    Created with ``pyplot`` so the inline backend shows it; call
    ``plt.close(fig)`` after ``display(fig)`` to avoid showing it twice.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    return fig, ax


def is_stepped(schedule) -> bool:
    """True for schedules drawn with ``drawstyle="steps-post"``."""
    return getattr(schedule, "family", None) in STEPPED


def epoch_grid(epochs, step=None) -> np.ndarray:
    """The epochs ``0, step, 2 step, ..., epochs`` a plot evaluates (``step`` 1 by default)."""
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Real) or not np.isfinite(epochs) or epochs <= 0:
        raise ValueError(f"epochs must be a finite number > 0, got {epochs!r}")
    if step is None:
        step = 1.0
    if isinstance(step, bool) or not isinstance(step, numbers.Real) or not np.isfinite(step) or step <= 0:
        raise ValueError(f"step must be a finite number > 0, got {step!r}")
    count = int(np.floor(epochs / step + 1e-9)) + 1
    grid = np.arange(count, dtype=np.float64) * step
    if grid[-1] < epochs:  # always end exactly at the horizon
        grid = np.append(grid, float(epochs))
    return grid


def _short(value):
    if isinstance(value, Schedule):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, numbers.Real):
        return f"{value:g}"
    return repr(value)


def _default_labels(schedules):
    """The family identifier of each schedule (language-neutral, as in
    ``decaylib.<family>(...)``); the parameters are added when a family repeats."""
    counts = Counter(s.family for s in schedules)
    labels = []
    for s in schedules:
        label = s.family
        if counts[s.family] > 1:
            label += " (" + ", ".join(f"{k}={_short(v)}" for k, v in s.params.items()) + ")"
        labels.append(label)
    return labels


def plot_schedules(schedules, epochs=100, ax=None, labels=None, step=None):
    """Draw learning rate against epoch ``t = 0 .. epochs`` for one or more schedules.

    Parameters
    ----------
    schedules : Schedule or sequence of Schedule
        decaylib schedules.
    epochs : float
        The horizon: the last epoch drawn, > 0.
    ax : matplotlib Axes, optional
        Where to draw; a new figure from :func:`new_figure` if omitted.
    labels : sequence of str, optional
        Legend entries, one per schedule; by default the family names of
        family identifiers (``inverse_time``; with the parameters when a family repeats).
    step : float, optional
        Spacing of the epoch grid, > 0; 1 by default (the rate is used once an
        epoch).  Pass e.g. ``0.1`` to draw a short horizon smoothly.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, one ``Line2D`` per schedule whose data are exactly the
        schedule's values on the grid.

    Notes
    -----
    Each line has its family's colour (:func:`decaylib.viz.color`) and the
    next of :data:`LINESTYLES` (the first curve solid, the second dashed, ...),
    so curves differ by line style too, whether or not they share a family.  Stepped families
    (:data:`STEPPED`) use ``drawstyle="steps-post"``.
    """
    if isinstance(schedules, Schedule):
        schedules = [schedules]
    schedules = list(schedules)
    if not schedules:
        raise ValueError("schedules must contain at least one decaylib Schedule")
    for s in schedules:
        if not isinstance(s, Schedule):
            raise ValueError(f"schedules must be decaylib Schedules, got {s!r}")
    if labels is None:
        labels = _default_labels(schedules)
    else:
        labels = [str(label) for label in labels]
        if len(labels) != len(schedules):
            raise ValueError(f"labels must have one entry per schedule ({len(schedules)}), got {len(labels)}")
    grid = epoch_grid(epochs, step)
    if ax is None:
        _, ax = new_figure()

    for i, (s, label) in enumerate(zip(schedules, labels)):
        style = LINESTYLES[i % len(LINESTYLES)]
        ax.plot(grid, s(grid), color=color(s), linestyle=style, label=label,
                drawstyle="steps-post" if is_stepped(s) else "default", linewidth=2)
    ax.set_xlabel(XLABEL)
    ax.set_ylabel(YLABEL)
    ax.set_xlim(0, grid[-1])
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False)
    return ax


def plot_paths(problem, schedules, paths, *, ax=None, window=None, levels=12):
    """Loss contours of ``problem`` with one path per schedule, in its family colour.

    ``paths`` are ``(steps + 1, 2)`` arrays in the order of ``schedules``.  The
    minimiser is a star, the start a circle.  ``window`` is
    ``((w1_min, w1_max), (w2_min, w2_max))``; by default it frames the start
    and the minimiser.  Returns the axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    ws, w0 = problem.w_star, problem.w0
    if window is None:
        lo, hi = np.minimum(ws, w0), np.maximum(ws, w0)
        pad = 0.25 * (hi - lo) + 0.5
        window = ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))
    W1, W2, L = problem.loss_grid(*window)
    # contour levels spaced geometrically above the minimum: more rings near it
    excess = np.geomspace(0.02, float(L.max() - problem.loss_star), levels)
    ax.contour(W1, W2, L, levels=problem.loss_star + excess, colors="0.7", linewidths=0.8)
    styles = ("-", "--", ":", "-.")
    for i, (s, p) in enumerate(zip(schedules, paths)):
        ax.plot(p[:, 0], p[:, 1], color=color(s), lw=1.0, ls=styles[i % len(styles)] if i >= 2 else "-",
                label=s.family, alpha=0.9)
    ax.plot(*w0, "o", color="0.3", ms=5, label="$w_0$")
    ax.plot(*ws, "*", color="#E69F00", mec="k", mew=0.6, ms=11, label="$w^*$", zorder=5)
    ax.set_xlim(window[0])
    ax.set_ylim(window[1])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return ax
