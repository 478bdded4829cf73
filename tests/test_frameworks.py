"""decaylib.frameworks: PyTorch, Keras 3 and Optax give decaylib's rates.

The references are decaylib's own values; the framework side is the real
installed framework running the code that :func:`decaylib.frameworks.code`
prints.  PyTorch keeps the rate as a Python float (rtol 1e-12); Keras and
Optax compute in float32, so they are compared (rtol 1e-6) with decaylib
evaluated at the float32-rounded parameters the framework actually holds
(``0.95`` is not a float32: over 100 epochs ``0.95**t`` drifts by ~1e-6 from
that rounding alone), and with the exact parameters at rtol 2e-5; near a
zero rate (cosine to 0) the float32 error is an ulp of the peak rate, so an
absolute tolerance of 1e-6 times the peak applies too.
"""
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import decaylib  # noqa: E402
from decaylib import frameworks as fw  # noqa: E402

MODULE = {"pytorch": "torch", "keras": "keras", "optax": "optax"}


def need(framework):
    pytest.importorskip(MODULE[framework])


def f32(x):
    return float(np.float32(x))


# schedule, horizon n, the same schedule with float32-rounded parameters
CASES = {
    "inverse_time": (lambda r: decaylib.inverse_time(r(0.5), r(0.3)), 120),
    "inverse_time_course": (lambda r: decaylib.inverse_time(r(0.5), r(1.0)), 10),
    "exponential": (lambda r: decaylib.exponential(r(0.1), r(0.95)), 120),
    "exponential_constant": (lambda r: decaylib.exponential(r(0.1), r(1.0)), 20),
    "inverse_sqrt": (lambda r: decaylib.inverse_sqrt(r(0.1), r(2.0)), 120),
    "constant": (lambda r: decaylib.constant(r(0.05)), 20),
    "cosine": (lambda r: decaylib.cosine(r(0.1), 50, r(0.01)), 80),
    "cosine_to_zero": (lambda r: decaylib.cosine(r(0.1), 30), 40),
    "linear_warmup": (lambda r: decaylib.linear(r(0.0), r(0.1), 10), 20),
    "linear_down": (lambda r: decaylib.linear(r(0.1), r(0.02), 15), 20),
    "piecewise_geometric": (lambda r: decaylib.piecewise_constant([30, 60], [r(0.1), r(0.01), r(0.001)]), 70),
    "piecewise_general": (lambda r: decaylib.piecewise_constant([1, 3.5, 7], [r(0.1), r(0.05), r(0.2), r(0.01)]), 12),
    "step_decay": (lambda r: decaylib.step_decay(r(0.1), r(0.5), 10), 45),
    "staircase_inverse_time": (lambda r: decaylib.staircase(decaylib.inverse_time(r(0.5), r(0.3)), 100), 310),
    "staircase_inverse_sqrt": (lambda r: decaylib.staircase(decaylib.inverse_sqrt(r(0.1), r(1.0)), 7), 30),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
def test_framework_rates_equal_decaylib(framework, case):
    need(framework)
    make, n = CASES[case]
    s = make(float)
    t = np.arange(n)
    got = fw.rates(s, n, framework)
    assert got.shape == (n,) and got.dtype == np.float64
    if framework == "pytorch":
        np.testing.assert_allclose(got, s(t), rtol=1e-12, atol=0)
    else:
        # float32 cancellation where a cosine nears 0 costs an ulp of the peak rate
        atol = 1e-6 * s(t).max()
        np.testing.assert_allclose(got, make(f32)(t), rtol=1e-6, atol=atol)
        np.testing.assert_allclose(got, s(t), rtol=2e-5, atol=atol)


BOUNDARY_CASES = [
    # schedule, boundary epochs b: the rate is checked at b-1, b, b+1
    (decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), [30, 60]),
    (decaylib.piecewise_constant([3.5, 7], [0.1, 0.05, 0.2]), [4, 7]),  # a fractional boundary acts at ceil(b)
    (decaylib.step_decay(0.1, 0.5, 10), [10, 20, 30]),
    (decaylib.staircase(decaylib.inverse_time(0.5, 0.3), 100), [100, 200]),
    (decaylib.cosine(0.1, 50, 0.01), [50]),
    (decaylib.linear(0.0, 0.1, 10), [10]),
]


@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
@pytest.mark.parametrize("case", range(len(BOUNDARY_CASES)))
def test_boundary_epochs(framework, case):
    need(framework)
    s, bounds = BOUNDARY_CASES[case]
    n = max(bounds) + 3
    got = fw.rates(s, n, framework)
    rtol = 1e-12 if framework == "pytorch" else 1e-6
    for b in bounds:
        for e in (b - 1, b, b + 1):
            assert got[e] == pytest.approx(s(e), rel=rtol), (framework, b, e)
    if s.family == "piecewise_constant" or s.family == "staircase":
        b = bounds[0]
        assert got[b - 1] != pytest.approx(got[b], rel=1e-3)  # the switch is AT b
        assert got[b] == pytest.approx(got[b + 1], rel=1e-6)


def test_the_course_values_in_pytorch():
    need("pytorch")
    r = fw.rates(decaylib.staircase(decaylib.inverse_time(0.5, 0.3), 100), 101, "pytorch")
    assert r[10] == 0.5
    assert r[100] == pytest.approx(0.3846153846153846, rel=1e-15)
    r = fw.rates(decaylib.inverse_time(0.5, 1.0), 3, "pytorch")
    assert r[2] == pytest.approx(0.16666666666666666, rel=1e-15)


@pytest.mark.parametrize("framework, first_switch", [("pytorch", 3), ("optax", 3), ("keras", 4)])
def test_where_a_literal_boundary_lands(framework, first_switch):
    """The same boundaries passed unchanged: PyTorch and Optax switch at b, Keras at b + 1."""
    need(framework)
    r = fw.literal_piecewise_rates([3, 6], [1.0, 0.5, 0.25], 9, framework)
    changes = [i for i in range(1, 9) if r[i] != r[i - 1]]
    assert changes == [first_switch, first_switch + 3]
    assert r[0] == 1.0 and r[-1] == 0.25


def test_keras_mapping_shifts_boundaries_and_documents_it():
    src = fw.code(decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), "keras")
    assert "PiecewiseConstantDecay(boundaries=[29, 59]" in src
    assert "b + 1" in src
    assert "decay_steps=1" in fw.code(decaylib.inverse_time(0.5, 0.3), "keras")
    assert "staircase=True" in fw.code(decaylib.step_decay(0.1, 0.5, 10), "keras")
    assert "decay_steps=10" in fw.code(decaylib.step_decay(0.1, 0.5, 10), "keras")


def test_code_strings():
    assert fw.code(decaylib.step_decay(0.1, 0.5, 10), "pytorch") == (
        "optimizer = torch.optim.SGD(params, lr=0.1)\n"
        "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)")
    assert "MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)" in fw.code(
        decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), "pytorch")
    assert "ExponentialLR(optimizer, gamma=0.95)" in fw.code(decaylib.exponential(0.1, 0.95), "pytorch")
    assert "{30: 0.1, 60: 0.1}" in fw.code(decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), "optax")
    assert "exponential_decay(init_value=0.1, transition_steps=10, decay_rate=0.5, staircase=True)" in fw.code(
        decaylib.step_decay(0.1, 0.5, 10), "optax")
    assert "alpha=0.1" in fw.code(decaylib.cosine(0.1, 50, 0.01), "keras")  # alpha = lr_min / lr0


def test_pytorch_cosine_annealing_rises_after_t_max():
    """Why the cosine mapping is a LambdaLR: CosineAnnealingLR agrees up to T_max, then rises."""
    torch = pytest.importorskip("torch")
    s = decaylib.cosine(0.1, 20, 0.01)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, eta_min=0.01)
    r = []
    for _ in range(41):
        r.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    r = np.array(r)
    np.testing.assert_allclose(r[:21], s(np.arange(21)), rtol=1e-12)
    assert r[30] > 0.05 and r[40] == pytest.approx(0.1, rel=1e-12)  # back up to lr0 at 2 T_max
    assert s(40) == 0.01


def test_pytorch_is_stateful_resume_needs_state_dict():
    torch = pytest.importorskip("torch")
    s = decaylib.step_decay(0.1, 0.5, 3)
    first = fw.torch_scheduler(s)
    for _ in range(7):
        first.optimizer.step()
        first.step()
    assert first.optimizer.param_groups[0]["lr"] == pytest.approx(s(7), rel=1e-12)
    # a fresh scheduler starts again from lr0: the classic resume bug
    fresh = fw.torch_scheduler(s)
    assert fresh.optimizer.param_groups[0]["lr"] == s(0)
    # loading the saved state continues where the first left off
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    resumed = fw.torch_scheduler(s, opt)
    opt.load_state_dict(first.optimizer.state_dict())
    resumed.load_state_dict(first.state_dict())
    got = []
    for _ in range(5):
        opt.step()
        resumed.step()
        got.append(opt.param_groups[0]["lr"])
    np.testing.assert_allclose(got, s(np.arange(8, 13)), rtol=1e-12)


@pytest.mark.parametrize("framework", ["keras", "optax"])
def test_keras_and_optax_are_pure_functions(framework):
    need(framework)
    s = decaylib.step_decay(0.1, 0.5, 10)
    sched = fw.keras_schedule(s) if framework == "keras" else fw.optax_schedule(s)
    a, b = float(sched(25)), float(sched(25))
    c = float(sched(5))
    assert a == b == pytest.approx(0.025, rel=1e-6) and c == pytest.approx(0.1, rel=1e-6)


def test_torch_scheduler_sets_the_given_optimizer_lr():
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=123.0)
    sched = fw.torch_scheduler(decaylib.exponential(0.2, 0.5), opt)
    assert sched.optimizer is opt and opt.param_groups[0]["lr"] == 0.2


def test_errors():
    with pytest.raises(ValueError, match="framework"):
        fw.code(decaylib.exponential(0.1, 0.9), "tensorflow")
    with pytest.raises(ValueError, match="framework"):
        fw.rates(decaylib.exponential(0.1, 0.9), 5, "jax")
    joined = decaylib.join([decaylib.constant(0.1), decaylib.exponential(0.1, 0.9)], [5])
    with pytest.raises(ValueError, match="join"):
        fw.code(joined, "optax")
    with pytest.raises(ValueError, match="staircase of 'cosine'"):
        fw.code(decaylib.staircase(decaylib.cosine(0.1, 10), 2), "keras")
    with pytest.raises(ValueError, match="Schedule"):
        fw.code(lambda t: 0.1, "pytorch")
    with pytest.raises(ValueError, match="geometric"):
        fw.literal_piecewise_rates([3, 6], [1.0, 0.5, 0.4], 9, "pytorch")
    with pytest.raises(ValueError, match="n"):
        fw.rates(decaylib.exponential(0.1, 0.9), -1, "pytorch")


def test_import_is_lazy():
    """Importing decaylib.frameworks does not import any framework."""
    import subprocess
    import sys

    code = ("import sys, decaylib.frameworks, decaylib; decaylib.frameworks.code(decaylib.exponential(0.1, 0.9), 'keras');"
            "print(any(m in sys.modules for m in ('torch', 'keras', 'optax', 'jax')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

