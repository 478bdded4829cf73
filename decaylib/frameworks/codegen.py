r"""The framework code for a decaylib schedule: what a reader types in PyTorch, Keras 3 or Optax."""
from __future__ import annotations

import math

from ..schedule import Schedule
from ..stepped import PiecewiseConstant, Staircase

#: the frameworks this package maps to, by the names :func:`~decaylib.frameworks.rates` accepts
FRAMEWORKS = ("pytorch", "keras", "optax")


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
