r"""A 2-D least-squares problem whose loss contours are long, tilted ellipses.

Linear regression with two correlated, differently scaled features: the
problem chapter 1 runs mini-batch gradient descent on.

>>> from decaylib.sim.least_squares import least_squares
>>> p = least_squares()
>>> p.X.shape
(128, 2)
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .. import _validate


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
