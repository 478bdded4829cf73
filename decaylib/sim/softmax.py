r"""A softmax classifier trained with mini-batch SGD on real data, several seeds at once.

:func:`train_softmax` returns the final and per-epoch train and test loss
and accuracy of every seed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..schedule import Schedule
from ._args import _rates, _schedule, _schedules, _seeds
from .minibatch import steps_per_epoch


# -- 3. a softmax classifier on real data ------------------------------------------


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Outcome of :func:`train_softmax`, one entry per seed.

    ``train_loss``, ``test_loss`` (mean cross-entropy, nats),
    ``test_accuracy`` and ``train_accuracy`` (share of images whose most
    probable class is the label) are ``(seeds,)`` arrays after the last epoch;
    ``train_history`` and ``test_history`` (losses) and
    ``train_accuracy_history`` and ``test_accuracy_history`` are
    ``(seeds, epochs + 1)``: before training (column 0) and after every
    epoch; ``weights`` is ``(seeds, features + 1, classes)``, the final
    :math:`W` (last row: bias).  The last column of each history is the
    final value.
    """

    schedule: Schedule
    seeds: tuple
    train_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    train_history: np.ndarray
    test_history: np.ndarray
    weights: np.ndarray
    train_accuracy: np.ndarray
    train_accuracy_history: np.ndarray
    test_accuracy_history: np.ndarray


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
    data : decaylib.sim.data.Dataset
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
    >>> from decaylib.sim.data import digits
    >>> r = train_softmax(decaylib.constant(0.5), digits(), epochs=2, seeds=[0, 1])
    >>> r.train_loss.shape, r.train_history.shape
    ((2,), (2, 3))
    >>> bool(r.train_loss.max() < r.train_history[:, 0].min())  # it learned something
    True
    >>> r.test_accuracy_history.shape, bool(r.test_accuracy_history[:, -1].min() > 0.9)
    ((2, 3), True)
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
    # One BLAS thread: the products here are small, and OpenBLAS's threads spent
    # 3.6 times the CPU of one thread on the loss's (1348 x 65) @ (65 x 500) product
    # (busy waiting); the batched training products give the same bits either way.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn brings it; without it, the library's default threads
        import contextlib

        limits = contextlib.nullcontext()
    else:
        limits = threadpool_limits(limits=1, user_api="blas")
    with limits:
        return _train_softmax_many(schedules, data, batch_size, epochs, seeds, l2, init_scale)


def _train_softmax_many(schedules, data, batch_size, epochs, seeds, l2, init_scale):
    from .data import Dataset

    schedules = _schedules(schedules, "train_softmax")
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a decaylib.sim.data.Dataset, got {data!r}")
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
    train_hist, test_hist, train_acc, test_acc = (np.empty((M * S, epochs + 1)) for _ in range(4))

    def record(col):
        # loss and accuracy come from the same logits: accuracy costs nothing extra
        train_hist[:, col], pred = _cross_entropy(Xtr, ytr, W)
        train_acc[:, col] = (pred == ytr[None]).mean(axis=1)
        test_hist[:, col], pred = _cross_entropy(Xte, yte, W)
        test_acc[:, col] = (pred == yte[None]).mean(axis=1)

    record(0)
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
        record(epoch + 1)
    out = []
    for i, s in enumerate(schedules):
        c = slice(i * S, (i + 1) * S)
        out.append(TrainResult(s, tuple(seeds), train_hist[c, -1].copy(), test_hist[c, -1].copy(),
                               test_acc[c, -1].copy(), train_hist[c].copy(), test_hist[c].copy(), W[c].copy(),
                               train_acc[c, -1].copy(), train_acc[c].copy(), test_acc[c].copy()))
    return out
