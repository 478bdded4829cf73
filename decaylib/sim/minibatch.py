r"""Mini-batch gradient descent on a least-squares problem, many seeds and schedules at once.

Every step of epoch ``t`` uses the rate ``schedule(t)``.  Returns the paths
of the iterates, which :func:`decaylib.viz.figures.plot_paths` draws.

>>> import decaylib
>>> from decaylib.sim.least_squares import least_squares
>>> from decaylib.sim.minibatch import minibatch_path
>>> path = minibatch_path(least_squares(), decaylib.inverse_time(lr0=0.1, decay_rate=0.5), batch_size=8, epochs=10)
>>> path.shape  # 10 epochs of ceil(128 / 8) = 16 steps, plus the start
(161, 2)
"""
from __future__ import annotations

import functools

import numpy as np

from .. import _validate
from ._args import _rates, _schedule, _schedules, _seeds
from .least_squares import LeastSquares


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
    >>> from decaylib.sim import least_squares
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
