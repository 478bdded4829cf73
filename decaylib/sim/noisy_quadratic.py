r"""SGD on a noisy quadratic: the noise ball, exactly and simulated.

:math:`f(x) = h x^2 / 2` observed through gradients with additive noise of
variance :math:`\sigma^2`.  :func:`noisy_quadratic` simulates many chains
at once and returns :math:`\mathbb{E}[x_t^2]` per step; :func:`mean_square`
iterates the exact recursion; :func:`stationary_variance` is the
constant-rate noise ball, from the sympy expression :data:`NOISE_BALL`.

>>> from decaylib.sim.noisy_quadratic import stationary_variance
>>> stationary_variance(0.2, h=2.0, sigma=1.0)
0.0625
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .. import _validate
from ..symbols import rate as alpha
from ._args import _rates, _schedule


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
    shrinks = 1 - rates * h_value
    if not np.all(np.abs(shrinks) < 1e150):  # a float's ** 2 would raise OverflowError: numpy's scalars give inf
        out = np.empty(steps + 1)
        out[0] = x0 * x0
        for i, a in enumerate(rates):
            out[i + 1] = (1 - a * h_value) ** 2 * out[i] + a * a * sigma_value**2
        return out
    # Python floats: the same double operations as numpy's scalars (pow for ** 2), without their overhead
    v = x0 * x0
    out = [v]
    noise = sigma_value**2
    for a in rates.tolist():
        v = (1 - a * h_value) ** 2 * v + a * a * noise
        out.append(v)
    return np.array(out, dtype=np.float64)


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
