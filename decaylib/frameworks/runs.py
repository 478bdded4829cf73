r"""Run the generated code in the framework itself and read its learning rates back as numpy arrays."""
from __future__ import annotations

import math

import numpy as np

from .. import _validate

from .codegen import _framework, _is_geometric, _keras_code, _optax_code, _torch_parts


# -- building the objects by running that code -----------------------------------

def torch_scheduler(schedule, optimizer=None):
    """The PyTorch ``LRScheduler`` equivalent to ``schedule`` (runs :func:`code`).

    Parameters
    ----------
    schedule : Schedule
    optimizer : torch.optim.Optimizer, optional
        Its param groups' ``lr`` is set to the schedule's base rate before the
        scheduler is attached; by default an SGD over one dummy parameter.

    Notes
    -----
    Mapping (one ``scheduler.step()`` per epoch): inverse time ->
    ``LambdaLR(1 / (1 + decay_rate * epoch))``; exponential ->
    ``ExponentialLR(gamma=eps)``; inverse sqrt -> ``LambdaLR(k /
    sqrt(epoch + 1))``; step decay -> ``StepLR(step_size=every,
    gamma=eps)``; piecewise with geometric values -> ``MultiStepLR(milestones
    = boundaries, gamma = values[1] / values[0])`` (both switch at the
    boundary), else ``LambdaLR``; cosine -> ``LambdaLR`` (``CosineAnnealingLR``
    agrees up to ``total`` and then rises); the rest ``LambdaLR``.
    """
    import bisect

    import torch

    base, sched = _torch_parts(schedule)
    if optimizer is None:
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base)
    for group in optimizer.param_groups:
        group["lr"] = base
        group.pop("initial_lr", None)
    namespace = {"torch": torch, "math": math, "bisect": bisect, "optimizer": optimizer}
    exec(compile("scheduler = " + sched, "<decaylib.frameworks>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace["scheduler"]


def keras_schedule(schedule):
    """The Keras 3 schedule equivalent to ``schedule``, evaluated at ``step = t`` (runs :func:`code`).

    Notes
    -----
    Mapping (``decay_steps=1``: one step per epoch): inverse time ->
    ``InverseTimeDecay(lr0, 1, decay_rate)``; exponential ->
    ``ExponentialDecay(lr0, 1, eps)``; step decay ->
    ``Stairs(ExponentialDecay(lr0, 1, eps), every)``, a small subclass that
    evaluates its schedule at ``step // every``; the course's staircase ->
    ``Stairs(InverseTimeDecay(lr0, 1, decay_rate), every)`` (not
    ``staircase=True``: it floors a float32 quotient that XLA can round
    down, see :func:`late_stair_steps`); piecewise ->
    ``PiecewiseConstantDecay(boundaries = b - 1, values)`` (Keras switches
    at ``b + 1``); cosine -> ``CosineDecay(lr0, total, alpha=lr_min /
    lr0)``; linear -> ``PolynomialDecay(power=1)``; inverse sqrt -> a
    ``LearningRateSchedule`` subclass; constant -> a float.  With
    ``steps_per_epoch`` batches an epoch, multiply ``every`` and the
    boundaries by it.
    """
    import keras

    namespace = {"keras": keras, "math": math}
    exec(compile(_keras_code(schedule), "<decaylib.frameworks>", "exec"), namespace)  # noqa: S102
    return namespace["schedule"]


def optax_schedule(schedule):
    """The Optax schedule equivalent to ``schedule``, evaluated at ``count = t`` (runs :func:`code`).

    Notes
    -----
    Mapping (``transition_steps=1``): exponential ->
    ``exponential_decay(lr0, 1, eps)``; step decay -> that schedule
    evaluated at ``count // every`` (not ``staircase=True``, see
    :func:`late_stair_steps`); piecewise -> ``piecewise_constant_schedule(values[0],
    {b: values[i+1] / values[i]})`` (scales, switching at ``b``); cosine ->
    ``cosine_decay_schedule(lr0, total, alpha=lr_min / lr0)``; linear ->
    ``linear_schedule``; constant -> ``constant_schedule``; inverse time,
    inverse sqrt and their staircases -> a ``jnp`` callable (no built-in).
    """
    import jax.numpy as jnp
    import optax

    namespace = {"optax": optax, "jnp": jnp, "math": math}
    exec(compile(_optax_code(schedule), "<decaylib.frameworks>", "exec"), namespace)  # noqa: S102
    return namespace["schedule"]


def torch_rates(schedule, n) -> np.ndarray:
    """PyTorch's rates for epochs ``0 .. n-1``, stepped the usual way.

    Each epoch reads ``optimizer.param_groups[0]["lr"]``, then calls
    ``optimizer.step()`` (the training) and ``scheduler.step()`` once.
    """
    import warnings

    n = _validate.integer("n", n, low=0)
    scheduler = torch_scheduler(schedule)
    optimizer = scheduler.optimizer
    out = np.empty(n, dtype=np.float64)
    with warnings.catch_warnings():
        # a LambdaLR holding a lambda cannot be pickled: PyTorch says so once
        warnings.filterwarnings("ignore", message=".*lr_lambda.*", category=UserWarning)
        for epoch in range(n):
            out[epoch] = optimizer.param_groups[0]["lr"]
            optimizer.step()
            scheduler.step()
    return out


def _as_rates(values, n):
    arr = np.asarray(values, dtype=np.float64)
    return np.broadcast_to(arr, (n,)).copy() if arr.ndim == 0 else arr.reshape(n)


def _on_array(sched, steps, jit):
    """``sched`` evaluated on the whole array ``steps`` at once, compiled by ``jax.jit`` if asked
    (the way a training step runs it)."""
    if jit:
        import jax

        return jax.jit(sched)(steps)
    return sched(steps)


def keras_rates(schedule, n, *, jit=False) -> np.ndarray:
    """Keras's rates ``schedule(step)`` for ``step = 0 .. n-1`` (float32 -> float64).

    The steps are one array; ``jit=True`` compiles the call with ``jax.jit``
    (needs ``KERAS_BACKEND=jax``), as inside a training step.
    """
    n = _validate.integer("n", n, low=0)
    sched = keras_schedule(schedule)
    if isinstance(sched, float):
        return np.full(n, sched)
    return _as_rates(_on_array(sched, np.arange(n), jit), n)


def optax_rates(schedule, n, *, jit=False) -> np.ndarray:
    """Optax's rates ``schedule(count)`` for ``count = 0 .. n-1`` (float32 -> float64).

    The counts are one ``jnp.arange``; ``jit=True`` compiles the call with ``jax.jit``.
    """
    import jax.numpy as jnp

    n = _validate.integer("n", n, low=0)
    return _as_rates(_on_array(optax_schedule(schedule), jnp.arange(n), jit), n)


def rates(schedule, n, framework, *, jit=False) -> np.ndarray:
    """The learning rates of ``framework``'s equivalent of ``schedule`` for epochs ``0 .. n-1``.

    ``jit=True`` compiles the Keras and Optax schedules with ``jax.jit``;
    PyTorch's schedulers are stepped in Python either way.
    """
    framework = _framework(framework)
    if framework == "pytorch":
        return torch_rates(schedule, n)
    return {"keras": keras_rates, "optax": optax_rates}[framework](schedule, n, jit=jit)


def literal_piecewise_rates(boundaries, values, n, framework) -> np.ndarray:
    """Rates for epochs ``0 .. n-1`` when ``boundaries`` are passed to the framework *unchanged*.

    PyTorch ``MultiStepLR(milestones=boundaries, gamma)`` (``values`` must be
    geometric), Keras ``PiecewiseConstantDecay(boundaries, values)`` and Optax
    ``piecewise_constant_schedule(values[0], {b: ratio})``: shows where each
    framework puts the switch (PyTorch and Optax at ``b``, Keras at ``b + 1``).
    """
    framework = _framework(framework)
    n = _validate.integer("n", n, low=0)
    try:
        boundaries, values = list(boundaries), list(values)
    except TypeError:
        raise ValueError("boundaries and values must be sequences of numbers, got "
                         f"boundaries={boundaries!r}, values={values!r}") from None
    boundaries = [_validate.integer("boundaries", b, low=1) for b in boundaries]
    values = [_validate.positive("values", v) for v in values]
    if any(b2 <= b1 for b1, b2 in zip(boundaries, boundaries[1:])):
        raise ValueError(f"boundaries must be strictly increasing (no repeats), got {boundaries}")
    if len(values) != len(boundaries) + 1:
        raise ValueError(f"values must have len(boundaries) + 1 = {len(boundaries) + 1} entries, got {len(values)}")
    if framework == "pytorch":
        import torch

        if not _is_geometric(values):
            raise ValueError("MultiStepLR needs geometric values (one gamma); got " + repr(values))
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=values[0])
        gamma = values[1] / values[0] if boundaries else 1.0
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=boundaries, gamma=gamma)
        out = []
        for _ in range(n):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return np.asarray(out, dtype=np.float64)
    if framework == "keras":
        import keras

        if not boundaries:  # Keras itself fails on [] (an IndexError inside PiecewiseConstantDecay)
            raise ValueError("boundaries must not be empty for Keras: PiecewiseConstantDecay needs at least one; "
                             f"a constant rate is the float learning_rate={values[0]!r}")
        sched = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)
        return _as_rates(sched(np.arange(n)), n)
    import jax.numpy as jnp
    import optax

    scales = {b: v2 / v1 for b, v1, v2 in zip(boundaries, values, values[1:])}
    return _as_rates(optax.piecewise_constant_schedule(values[0], scales)(jnp.arange(n)), n)
