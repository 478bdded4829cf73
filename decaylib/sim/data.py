r"""Small real data sets that ship inside an installed package: no download.

The only loader, :func:`digits`, wraps scikit-learn's bundled copy of the UCI
optical-recognition handwritten-digits test set (1797 images of 8 x 8 pixels,
grey levels 0..16, ten classes), which ``sklearn.datasets.load_digits`` reads
from a file inside the scikit-learn wheel.  It splits the images once, with a
seeded permutation, into a training and a test set and standardises the pixels
with the training set's mean and standard deviation.

>>> from decaylib.sim.data import digits
>>> d = digits()
>>> d.X_train.shape, d.X_test.shape, d.n_classes
((1348, 64), (449, 64), 10)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .. import _validate

__all__ = ["Dataset", "digits"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A classification data set split into training and test parts.

    ``X_*`` are float64 arrays ``(samples, features)``, standardised with the
    training part's statistics; ``y_*`` are integer class labels
    ``0 .. n_classes - 1``.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    def __repr__(self):
        return (f"Dataset({self.name!r}: {len(self.y_train)} train, {len(self.y_test)} test, "
                f"{self.X_train.shape[1]} features, {self.n_classes} classes)")


@functools.cache
def _load_digits():
    """The pixels and labels of ``sklearn.datasets.load_digits()``.

    Read from the file it reads (``sklearn/datasets/data/digits.csv.gz``),
    the way it reads it, without importing scikit-learn (about a second);
    if the file is not where it was, ``load_digits`` itself.
    """
    import gzip
    import importlib.util
    import os

    spec = importlib.util.find_spec("sklearn")  # finds the package without running it
    if spec is None:
        raise ModuleNotFoundError("No module named 'sklearn'", name="sklearn")
    for where in spec.submodule_search_locations or []:
        path = os.path.join(where, "datasets", "data", "digits.csv.gz")
        if os.path.isfile(path):
            with gzip.open(path, mode="rt", encoding="utf-8") as f:
                data = np.loadtxt(f, delimiter=",")  # bundled file, no network
            return data[:, :-1], data[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.int64)


def digits(test_fraction=0.25, seed=0) -> Dataset:
    r"""scikit-learn's bundled 8 x 8 handwritten digits, split and standardised.

    Parameters
    ----------
    test_fraction : float
        Share of the 1797 images held out as the test set, in (0, 1); the
        test set has ``round(test_fraction * 1797)`` images.
    seed : int
        Seed (>= 0) of the permutation that splits the images.

    Returns
    -------
    Dataset
        Pixels standardised as :math:`(x - \mu)/s` with the training mean
        :math:`\mu` and standard deviation :math:`s` of each pixel (a pixel
        that is constant on the training set gets :math:`s = 1`).

    Examples
    --------
    >>> d = digits(test_fraction=0.5, seed=1)
    >>> len(d.y_train) + len(d.y_test)
    1797
    >>> bool(abs(d.X_train.mean()) < 1e-12)
    True
    """
    test_fraction = _validate.real("test_fraction", test_fraction, low=0.0, high=1.0,
                                   low_open=True, high_open=True)
    seed = _validate.integer("seed", seed, low=0)
    X, y = _load_digits()
    n_test = int(round(test_fraction * len(y)))
    if not 0 < n_test < len(y):
        raise ValueError(f"test_fraction must leave at least one image on each side, got {test_fraction!r}")
    order = np.random.default_rng(seed).permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    mu = X[train].mean(axis=0)
    s = X[train].std(axis=0)
    s[s == 0] = 1.0
    return Dataset("digits", (X[train] - mu) / s, y[train].copy(), (X[test] - mu) / s, y[test].copy(), 10)
