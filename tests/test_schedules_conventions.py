"""The course's graded values and the frameworks' documented conventions.

Source: ``/work/shared/FIELD-NOTES.md`` (read from the frameworks' source).
Each framework rule is written out here in plain Python, as the framework
documents it, and decaylib must reproduce it with its own schedules -- at the
boundary epochs b - 1, b and b + 1 especially.  (Importing the frameworks
themselves is tests/test_frameworks.py's job.)
"""
import bisect
import math

import numpy as np
import pytest

from decaylib import (
    cosine,
    exponential,
    inverse_sqrt,
    inverse_time,
    join,
    constant,
    piecewise_constant,
    staircase,
    step_decay,
)


# -- the course notebook's graded values ---------------------------------------

def update_lr(learning_rate0, epoch_num, decay_rate):
    """The course's graded function, as its notebook states it."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """The course's staircase version: alpha0 / (1 + d * floor(epoch / interval))."""
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))


def test_course_update_lr_graded_value():
    s = inverse_time(lr0=0.5, decay_rate=1)
    assert s(2) == pytest.approx(0.16666666666666666, rel=1e-15)
    assert s(2) == pytest.approx(1 / 6, rel=1e-15)
    for epoch in range(50):
        assert s(epoch) == pytest.approx(update_lr(0.5, epoch, 1), rel=1e-15)


def test_course_schedule_lr_decay_graded_values():
    s = staircase(inverse_time(lr0=0.5, decay_rate=0.3), every=100)
    assert s(10) == 0.5
    assert s(100) == pytest.approx(0.38461538461538464, rel=1e-15)
    assert s(100) == pytest.approx(0.5 / 1.3, rel=1e-15)
    for epoch in [0, 1, 10, 99, 100, 101, 199, 200, 201, 999, 1000]:
        assert s(epoch) == pytest.approx(schedule_lr_decay(0.5, epoch, 0.3, 100), rel=1e-15)


def test_course_loop_decays_after_each_epoch_so_epochs_0_and_1_share_alpha0():
    """The course's loop uses alpha0 in its epochs 0 and 1: decaylib's t = epoch - 1 from then on."""
    s = inverse_time(0.5, 1.0)
    course = [0.5] + [update_lr(0.5, e, 1.0) for e in range(0, 9)]  # lr used during epoch 0, 1, ..., 9
    assert course[0] == course[1] == s(0)
    assert course[1:] == pytest.approx([s(t) for t in range(9)], rel=1e-15)


# -- PyTorch torch.optim.lr_scheduler -------------------------------------------

def torch_steplr(lr0, step_size, gamma, t):
    return lr0 * gamma ** (t // step_size)


def torch_multisteplr(lr0, milestones, gamma, t):
    return lr0 * gamma ** bisect.bisect_right(milestones, t)


@pytest.mark.parametrize("lr0,gamma,n", [(0.1, 0.5, 10), (1.0, 0.1, 30), (0.05, 0.95, 1), (0.3, 1.0, 4)])
def test_pytorch_steplr_is_step_decay(lr0, gamma, n):
    s = step_decay(lr0, gamma, n)
    for b in (n, 2 * n, 5 * n):
        for t in (b - 1, b, b + 1):
            assert s(t) == pytest.approx(torch_steplr(lr0, n, gamma, t), rel=1e-14), (b, t)
    # the drop happens AT the multiple of step_size
    if gamma < 1:
        assert s(n - 1) == lr0 and s(n) < lr0


def test_pytorch_exponentiallr_is_exponential():
    s = exponential(0.1, 0.9)
    for t in range(100):
        assert s(t) == pytest.approx(0.1 * 0.9**t, rel=1e-13)


def test_pytorch_multisteplr_is_piecewise_constant_switching_at_the_milestone():
    milestones, gamma, lr0 = [30, 80, 120], 0.1, 0.1
    s = piecewise_constant(milestones, [lr0 * gamma**i for i in range(len(milestones) + 1)])
    for b in milestones:
        for t in (b - 1, b, b + 1):
            assert s(t) == pytest.approx(torch_multisteplr(lr0, milestones, gamma, t), rel=1e-14), (b, t)
        assert s(b) < s(b - 1)


def test_pytorch_lambdalr_inverse_time_and_inverse_sqrt():
    d, lr0 = 0.25, 0.2
    s_it, s_is = inverse_time(lr0, d), inverse_sqrt(lr0, 1.0)
    for t in range(200):
        assert s_it(t) == pytest.approx(lr0 * (1 / (1 + d * t)), rel=1e-15)
        # d2l.ai's eta0 * (t + 1) ** -0.5, the source's k / sqrt(epoch) with epoch = t + 1
        assert s_is(t) == pytest.approx(lr0 * (t + 1) ** -0.5, rel=1e-15)


# -- Keras 3 keras.optimizers.schedules -----------------------------------------

def keras_piecewise(boundaries, values, step):
    """PiecewiseConstantDecay: values[0] for step <= b[0], values[i] for b[i-1] < step <= b[i] ..."""
    for i, b in enumerate(boundaries):
        if step <= b:
            return values[i]
    return values[-1]


def keras_exponential(lr0, decay_steps, decay_rate, step, staircase=False):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return lr0 * decay_rate**p


def keras_inverse_time(lr0, decay_steps, decay_rate, step, staircase=False):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return lr0 / (1 + decay_rate * p)


def keras_cosine(lr0, decay_steps, alpha, step):
    step = min(step, decay_steps)
    cosine_decay = 0.5 * (1 + math.cos(math.pi * step / decay_steps))
    return lr0 * ((1 - alpha) * cosine_decay + alpha)


def test_keras_piecewise_constant_switches_one_step_later():
    boundaries, values = [100, 250], [1.0, 0.5, 0.1]
    ours = piecewise_constant([b + 1 for b in boundaries], values)
    same_numbers = piecewise_constant(boundaries, values)
    for b in boundaries:
        for t in (b - 1, b, b + 1):
            assert ours(t) == keras_piecewise(boundaries, values, t), (b, t)
        # with the same numbers, decaylib (like PyTorch/Optax) switches one step earlier
        assert same_numbers(b) != keras_piecewise(boundaries, values, b)
        assert same_numbers(b + 1) == keras_piecewise(boundaries, values, b + 1)


@pytest.mark.parametrize("decay_steps", [1, 10])
def test_keras_exponential_decay_and_its_staircase(decay_steps):
    lr0, r = 0.1, 0.96
    smooth = exponential(lr0, r ** (1 / decay_steps))
    stairs = step_decay(lr0, r, decay_steps)
    for b in (decay_steps, 3 * decay_steps, 50 * decay_steps):
        for t in (b - 1, b, b + 1):
            assert smooth(t) == pytest.approx(keras_exponential(lr0, decay_steps, r, t), rel=1e-12)
            assert stairs(t) == pytest.approx(keras_exponential(lr0, decay_steps, r, t, staircase=True), rel=1e-14)


@pytest.mark.parametrize("decay_steps", [1, 7])
def test_keras_inverse_time_decay_and_its_staircase(decay_steps):
    lr0, r = 0.1, 0.5
    smooth = inverse_time(lr0, r / decay_steps)
    stairs = staircase(inverse_time(lr0, r), decay_steps)
    for b in (decay_steps, 4 * decay_steps):
        for t in (b - 1, b, b + 1):
            assert smooth(t) == pytest.approx(keras_inverse_time(lr0, decay_steps, r, t), rel=1e-14)
            assert stairs(t) == pytest.approx(keras_inverse_time(lr0, decay_steps, r, t, True), rel=1e-14)


def test_keras_cosine_decay_clamps_at_decay_steps_like_decaylib():
    lr0, T, alpha = 0.1, 100, 0.1
    s = cosine(lr0, T, lr_min=alpha * lr0)
    for t in list(range(0, 100, 7)) + [T - 1, T, T + 1, 3 * T]:
        assert s(t) == pytest.approx(keras_cosine(lr0, T, alpha, t), rel=1e-12, abs=1e-17), t
    # PyTorch's CosineAnnealingLR would rise again after T_max; decaylib stays put
    assert s(T + 1) == s(2 * T) == alpha * lr0


# -- Optax -----------------------------------------------------------------------

def optax_piecewise_constant_schedule(init_value, boundaries_and_scales, count):
    """Optax's own loop: indicator = max(0, sign(threshold - count)), so it scales AT count == b."""
    v = init_value
    for threshold, scale in sorted(boundaries_and_scales.items()):
        indicator = max(0.0, float(np.sign(threshold - count)))
        v = v * indicator + (1 - indicator) * scale * v
    return v


def optax_exponential_decay(init_value, transition_steps, decay_rate, count, transition_begin=0,
                            staircase=False):
    p = max(count - transition_begin, 0) / transition_steps
    if staircase:
        p = math.floor(p)
    return init_value * decay_rate**p


def test_optax_piecewise_constant_schedule_switches_at_the_boundary():
    scales = {100: 0.1, 200: 0.1}
    s = piecewise_constant([100, 200], [1.0, 0.1, 0.1 * 0.1])
    for b in scales:
        for t in (b - 1, b, b + 1):
            assert s(t) == pytest.approx(optax_piecewise_constant_schedule(1.0, scales, t), rel=1e-14)


def test_optax_exponential_decay_staircase_and_transition_begin():
    stairs = step_decay(0.1, 0.5, 25)
    delayed = join([constant(0.1), exponential(0.1, 0.5)], [10])  # transition_begin=10
    for b in (25, 50, 75):
        for t in (b - 1, b, b + 1):
            assert stairs(t) == pytest.approx(optax_exponential_decay(0.1, 25, 0.5, t, staircase=True), rel=1e-14)
    for t in (9, 10, 11, 40):
        assert delayed(t) == pytest.approx(optax_exponential_decay(0.1, 1, 0.5, t, transition_begin=10), rel=1e-14)
