r"""The same schedules in PyTorch, Keras 3 and Optax, and the rates they give.

For a decaylib schedule, :func:`code` writes the framework code that builds
the equivalent scheduler (the code a reader would type), and
:func:`torch_scheduler`, :func:`keras_schedule`, :func:`optax_schedule` run
exactly that code, so what the book shows is what the tests check.
:func:`rates` returns the framework's learning rates for epochs
``0 .. n-1`` as a float64 numpy array, to compare with decaylib's.

Conventions (one epoch = one scheduler step here):

========================  =========================================  ==========================================
framework                 how ``t`` advances                         state
========================  =========================================  ==========================================
PyTorch ``lr_scheduler``  ``t`` = number of ``scheduler.step()``     stateful: ``step()`` mutates the optimizer's
                          calls; one call per epoch, after           ``lr``; resume with ``state_dict()``
                          ``optimizer.step()``
Keras 3 schedules         ``step`` = optimizer iterations from 0     pure function ``schedule(step)``
Optax schedules           ``count`` = updates from 0                 pure function ``schedule(count)``
========================  =========================================  ==========================================

Where a boundary lands: decaylib, PyTorch's ``MultiStepLR`` and Optax's
``piecewise_constant_schedule`` switch *at* ``t = b``; Keras's
``PiecewiseConstantDecay`` switches at ``t = b + 1`` (it tests
``step > b``), so the equivalent Keras boundaries are ``b - 1``
(:func:`literal_piecewise_rates` shows what happens when they are passed
unchanged).

Frameworks are imported inside the functions that need them: ``import
decaylib.frameworks`` costs nothing.  Keras runs on the backend named by
``KERAS_BACKEND`` (the book uses ``jax``).

What agrees, and how closely (:func:`tolerance` returns it; the tests run
the code :func:`code` writes in each framework, on arrays and under
``jax.jit``, step for step over thousands of steps and random parameters):
at every step ``t < n``, ``|framework - decaylib| <= rtol |decaylib| + atol``
with ``u = 2**-53`` for PyTorch (the rate is a Python float) and
``u = 2**-24`` for Keras and Optax (float32, ``n <= 2**24``), and

==============================  ======================================  ===========================
schedule                        rtol                                    atol
==============================  ======================================  ===========================
exponential                     ``(8 + (n - 1) c) u``                   ``f``
step decay                      ``(8 + ((n - 1) // every) c) u``        ``f``
piecewise (PyTorch, Optax)      ``(8 + 8 m) u``, m switches             ``f``
cosine, linear                  ``8 u``                                 ``8 u`` x the peak rate
the rest                        ``8 u``                                 ``f``
==============================  ======================================  ===========================

where ``c = 2`` for PyTorch and ``2 + |ln eps|`` for float32, and
``f = tiny max(1, peak rate)`` with ``tiny`` the smallest normal number
(``2**-1022``, float32 ``2**-126``): below it a float keeps few digits, and
XLA flushes a float32 ``eps**t`` there to 0 before multiplying by ``lr0``.
A rate that is
multiplied by a rounded factor once a step (``ExponentialLR``, float32's
``eps``, ``MultiStepLR``'s ``gamma``) drifts by about one rounding a step,
so the relative agreement of an exponential over 1,000 float32 steps is
about ``1e-4``, not ``1e-6``; near a zero rate (cosine, a ramp from 0) the
error is a rounding of the peak rate, so there the bound is absolute.  The
code keeps every digit of the parameters (``repr``), and staircases
divide integers: Keras's and Optax's own ``staircase=True`` floors a
float32 quotient that XLA can round down, one step late
(:func:`late_stair_steps`).

>>> import decaylib
>>> from decaylib.frameworks import code
>>> print(code(decaylib.step_decay(lr0=0.1, eps=0.5, every=10), "pytorch"))
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
"""
from __future__ import annotations

import contextlib
import math

import numpy as np

from . import _validate
from .schedule import Schedule
from .stepped import PiecewiseConstant, Staircase

__all__ = [
    "FRAMEWORKS",
    "code",
    "optional",
    "keras_rates",
    "keras_schedule",
    "late_stair_steps",
    "literal_piecewise_rates",
    "optax_rates",
    "optax_schedule",
    "rates",
    "tolerance",
    "torch_rates",
    "torch_scheduler",
]

#: the frameworks this module maps to, by the names :func:`rates` accepts
FRAMEWORKS = ("pytorch", "keras", "optax")

#: top-level module -> (what a reader calls it, its size in a venv)
_PACKAGES = {"torch": ("PyTorch", "~750 MB"), "keras": ("Keras 3", "~40 MB with JAX"),
             "jax": ("JAX", "~620 MB"), "jaxlib": ("JAX", "~620 MB"), "optax": ("Optax", "~620 MB with JAX")}


@contextlib.contextmanager
def optional():
    """Run a block that needs a framework; if it is not installed, say how to get it in one line.

    The notebooks' framework cells run inside ``with optional():`` so that a
    learner's environment without PyTorch, Keras or Optax (``make lab``)
    prints one line instead of a traceback.  Every other error propagates.

    >>> with optional():
    ...     raise ModuleNotFoundError("No module named 'torch'", name="torch")
    PyTorch is not installed here, so this cell is skipped: `make lab FRAMEWORKS=1` (or `pip install 'decaylib[frameworks]'`) adds it (~750 MB).
    """
    try:
        yield
    except ModuleNotFoundError as err:
        root = (err.name or "").partition(".")[0]
        if root not in _PACKAGES:
            raise
        name, size = _PACKAGES[root]
        print(f"{name} is not installed here, so this cell is skipped: `make lab FRAMEWORKS=1` "
              f"(or `pip install 'decaylib[frameworks]'`) adds it ({size}).")


def _r(x) -> str:
    """A parameter as code: its ``repr``, every digit (``0.1``, ``0.123456789012345``)."""
    return repr(float(x))


def _short(x) -> str:
    """A derived number (a ratio of two parameters) as code: the shortest ``repr``
    within one ulp, so ``0.01 / 0.1`` prints as ``0.1``, not ``0.09999999999999999``."""
    x = float(x)
    near = (x, math.nextafter(x, 0.0), math.nextafter(x, math.inf))
    return min((repr(y) for y in near if math.isfinite(y)), key=len)


def _i(x) -> str:
    return repr(int(x))


def _is_geometric(values) -> bool:
    """One ratio between neighbours, up to the rounding of the values (2 ulps)."""
    ratios = [b / a for a, b in zip(values, values[1:])]
    return all(math.isclose(r, ratios[0], rel_tol=2.0**-51) for r in ratios)


def _epoch_pieces(boundaries, values):
    """``(milestones, values)`` at whole epochs: a boundary ``b`` acts at epoch
    ``ceil(b)``, and boundaries inside one epoch merge (the last value wins)."""
    milestones, out = [], [values[0]]
    for b, v in zip(boundaries, values[1:]):
        m = math.ceil(b)
        if milestones and milestones[-1] == m:
            out[-1] = v
        else:
            milestones.append(m)
            out.append(v)
    return milestones, out


def _kind(s):
    """``(kind, params)`` of a schedule this module can map, else ValueError."""
    if not isinstance(s, Schedule):
        raise ValueError(f"schedule must be a decaylib Schedule, got {s!r}")
    if isinstance(s, PiecewiseConstant):
        milestones, values = _epoch_pieces(s.params["boundaries"], s.params["values"])
        if not milestones:  # no boundary: a constant rate
            return "constant", {"lr0": values[0]}
        return "piecewise_constant", {"milestones": milestones, "values": values}
    if isinstance(s, Staircase):
        inner = s.inner
        if inner.family in ("inverse_time", "exponential", "inverse_sqrt"):
            return "staircase_" + inner.family, dict(inner.params, every=s.every)
        raise ValueError(f"no framework mapping for a staircase of {inner.family!r}: "
                         "supported inner schedules are inverse_time, exponential, inverse_sqrt")
    if s.family in ("inverse_time", "exponential", "inverse_sqrt", "constant", "cosine", "linear"):
        return s.family, s.params
    raise ValueError(f"no framework mapping for {s.family!r} schedules: supported are inverse_time, exponential, "
                     "inverse_sqrt, constant, cosine, linear, piecewise_constant and staircases of the first three")


# -- the code, per framework -----------------------------------------------------

def _torch_parts(s):
    """``(base_lr, scheduler_code)``: ``optimizer`` must have lr = base_lr."""
    kind, p = _kind(s)
    L = "torch.optim.lr_scheduler."
    if kind == "inverse_time":
        return p["lr0"], f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: 1 / (1 + {_r(p['decay_rate'])} * epoch))"
    if kind == "exponential":
        return p["lr0"], f"{L}ExponentialLR(optimizer, gamma={_r(p['eps'])})"
    if kind == "inverse_sqrt":
        return p["lr0"], f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: {_r(p['k'])} / math.sqrt(epoch + 1))"
    if kind == "constant":
        return p["lr0"], f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: 1.0)"
    if kind == "cosine":
        lr0, T, lo = _r(p["lr0"]), _i(p["total"]), _r(p["lr_min"])
        return p["lr0"], (
            f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: ({lo} + ({lr0} - {lo}) "
            f"* (1 + math.cos(math.pi * min(epoch, {T}) / {T})) / 2) / {lr0})\n"
            f"# CosineAnnealingLR(optimizer, T_max={T}, eta_min={lo}) agrees up to epoch {T}, "
            "then rises again")
    if kind == "linear":
        base = max(p["start"], p["end"])
        a, b, S = _r(p["start"]), _r(p["end"]), _i(p["steps"])
        return base, (f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: "
                      f"({a} + ({b} - {a}) * min(epoch, {S}) / {S}) / {_r(base)})")
    if kind == "piecewise_constant":
        milestones, vs = p["milestones"], p["values"]  # PyTorch counts whole epochs
        if _is_geometric(vs):
            return vs[0], (f"{L}MultiStepLR(optimizer, milestones={milestones!r}, "
                           f"gamma={_short(vs[1] / vs[0])})")
        factors = "[" + ", ".join(_short(v / vs[0]) for v in vs) + "]"
        return vs[0], (f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: "
                       f"{factors}[bisect.bisect_right({milestones!r}, epoch)])")
    if kind == "staircase_exponential":
        return p["lr0"], f"{L}StepLR(optimizer, step_size={_i(p['every'])}, gamma={_r(p['eps'])})"
    if kind == "staircase_inverse_time":
        return p["lr0"], (f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: "
                          f"1 / (1 + {_r(p['decay_rate'])} * (epoch // {_i(p['every'])})))")
    if kind == "staircase_inverse_sqrt":
        return p["lr0"], (f"{L}LambdaLR(optimizer, lr_lambda=lambda epoch: "
                          f"{_r(p['k'])} / math.sqrt(epoch // {_i(p['every'])} + 1))")
    raise AssertionError(kind)  # pragma: no cover - _kind guards


_KERAS_INVERSE_SQRT = '''\
class InverseSqrtDecay(keras.optimizers.schedules.LearningRateSchedule):
    """initial_learning_rate * k / sqrt(1 + step); no built-in in Keras."""

    def __init__(self, initial_learning_rate, k):
        self.initial_learning_rate, self.k = initial_learning_rate, k

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return self.initial_learning_rate * self.k / keras.ops.sqrt(1.0 + step)

    def get_config(self):
        return dict(initial_learning_rate=self.initial_learning_rate, k=self.k)

'''

#: why the staircases are written with integer division (the pitfall :func:`late_stair_steps` finds)
_STAIR_NOTE = '''\
# Not staircase=True: that floors float32(step) / {every}, and XLA's float32 division
# (on arrays, under jax.jit) can land just below a whole number, so the rate drops
# one step late (decaylib.frameworks.late_stair_steps lists where).  The integer
# division step // {every} is exact.
'''

_KERAS_STAIRS = '''\
class Stairs(keras.optimizers.schedules.LearningRateSchedule):
    """schedule(step // every): the rate held for every steps at a time."""

    def __init__(self, schedule, every):
        self.schedule, self.every = schedule, every

    def __call__(self, step):
        return self.schedule(keras.ops.floor_divide(step, self.every))

    def get_config(self):
        return dict(schedule=keras.optimizers.schedules.serialize(self.schedule), every=self.every)

'''


def _keras_code(s):
    kind, p = _kind(s)
    S = "keras.optimizers.schedules."
    if kind == "inverse_time":
        return (f"schedule = {S}InverseTimeDecay(initial_learning_rate={_r(p['lr0'])}, decay_steps=1, "
                f"decay_rate={_r(p['decay_rate'])})")
    if kind == "exponential":
        return (f"schedule = {S}ExponentialDecay(initial_learning_rate={_r(p['lr0'])}, decay_steps=1, "
                f"decay_rate={_r(p['eps'])})")
    if kind == "inverse_sqrt":
        return _KERAS_INVERSE_SQRT + f"schedule = InverseSqrtDecay({_r(p['lr0'])}, k={_r(p['k'])})"
    if kind == "constant":
        return f"schedule = {_r(p['lr0'])}  # Keras optimizers take a float learning_rate"
    if kind == "cosine":
        return (f"schedule = {S}CosineDecay(initial_learning_rate={_r(p['lr0'])}, decay_steps={_i(p['total'])}, "
                f"alpha={_short(p['lr_min'] / p['lr0'])})  # alpha = lr_min / lr0")
    if kind == "linear":
        return (f"schedule = {S}PolynomialDecay(initial_learning_rate={_r(p['start'])}, "
                f"decay_steps={_i(p['steps'])}, end_learning_rate={_r(p['end'])}, power=1.0)")
    if kind == "piecewise_constant":
        shifted = [m - 1 for m in p["milestones"]]
        values = "[" + ", ".join(_r(v) for v in p["values"]) + "]"
        return (f"# Keras switches at step b + 1: pass each boundary minus 1\n"
                f"schedule = {S}PiecewiseConstantDecay(boundaries={shifted!r}, values={values})")
    every = _i(p.get("every", 1))
    if kind == "staircase_exponential":
        inner = f"{S}ExponentialDecay(initial_learning_rate={_r(p['lr0'])}, decay_steps=1, decay_rate={_r(p['eps'])})"
    elif kind == "staircase_inverse_time":
        inner = (f"{S}InverseTimeDecay(initial_learning_rate={_r(p['lr0'])}, decay_steps=1, "
                 f"decay_rate={_r(p['decay_rate'])})")
    elif kind == "staircase_inverse_sqrt":
        inner = f"InverseSqrtDecay({_r(p['lr0'])}, k={_r(p['k'])})"
    else:  # pragma: no cover
        raise AssertionError(kind)
    classes = _KERAS_INVERSE_SQRT if kind == "staircase_inverse_sqrt" else ""
    return (_STAIR_NOTE.format(every=every) + classes + _KERAS_STAIRS
            + f"schedule = Stairs({inner}, every={every})")


def _optax_code(s):
    kind, p = _kind(s)
    if kind == "inverse_time":
        return f"schedule = lambda count: {_r(p['lr0'])} / (1 + {_r(p['decay_rate'])} * count)  # no built-in"
    if kind == "exponential":
        return (f"schedule = optax.exponential_decay(init_value={_r(p['lr0'])}, transition_steps=1, "
                f"decay_rate={_r(p['eps'])})")
    if kind == "inverse_sqrt":
        return f"schedule = lambda count: {_r(p['lr0'])} * {_r(p['k'])} / jnp.sqrt(count + 1)  # no built-in"
    if kind == "constant":
        return f"schedule = optax.constant_schedule({_r(p['lr0'])})"
    if kind == "cosine":
        return (f"schedule = optax.cosine_decay_schedule(init_value={_r(p['lr0'])}, decay_steps={_i(p['total'])}, "
                f"alpha={_short(p['lr_min'] / p['lr0'])})  # alpha = lr_min / lr0")
    if kind == "linear":
        return (f"schedule = optax.linear_schedule(init_value={_r(p['start'])}, end_value={_r(p['end'])}, "
                f"transition_steps={_i(p['steps'])})")
    if kind == "piecewise_constant":
        vs = p["values"]
        scales = ", ".join(f"{m}: {_short(b2 / b1)}" for m, b1, b2 in zip(p["milestones"], vs, vs[1:]))
        return (f"# Optax multiplies by each scale from its boundary on\n"
                f"schedule = optax.piecewise_constant_schedule(init_value={_r(vs[0])}, "
                f"boundaries_and_scales={{{scales}}})")
    every = _i(p.get("every", 1))
    note = _STAIR_NOTE.format(every=every)
    if kind == "staircase_exponential":
        return note + (f"stairs = optax.exponential_decay(init_value={_r(p['lr0'])}, transition_steps=1, "
                       f"decay_rate={_r(p['eps'])})\n"
                       f"schedule = lambda count: stairs(count // {every})")
    if kind == "staircase_inverse_time":
        return note + (f"schedule = lambda count: {_r(p['lr0'])} / "
                       f"(1 + {_r(p['decay_rate'])} * (count // {every}))  # no built-in")
    if kind == "staircase_inverse_sqrt":
        return note + (f"schedule = lambda count: {_r(p['lr0'])} * {_r(p['k'])} / "
                       f"jnp.sqrt(count // {every} + 1)  # no built-in")
    raise AssertionError(kind)  # pragma: no cover


def _framework(name):
    if name not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {list(FRAMEWORKS)}, got {name!r}")
    return name


def code(schedule, framework) -> str:
    """The framework code that builds the equivalent of ``schedule``.

    PyTorch code assumes ``params`` (the model's parameters) and ends with
    ``scheduler``; Keras and Optax code ends with ``schedule``.  Needs
    ``import math, bisect, torch`` / ``import keras`` / ``import optax,
    jax.numpy as jnp`` as appropriate.
    """
    framework = _framework(framework)
    if framework == "pytorch":
        base, sched = _torch_parts(schedule)
        return f"optimizer = torch.optim.SGD(params, lr={_r(base)})\nscheduler = {sched}"
    if framework == "keras":
        return _keras_code(schedule)
    return _optax_code(schedule)


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


def late_stair_steps(every, n) -> list:
    """The steps ``t < n`` at which a built-in ``staircase=True`` schedule switches late.

    Keras's ``ExponentialDecay`` and ``InverseTimeDecay`` with
    ``staircase=True`` and Optax's ``exponential_decay(..., staircase=True)``
    all take ``floor(float32(t) / every)``.  On arrays and under ``jax.jit``
    (a training step) XLA's float32 division on the CPU can give a number
    just below a whole one at ``t = every, 2 every, ...``: the stair index is
    one too small for that one step, and the rate drops one step late.
    Single eager calls (one Python int) divide exactly.  This runs that
    computation in JAX under ``jax.jit`` and returns the steps where it
    differs from the exact ``t // every`` (an empty list: no pitfall for
    this ``every`` and ``n``).  The code :func:`code` writes divides
    integers instead and never switches late.

    >>> late_stair_steps(41, 124)  # doctest: +SKIP
    [41, 82]
    """
    import jax
    import jax.numpy as jnp

    every = _validate.integer("every", every, low=1)
    n = _validate.integer("n", n, low=0)
    steps = jnp.arange(n)
    stair = jax.jit(lambda t: jnp.floor(t.astype(jnp.float32) / every))(steps)
    exact = np.arange(n) // every
    return [int(t) for t in np.flatnonzero(np.asarray(stair, dtype=np.float64) != exact)]


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
