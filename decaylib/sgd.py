r"""Stochastic gradient descent, simulated: what a decaying learning rate buys.

Three vectorised numpy experiments used by the chapters "Why decay" and
"Decay in action", each driven by any decaylib schedule.  The schedule is a
function of the epoch: every step of epoch ``t`` uses the rate ``schedule(t)``.

1. **Mini-batch gradient descent on a 2-D least-squares problem**
   (:func:`least_squares`, :func:`minibatch_path`, :func:`minibatch_paths`):
   linear regression with two correlated, differently scaled features, so the
   loss contours are long, tilted ellipses.  Returns the path of iterates.
2. **SGD on a noisy quadratic** (:func:`noisy_quadratic`):
   :math:`f(x) = h x^2 / 2` observed through gradients with additive noise of
   variance :math:`\sigma^2`, many independent chains at once; returns
   :math:`\mathbb{E}[x_t^2]` per step, next to the exact recursion
   (:func:`mean_square`) and the constant-rate noise ball
   (:func:`stationary_variance`, from the sympy expression :data:`NOISE_BALL`).
3. **A softmax classifier trained on real data** (:func:`train_softmax`) with
   mini-batch SGD, several seeds at once; returns final train and test loss.

:func:`path_explorer` builds the ipywidgets explorer of chapter 1.

>>> import decaylib
>>> from decaylib import sgd
>>> p = sgd.least_squares()
>>> path = sgd.minibatch_path(p, decaylib.inverse_time(lr0=0.1, decay_rate=0.5), batch_size=8, epochs=10)
>>> path.shape  # 10 epochs of ceil(128 / 8) = 16 steps, plus the start
(161, 2)
>>> sgd.stationary_variance(0.2, h=2.0, sigma=1.0)
0.0625
"""
from __future__ import annotations

import base64
import functools
import html
import io
import math
import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import sympy as sp

from . import _validate
from .schedule import Schedule
from .style import LABELS, color
from .symbols import rate as alpha

__all__ = [
    "LeastSquares",
    "least_squares",
    "steps_per_epoch",
    "minibatch_path",
    "minibatch_paths",
    "distance_to_minimum",
    "plot_paths",
    "h",
    "sigma",
    "v",
    "MEAN_SQUARE_MAP",
    "NOISE_BALL",
    "stationary_variance",
    "mean_square",
    "noisy_quadratic",
    "TrainResult",
    "train_softmax",
    "train_softmax_many",
    "PATH_SLIDERS",
    "PathExplorer",
    "path_explorer",
]


# -- argument checks ------------------------------------------------------------


def _schedule(name, value):
    if not isinstance(value, Schedule):
        raise ValueError(f"{name} must be a decaylib Schedule, got {value!r}")
    return value


def _schedules(values, single):
    """A non-empty list of Schedules; ``single`` names the one-schedule twin."""
    if isinstance(values, Schedule):
        raise ValueError(f"schedules must be a sequence of decaylib Schedules; for one, use {single}")
    try:
        out = [_schedule("schedules", s) for s in values]
    except TypeError:
        raise ValueError(f"schedules must be a sequence of decaylib Schedules, got {values!r}") from None
    if not out:
        raise ValueError("schedules must hold at least one decaylib Schedule")
    return out


def _seeds(name, values):
    if isinstance(values, numbers.Integral) and not isinstance(values, bool):
        values = [values]
    try:
        out = [_validate.integer(name, s, low=0) for s in values]
    except TypeError:
        raise ValueError(f"{name} must be a sequence of integers >= 0, got {values!r}") from None
    if not out:
        raise ValueError(f"{name} must hold at least one integer >= 0, got {values!r}")
    return out


def _rates(schedule, epochs, per_epoch):
    """The rate of every step: ``schedule(t)`` repeated ``per_epoch`` times per epoch ``t``."""
    return np.repeat(schedule(np.arange(epochs, dtype=np.float64)), per_epoch)


# -- 1. mini-batch gradient descent on a 2-D least-squares problem ----------------


@dataclass(frozen=True, eq=False)
class LeastSquares:
    r"""Linear regression :math:`y \approx w_1 x_1 + w_2 x_2` with the loss

    .. math:: L(w) = \frac{1}{2n}\sum_{i=1}^{n} (x_i^\top w - y_i)^2 .

    Built by :func:`least_squares`.  ``X`` is ``(n, 2)``, ``y`` is ``(n,)``,
    ``w_true`` the weights the data were drawn with and ``w0`` the starting
    point of every path.
    """

    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray
    w0: np.ndarray

    @property
    def n(self) -> int:
        """Number of data points."""
        return len(self.y)

    @functools.cached_property
    def hessian(self) -> np.ndarray:
        r"""The Hessian :math:`H = X^\top X / n` of the loss (constant)."""
        return self.X.T @ self.X / self.n

    @functools.cached_property
    def w_star(self) -> np.ndarray:
        r"""The exact minimiser, the solution of :math:`X^\top X w = X^\top y`."""
        return np.linalg.solve(self.X.T @ self.X, self.X.T @ self.y)

    @functools.cached_property
    def loss_star(self) -> float:
        """The smallest loss, :math:`L(w^*)`."""
        return float(self.loss(*self.w_star))

    @functools.cached_property
    def condition_number(self) -> float:
        """Ratio of the largest to the smallest eigenvalue of the Hessian."""
        ev = np.linalg.eigvalsh(self.hessian)
        return float(ev[-1] / ev[0])

    def loss(self, w1, w2):
        r"""The loss :math:`L(w_1, w_2)`; ``w1`` and ``w2`` broadcast (a grid for contours).

        Computed from the sufficient statistics
        :math:`L = \tfrac12\left(w^\top H w - 2 w^\top X^\top y/n + y^\top y/n\right)`.
        """
        w1 = np.asarray(w1, dtype=np.float64)
        w2 = np.asarray(w2, dtype=np.float64)
        (a11, a12), (_, a22) = self.hessian
        c1, c2 = self.X.T @ self.y / self.n
        yy = float(self.y @ self.y) / self.n
        out = 0.5 * (a11 * w1**2 + 2 * a12 * w1 * w2 + a22 * w2**2 - 2 * (c1 * w1 + c2 * w2) + yy)
        return float(out) if out.ndim == 0 else out

    def loss_grid(self, w1_range, w2_range, num=121):
        """``(W1, W2, L)`` meshes over the rectangle ``w1_range x w2_range`` for contour plots."""
        num = _validate.integer("num", num, low=2)
        w1 = np.linspace(*w1_range, num)
        w2 = np.linspace(*w2_range, num)
        W1, W2 = np.meshgrid(w1, w2)
        return W1, W2, self.loss(W1, W2)

    def __repr__(self):
        return (f"LeastSquares(n={self.n}, w_star=[{self.w_star[0]:.4g}, {self.w_star[1]:.4g}], "
                f"condition_number={self.condition_number:.3g})")

    @functools.cached_property
    def _stats(self) -> np.ndarray:
        """Per-point ``(x1^2, x1 x2, x2^2, x1 y, x2 y)``: a batch's gradient is linear in their mean."""
        x1, x2 = self.X.T
        return np.stack([x1 * x1, x1 * x2, x2 * x2, x1 * self.y, x2 * self.y], axis=1)


def least_squares(n=128, rho=0.6, scale=3.0, noise=2.0, w_true=(1.0, 0.5), w0=(-3.0, 1.5), seed=0) -> LeastSquares:
    r"""A seeded, ill-conditioned 2-D linear-regression problem.

    The data are drawn as

    .. math:: x_{i1} = z_{i1}, \quad
              x_{i2} = s\,\bigl(\rho\, z_{i1} + \sqrt{1-\rho^2}\, z_{i2}\bigr), \quad
              y_i = w^{\text{true}}_1 x_{i1} + w^{\text{true}}_2 x_{i2} + \nu\, e_i

    with :math:`z, e` independent standard normals, so the features have
    correlation :math:`\rho` and standard deviations 1 and :math:`s`.  The
    Hessian of the loss is close to :math:`\begin{pmatrix}1 & s\rho\\ s\rho & s^2\end{pmatrix}`:
    the contours are ellipses, long in :math:`w_1`, tilted by the correlation.

    Parameters
    ----------
    n : int
        Number of data points, >= 2.
    rho : float
        Correlation of the two features, in (-1, 1).
    scale : float
        Standard deviation :math:`s` of the second feature, > 0.
    noise : float
        Standard deviation :math:`\nu` of the label noise, >= 0.  The noise is
        what keeps the mini-batch gradients from vanishing at the minimum.
    w_true : pair of float
        Weights the labels are drawn with (the minimiser :math:`w^*` of the
        finite sample is near, not at, them).
    w0 : pair of float
        Where every path starts.
    seed : int
        Seed (>= 0) of the draw.

    Examples
    --------
    >>> p = least_squares()
    >>> p.n, round(p.condition_number, 1)
    (128, 19.4)
    >>> bool(np.allclose(p.X.T @ (p.X @ p.w_star - p.y), 0.0, atol=1e-9))
    True
    """
    n = _validate.integer("n", n, low=2)
    rho = _validate.real("rho", rho, low=-1.0, high=1.0, low_open=True, high_open=True)
    scale = _validate.positive("scale", scale)
    noise = _validate.real("noise", noise, low=0.0)
    seed = _validate.integer("seed", seed, low=0)
    pairs = {}
    for name, pair in (("w_true", w_true), ("w0", w0)):
        try:
            values = [_validate.real(name, x) for x in pair]
        except TypeError:
            values = []
        if len(values) != 2:
            raise ValueError(f"{name} must be a pair of finite numbers, got {pair!r}")
        pairs[name] = np.array(values)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 2))
    e = rng.standard_normal(n)
    X = np.column_stack([z[:, 0], scale * (rho * z[:, 0] + math.sqrt(1 - rho**2) * z[:, 1])])
    y = X @ pairs["w_true"] + noise * e
    return LeastSquares(X, y, pairs["w_true"], pairs["w0"])


def steps_per_epoch(n, batch_size) -> int:
    """Mini-batches in one pass over ``n`` points: ``ceil(n / batch_size)`` (the last may be smaller).

    >>> steps_per_epoch(128, 8), steps_per_epoch(128, 48)
    (16, 3)
    """
    n = _validate.integer("n", n, low=1)
    batch_size = _validate.integer("batch_size", batch_size, low=1)
    return -(-n // batch_size)


def _orders(n, epochs, seed):
    """One permutation of ``range(n)`` per epoch, drawn from ``default_rng(seed)``, concatenated."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(n) for _ in range(epochs)])


@functools.lru_cache(maxsize=64)
def _batch_means(problem, batch_size, epochs, seed):
    """Means of the per-point statistics over every mini-batch: ``(steps, 5)``.

    A batch is a slice of ``batch_size`` consecutive indices of the epoch's
    permutation; the last batch of an epoch holds the remainder.
    """
    n = problem.n
    per = steps_per_epoch(n, batch_size)
    starts = (np.arange(epochs)[:, None] * n + np.arange(per)[None, :] * batch_size).ravel()
    sizes = np.minimum(batch_size, n - np.arange(per) * batch_size)
    sums = np.add.reduceat(problem._stats[_orders(n, epochs, seed)], starts, axis=0)
    out = sums / np.tile(sizes, epochs)[:, None]
    out.flags.writeable = False
    return out


def _check_path_args(problem, batch_size, epochs):
    if not isinstance(problem, LeastSquares):
        raise ValueError(f"problem must be a LeastSquares from least_squares(), got {problem!r}")
    batch_size = _validate.integer("batch_size", batch_size, low=1)
    if batch_size > problem.n:
        raise ValueError(f"batch_size must be in [1, n] = [1, {problem.n}], got {batch_size!r}")
    return batch_size, _validate.integer("epochs", epochs, low=1)


# up to this many chains a plain-Python loop is faster than numpy's per-call overhead
_PYTHON_CHAINS = 8


def _descend(stats, rates, w0):
    """Iterate ``w <- w - a (A w - c)`` for every chain: ``(steps + 1, chains, 2)``.

    ``stats[k, c]`` are the batch means ``(a11, a12, a22, c1, c2)`` and
    ``rates[k, c]`` the rate of step ``k`` in chain ``c``.  Few chains run as
    Python floats, many as numpy arrays; both evaluate the same expressions in
    the same order, so a chain's path does not depend on how many run with it.
    """
    steps, chains = rates.shape
    out = np.empty((steps + 1, chains, 2))
    out[0] = w0
    if chains <= _PYTHON_CHAINS:
        for c in range(chains):
            w1, w2 = float(w0[0]), float(w0[1])
            col = [(w1, w2)]
            for (a11, a12, a22, c1, c2), a in zip(stats[:, c].tolist(), rates[:, c].tolist()):
                g1 = a11 * w1 + a12 * w2 - c1
                g2 = a12 * w1 + a22 * w2 - c2
                w1 = w1 - a * g1
                w2 = w2 - a * g2
                col.append((w1, w2))
            out[:, c] = col
        return out
    w1 = np.full(chains, float(w0[0]))
    w2 = np.full(chains, float(w0[1]))
    for k in range(steps):
        a11, a12, a22, c1, c2 = stats[k].T
        a = rates[k]
        g1 = a11 * w1 + a12 * w2 - c1
        g2 = a12 * w1 + a22 * w2 - c2
        w1 = w1 - a * g1
        w2 = w2 - a * g2
        out[k + 1, :, 0], out[k + 1, :, 1] = w1, w2
    return out


def minibatch_paths(problem, schedules, *, batch_size=8, epochs=20, seeds=(0,)):
    r"""Mini-batch gradient descent paths for several schedules and seeds at once.

    Every step draws the next mini-batch :math:`B_k` of the epoch's seeded
    permutation of the data and moves

    .. math:: w_{k+1} = w_k - \alpha(t)\,\frac{1}{|B_k|}\sum_{i\in B_k} x_i\,(x_i^\top w_k - y_i),

    with :math:`t` the epoch of step :math:`k`.  The same seed gives the same
    mini-batches for every schedule, so two paths differ only by their rates.
    The chains (schedule x seed) advance together, vectorised.

    Parameters
    ----------
    problem : LeastSquares
    schedules : sequence of Schedule
    batch_size : int
        Points per mini-batch, in ``[1, problem.n]``.
    epochs : int
        Passes over the data, >= 1.
    seeds : sequence of int
        Seeds (>= 0) of the mini-batch order, one path each.

    Returns
    -------
    ndarray, shape ``(len(schedules), len(seeds), steps + 1, 2)``
        ``steps = epochs * steps_per_epoch(problem.n, batch_size)``; row 0 is
        ``problem.w0``.
    """
    batch_size, epochs = _check_path_args(problem, batch_size, epochs)
    schedules = _schedules(schedules, "minibatch_path")
    seeds = _seeds("seeds", seeds)
    per = steps_per_epoch(problem.n, batch_size)
    steps = epochs * per
    # stats[k, c] and rates[k, c] for chain c = (schedule i, seed j), c = i * S + j
    stats = np.stack([_batch_means(problem, batch_size, epochs, s) for s in seeds], axis=1)
    stats = np.tile(stats, (1, len(schedules), 1))
    rates = np.repeat(np.stack([_rates(s, epochs, per) for s in schedules], axis=1), len(seeds), axis=1)
    out = _descend(stats, rates, problem.w0)
    return out.reshape(steps + 1, len(schedules), len(seeds), 2).transpose(1, 2, 0, 3).copy()


def minibatch_path(problem, schedule, *, batch_size=8, epochs=20, seed=0):
    """The mini-batch gradient descent path of one schedule and one seed.

    Same as ``minibatch_paths(problem, [schedule], ..., seeds=[seed])[0, 0]``:
    an array ``(steps + 1, 2)`` of iterates starting at ``problem.w0``.

    Examples
    --------
    >>> import decaylib
    >>> p = least_squares()
    >>> path = minibatch_path(p, decaylib.constant(0.1), batch_size=128, epochs=1000)
    >>> bool(np.allclose(path[-1], p.w_star))  # full batch: plain gradient descent converges
    True
    """
    _schedule("schedule", schedule)
    seed = _validate.integer("seed", seed, low=0)
    return minibatch_paths(problem, [schedule], batch_size=batch_size, epochs=epochs, seeds=[seed])[0, 0]


def distance_to_minimum(problem, path):
    """Euclidean distance of every iterate in ``path`` (``(..., 2)``) to ``problem.w_star``."""
    path = np.asarray(path, dtype=np.float64)
    if path.ndim == 0 or path.shape[-1] != 2:
        raise ValueError(f"path must be an array of points with last axis 2, got shape {path.shape}")
    return np.linalg.norm(path - problem.w_star, axis=-1)


def plot_paths(problem, schedules, paths, *, ax=None, window=None, levels=12):
    """Loss contours of ``problem`` with one path per schedule, in its family colour.

    ``paths`` are ``(steps + 1, 2)`` arrays in the order of ``schedules``.  The
    minimiser is a star, the start a circle.  ``window`` is
    ``((w1_min, w1_max), (w2_min, w2_max))``; by default it frames the start
    and the minimiser.  Returns the axes.
    """
    import matplotlib.pyplot as plt

    from .plotting import DPI, FIGSIZE

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
                label=LABELS.get(s.family, s.family), alpha=0.9)
    ax.plot(*w0, "o", color="0.3", ms=5, label="start $w_0$")
    ax.plot(*ws, "*", color="#E69F00", mec="k", mew=0.6, ms=11, label="minimum $w^*$", zorder=5)
    ax.set_xlim(window[0])
    ax.set_ylim(window[1])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return ax


# -- 2. SGD on the noisy quadratic -------------------------------------------------

#: curvature of the quadratic f(x) = h x^2 / 2
h = sp.Symbol("h", positive=True)
#: standard deviation of the additive gradient noise
sigma = sp.Symbol("sigma", positive=True)
#: the mean square E[x_t^2]
v = sp.Symbol("v", nonnegative=True)

#: one SGD step x' = (1 - alpha h) x - alpha xi maps E[x^2] = v to this
MEAN_SQUARE_MAP = (1 - alpha * h) ** 2 * v + alpha**2 * sigma**2

#: the fixed point of MEAN_SQUARE_MAP: the stationary E[x^2] at a constant rate
NOISE_BALL = sp.factor(sp.solve(sp.Eq(v, MEAN_SQUARE_MAP), v)[0])

_noise_ball = sp.lambdify((alpha, h, sigma), NOISE_BALL, "numpy")


def _quadratic_args(h_value, sigma_value):
    return _validate.positive("h", h_value), _validate.real("sigma", sigma_value, low=0.0)


def stationary_variance(lr, h=2.0, sigma=1.0):
    r"""The noise ball: stationary :math:`\mathbb{E}[x^2]` of constant-rate SGD on :math:`h x^2/2`.

    .. math:: v_\infty = \frac{\alpha\sigma^2}{h\,(2 - \alpha h)}

    the fixed point of :data:`MEAN_SQUARE_MAP` (sympy :data:`NOISE_BALL`),
    which exists for :math:`0 < \alpha h < 2`.  ``lr`` may be an array (the
    "frozen-rate" prediction along a schedule).

    Examples
    --------
    >>> stationary_variance(0.2, h=2.0, sigma=1.0)
    0.0625
    """
    h_value, sigma_value = _quadratic_args(h, sigma)
    lr_arr = np.asarray(lr, dtype=np.float64)
    if lr_arr.size and not (np.all(lr_arr > 0) and np.all(lr_arr * h_value < 2)):
        raise ValueError(f"lr must be in (0, 2/h) = (0, {2 / h_value:g}) for a stationary noise ball, got {lr!r}")
    out = np.asarray(_noise_ball(lr_arr, h_value, sigma_value), dtype=np.float64)
    return float(out) if out.ndim == 0 else out


def _quadratic_common(schedule, steps, steps_per_epoch):
    _schedule("schedule", schedule)
    steps = _validate.integer("steps", steps, low=1)
    spe = _validate.integer("steps_per_epoch", steps_per_epoch, low=1)
    epochs = -(-steps // spe)
    return steps, _rates(schedule, epochs, spe)[:steps]


def mean_square(schedule, *, h=2.0, sigma=1.0, steps=100, x0=1.0, steps_per_epoch=1):
    r"""The exact :math:`\mathbb{E}[x_t^2]` of SGD on the noisy quadratic, by recursion.

    .. math:: v_{t+1} = (1 - \alpha_t h)^2\, v_t + \alpha_t^2 \sigma^2, \qquad v_0 = x_0^2

    (:data:`MEAN_SQUARE_MAP` applied step by step).  Returns ``steps + 1`` values.

    Examples
    --------
    >>> import decaylib
    >>> mean_square(decaylib.constant(0.2), steps=2, x0=1.0)
    array([1.   , 0.4  , 0.184])
    """
    h_value, sigma_value = _quadratic_args(h, sigma)
    x0 = _validate.real("x0", x0)
    steps, rates = _quadratic_common(schedule, steps, steps_per_epoch)
    out = np.empty(steps + 1)
    out[0] = x0 * x0
    for i, a in enumerate(rates):
        out[i + 1] = (1 - a * h_value) ** 2 * out[i] + a * a * sigma_value**2
    return out


def noisy_quadratic(schedule, *, h=2.0, sigma=1.0, steps=100, chains=10_000, x0=1.0, seed=0, steps_per_epoch=1):
    r"""Simulate SGD on :math:`f(x) = h x^2/2` with noisy gradients, many chains at once.

    Each chain starts at ``x0`` and steps

    .. math:: x_{t+1} = x_t - \alpha_t\,(h x_t + \xi_t) = (1 - \alpha_t h)\,x_t - \alpha_t \xi_t,
              \qquad \xi_t \sim \mathcal N(0, \sigma^2)

    with independent noise per chain and step, :math:`\alpha_t` the schedule's
    rate at epoch ``t // steps_per_epoch``.  The same seed gives the same noise
    for every schedule.

    Returns
    -------
    ndarray, shape ``(steps + 1,)``
        The mean of :math:`x_t^2` over the chains, an estimate of
        :math:`\mathbb{E}[x_t^2]` whose standard error is at most
        :math:`\mathbb{E}[x_t^2]\sqrt{2/\text{chains}}` (:math:`x_t` is Gaussian).
    """
    h_value, sigma_value = _quadratic_args(h, sigma)
    x0 = _validate.real("x0", x0)
    chains = _validate.integer("chains", chains, low=1)
    seed = _validate.integer("seed", seed, low=0)
    steps, rates = _quadratic_common(schedule, steps, steps_per_epoch)
    rng = np.random.default_rng(seed)
    x = np.full(chains, x0)
    out = np.empty(steps + 1)
    out[0] = x0 * x0
    for i, a in enumerate(rates):
        x = (1 - a * h_value) * x - (a * sigma_value) * rng.standard_normal(chains)
        out[i + 1] = np.einsum("i,i->", x, x) / chains  # not np.dot: BLAS threads stall on a busy machine
    return out


# -- 3. a softmax classifier on real data ------------------------------------------


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Outcome of :func:`train_softmax`, one entry per seed.

    ``train_loss``, ``test_loss`` (mean cross-entropy, nats) and
    ``test_accuracy`` are ``(seeds,)`` arrays after the last epoch;
    ``train_history`` and ``test_history`` are ``(seeds, epochs + 1)``, the
    losses before training and after every epoch; ``weights`` is
    ``(seeds, features + 1, classes)``, the final :math:`W` (last row: bias).
    """

    schedule: Schedule
    seeds: tuple
    train_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    train_history: np.ndarray
    test_history: np.ndarray
    weights: np.ndarray


def _with_bias(X):
    return np.concatenate([X, np.ones((len(X), 1))], axis=1)


def _cross_entropy(Xb, y, W):
    """Mean cross-entropy of softmax(Xb @ W) for every seed: ``(seeds,)``."""
    S, d, K = W.shape
    # one GEMM for every seed: (N, d) @ (d, S K), then (S, N, K)
    logits = (Xb @ W.transpose(1, 0, 2).reshape(d, S * K)).reshape(len(Xb), S, K).transpose(1, 0, 2)
    logits -= logits.max(axis=2, keepdims=True)
    logz = np.log(np.exp(logits).sum(axis=2))
    picked = np.take_along_axis(logits, np.broadcast_to(y[None, :, None], (len(W), len(y), 1)), axis=2)[..., 0]
    return (logz - picked).mean(axis=1), logits.argmax(axis=2)


def train_softmax(schedule, data, *, batch_size=32, epochs=20, seeds=(0, 1, 2, 3, 4), l2=1e-3, init_scale=0.01):
    r"""Train a softmax (multinomial logistic) classifier with mini-batch SGD.

    The model is :math:`p(y = j \mid x) = \operatorname{softmax}(W^\top [x; 1])_j`;
    each step on the mini-batch :math:`\mathcal{B}` of ``batch_size`` examples moves

    .. math:: W \leftarrow W - \alpha(t)\left(\frac{1}{|\mathcal{B}|}\sum_{i \in \mathcal{B}} [x_i; 1]\,(p_i - e_{y_i})^\top + c\,W\right),

    with :math:`c` = ``l2`` (weight decay keeps the weights bounded on
    separable data) and :math:`t` the epoch.  Each seed's generator
    ``numpy.random.default_rng(seed)`` draws the initial weights first
    (``init_scale * standard_normal((features + 1, classes))``), then one
    permutation of the training set per epoch, cut into consecutive
    mini-batches (the last one holds the remainder).  All seeds train
    together, vectorised.

    Parameters
    ----------
    schedule : Schedule
    data : decaylib.data.Dataset
    batch_size : int
        In ``[1, len(data.y_train)]``.
    epochs : int
        >= 1.
    seeds : sequence of int
        One run per seed (>= 0).
    l2 : float
        Weight-decay coefficient :math:`\lambda`, >= 0.
    init_scale : float
        Standard deviation of the initial weights, >= 0.

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> import decaylib
    >>> from decaylib.data import digits
    >>> r = train_softmax(decaylib.constant(0.5), digits(), epochs=2, seeds=[0, 1])
    >>> r.train_loss.shape, r.train_history.shape
    ((2,), (2, 3))
    >>> bool(r.train_loss.max() < r.train_history[:, 0].min())  # it learned something
    True
    """
    _schedule("schedule", schedule)
    return train_softmax_many([schedule], data, batch_size=batch_size, epochs=epochs, seeds=seeds, l2=l2,
                              init_scale=init_scale)[0]


def train_softmax_many(schedules, data, *, batch_size=32, epochs=20, seeds=(0, 1, 2, 3, 4), l2=1e-3,
                       init_scale=0.01):
    """:func:`train_softmax` for several schedules at once: one :class:`TrainResult` each.

    Every (schedule, seed) pair is one chain and all chains train together.
    A seed fixes the initial weights and the mini-batch order, the same for
    every schedule, so the runs of one seed differ only by their rates.
    """
    from .data import Dataset

    schedules = _schedules(schedules, "train_softmax")
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a decaylib.data.Dataset, got {data!r}")
    n = len(data.y_train)
    batch_size = _validate.integer("batch_size", batch_size, low=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be in [1, {n}] (the training set), got {batch_size!r}")
    epochs = _validate.integer("epochs", epochs, low=1)
    seeds = _seeds("seeds", seeds)
    l2 = _validate.real("l2", l2, low=0.0)
    init_scale = _validate.real("init_scale", init_scale, low=0.0)

    Xtr, Xte = _with_bias(data.X_train), _with_bias(data.X_test)
    ytr, yte = data.y_train, data.y_test
    d, K, S, M = Xtr.shape[1], data.n_classes, len(seeds), len(schedules)
    rngs = [np.random.default_rng(s) for s in seeds]
    # chain c = i * S + j: schedule i, seed j
    W = np.tile(np.stack([init_scale * r.standard_normal((d, K)) for r in rngs]), (M, 1, 1))
    onehot = np.eye(K)[ytr]
    per = steps_per_epoch(n, batch_size)
    rates = np.repeat(np.stack([_rates(s, epochs, per) for s in schedules], axis=1), S, axis=1)[:, :, None, None]
    train_hist = np.empty((M * S, epochs + 1))
    test_hist = np.empty((M * S, epochs + 1))
    train_hist[:, 0] = _cross_entropy(Xtr, ytr, W)[0]
    test_hist[:, 0] = _cross_entropy(Xte, yte, W)[0]
    k = 0
    for epoch in range(epochs):
        order = np.tile(np.stack([r.permutation(n) for r in rngs]), (M, 1))  # (chains, n)
        for start in range(0, n, batch_size):
            idx = order[:, start:start + batch_size]  # (chains, B)
            Xb = Xtr[idx]  # (chains, B, d)
            logits = Xb @ W
            logits -= logits.max(axis=2, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=2, keepdims=True)
            p -= onehot[idx]
            grad = Xb.transpose(0, 2, 1) @ p
            grad /= idx.shape[1]
            grad += l2 * W
            W = W - rates[k] * grad
            k += 1
        train_hist[:, epoch + 1] = _cross_entropy(Xtr, ytr, W)[0]
        test_hist[:, epoch + 1] = _cross_entropy(Xte, yte, W)[0]
    test_loss, pred = _cross_entropy(Xte, yte, W)
    accuracy = (pred == yte[None]).mean(axis=1)
    out = []
    for i, s in enumerate(schedules):
        c = slice(i * S, (i + 1) * S)
        out.append(TrainResult(s, tuple(seeds), train_hist[c, -1].copy(), test_loss[c].copy(), accuracy[c].copy(),
                               train_hist[c].copy(), test_hist[c].copy(), W[c].copy()))
    return out


# -- the explorer of chapter 1 -------------------------------------------------------

#: shown under the static figure, where no kernel runs the slider callbacks
PATH_STATIC_NOTE = (
    "The sliders need a running Python kernel: open this notebook with `make lab` "
    "(or in JupyterLab) to change batch_size, lr0 and decay_rate and watch both paths move."
)

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
            common = dict(value=value, min=low, max=high, step=step, description=name, continuous_update=False,
                          style={"description_width": "90px"}, layout=widgets.Layout(width="420px"))
            self.sliders[name] = (widgets.IntSlider(**common) if name == "batch_size"
                                  else widgets.FloatSlider(readout_format=".3f", **common))
        self._hold = False
        self._fig, self._lines = self._make_figure()
        self.chart = widgets.HTML()
        self.readout = widgets.HTML()
        header = widgets.HTML("<b>Mini-batch gradient descent: constant rate vs inverse-time decay</b>")
        super().__init__([header, widgets.VBox(list(self.sliders.values())), self.chart, self.readout])
        self._draw()
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
        from .families import constant, inverse_time

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

        from .families import constant, inverse_time
        from .plotting import DPI, FIGSIZE

        fig = Figure(figsize=FIGSIZE, dpi=DPI)  # not pyplot: never shown twice
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, 2, sharex=True, sharey=True)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.14, wspace=0.08)
        lines = {}
        self._on_top = []
        for ax, s in zip(axes, (constant(0.1), inverse_time(0.1, 1.0))):
            plot_paths(self.problem, [s], [np.array([self.problem.w0])], ax=ax)
            ax.get_legend().remove()
            ax.set_title(LABELS[s.family], fontsize=10, color=color(s))
            path, _start, star = ax.get_lines()
            # animated: left out of the full draw, blitted onto the cached contours
            path.set_animated(True)
            star.set_animated(True)
            lines[s.family] = path
            self._on_top.append((ax, path, star))
        axes[1].set_ylabel("")
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
        body = "".join(f"<tr><td>{k}</td><td>{val:.4g}</td></tr>" for k, val in rows)
        return (f"<p>Final distance to the minimum |w − w*| after {self.epochs} epochs (seed {self.seed}):</p>"
                f'<table class="decaylib-readout">{body}</table>')

    # -- display ------------------------------------------------------------------------
    def static_html(self) -> str:
        """The figure and read-out at the default values, and how to make the sliders live."""
        png, alt, readout, values = self._default_view
        b64 = base64.b64encode(png).decode("ascii")
        note = html.escape(PATH_STATIC_NOTE).replace("`make lab`", "<code>make lab</code>")
        return (f'<div class="decaylib-explorer-static"><p><b>Path explorer</b>, shown at {html.escape(values)}.</p>'
                f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
                f'{readout}<p class="decaylib-explorer-note"><em>{note}</em></p></div>')

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = ("Path explorer: sliders batch_size, lr0, decay_rate "
                                "(needs a running Python kernel)")
        return bundle


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
