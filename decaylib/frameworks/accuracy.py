r"""What agreement to expect between decaylib and each framework, and where framework staircases switch late."""
from __future__ import annotations

import math

import numpy as np

from .. import _validate
from .codegen import _framework, _kind


def tolerance(schedule, framework, n) -> tuple:
    """``(rtol, atol)``: what :func:`rates` is claimed to match over ``n`` steps.

    For every step ``t < n``: ``|rates(schedule, n, framework)[t] - schedule(t)|
    <= rtol * |schedule(t)| + atol`` (the table in the module's docstring),
    whether Keras and Optax evaluate on arrays or under ``jax.jit``.

    >>> import decaylib
    >>> tolerance(decaylib.inverse_time(0.5, 0.3), "pytorch", 1000)
    (8.881784197001252e-16, 2.2250738585072014e-308)
    >>> rtol, atol = tolerance(decaylib.exponential(0.1, 0.95), "keras", 1000)
    >>> round(rtol, 6)
    0.000123
    """
    kind, p = _kind(schedule)
    framework = _framework(framework)
    f32 = framework != "pytorch"
    n = _validate.integer("n", n, low=0, high=2**24 if f32 else None)
    u = 2.0**-24 if f32 else 2.0**-53
    if kind == "linear":
        peak = max(p["start"], p["end"])
    elif kind == "piecewise_constant":
        peak = max(p["values"])
    else:  # the others start at their highest rate
        peak = schedule(0.0)
    if f32 and peak > float(np.finfo(np.float32).max):
        raise ValueError(f"schedule: its rates reach {peak!r}, above float32's range: {framework} gives inf")
    steps = 0
    if kind == "exponential":
        steps = max(n - 1, 0)
    elif kind == "staircase_exponential":
        steps = max(n - 1, 0) // p["every"]
    if steps:
        per = 2.0 + (abs(math.log(p["eps"])) if f32 else 0.0)
        rtol = (8 + steps * per) * u
    elif kind == "piecewise_constant" and framework != "keras":
        rtol = (8 + 8 * len(p["milestones"])) * u
    else:
        rtol = 8 * u
    # below the smallest normal number a float keeps few digits (and XLA flushes a
    # float32 eps**t there to 0 before the product with lr0)
    tiny = 2.0**-126 if f32 else 2.0**-1022
    atol = max(8 * u * peak if kind in ("cosine", "linear") else 0.0, tiny * max(1.0, peak))
    return rtol, atol


def late_stair_steps(every, n):
    """The steps ``t < n`` at which a built-in ``staircase=True`` schedule switches late.

    Keras's ``ExponentialDecay`` and ``InverseTimeDecay`` with
    ``staircase=True`` and Optax's ``exponential_decay(..., staircase=True)``
    all take ``floor(float32(t) / every)``.  On arrays and under ``jax.jit``
    (a training step) XLA's float32 division on the CPU can give a number
    just below a whole one at ``t = every, 2 every, ...`` (XLA replaces the
    division by the constant ``every`` with a multiplication by its float32
    reciprocal): the stair index is
    one too small for that one step, and the rate drops one step late.
    Single eager calls (one Python int) divide exactly.  This runs that
    computation in JAX under ``jax.jit`` and returns the steps where it
    differs from the exact ``t // every`` (an empty list: no pitfall for
    this ``every`` and ``n``).  The code :func:`code` writes divides
    integers instead and never switches late.

    ``every`` may also be a sequence of integers: the result is then a dict
    ``{every: steps}``, computed in one compiled call instead of one
    compilation per ``every`` (tens of milliseconds each).  The divisors are
    still constants of the compiled code, as in training, and XLA makes the
    same multiplication by each one's float32 reciprocal.

    >>> late_stair_steps(41, 124)  # doctest: +SKIP
    [41, 82]
    >>> late_stair_steps([40, 41], 124)  # doctest: +SKIP
    {40: [], 41: [41, 82]}
    """
    import jax
    import jax.numpy as jnp

    n = _validate.integer("n", n, low=0)
    if isinstance(every, (list, tuple, range, np.ndarray)):
        # float32 holds every integer up to 2**24 exactly: each divisor is the every itself
        everys = [_validate.integer("every", e, low=1, high=2**24) for e in every]
        divisors = np.asarray(everys, dtype=np.float32).reshape(-1, 1)
        stairs = jax.jit(lambda t: jnp.floor(t.astype(jnp.float32)[None, :] / divisors))(jnp.arange(n))
        stairs, steps = np.asarray(stairs, dtype=np.float64), np.arange(n)
        return {e: [int(t) for t in np.flatnonzero(row != steps // e)] for e, row in zip(everys, stairs)}
    every = _validate.integer("every", every, low=1)
    steps = jnp.arange(n)
    stair = jax.jit(lambda t: jnp.floor(t.astype(jnp.float32) / every))(steps)
    exact = np.arange(n) // every
    return [int(t) for t in np.flatnonzero(np.asarray(stair, dtype=np.float64) != exact)]
