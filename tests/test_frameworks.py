"""decaylib.frameworks: PyTorch, Keras 3 and Optax give decaylib's rates.

The references are decaylib's own values; the framework side is the real
installed framework running the code that :func:`decaylib.frameworks.code`
prints, on one array of steps and compiled by ``jax.jit`` (Keras, Optax),
stepped once an epoch (PyTorch), over at least 1,000 steps.  The tolerance is
the one the module claims, :func:`decaylib.frameworks.tolerance` (rtol grows
with the steps where a rate is multiplied by a rounded factor each step).
"""
import functools
import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

import decaylib  # noqa: E402
from decaylib import frameworks as fw  # noqa: E402
from decaylib.frameworks import codegen  # noqa: E402

MODULE = {"pytorch": "torch", "keras": "keras", "optax": "optax"}
N = 1000  # steps compared, at least

def need(framework):
    pytest.importorskip(MODULE[framework])


def f32(x):
    return float(np.float32(x))


# schedule, horizon n (at least N steps), the same schedule with float32-rounded parameters
CASES = {
    "inverse_time": (lambda r: decaylib.inverse_time(r(0.5), r(0.3)), N),
    "inverse_time_course": (lambda r: decaylib.inverse_time(r(0.5), r(1.0)), N),
    "exponential": (lambda r: decaylib.exponential(r(0.1), r(0.95)), N),
    "exponential_slow": (lambda r: decaylib.exponential(r(0.1), r(0.999)), 2 * N),
    "exponential_constant": (lambda r: decaylib.exponential(r(0.1), r(1.0)), N),
    "inverse_sqrt": (lambda r: decaylib.inverse_sqrt(r(0.1), r(2.0)), N),
    "constant": (lambda r: decaylib.constant(r(0.05)), N),
    "cosine": (lambda r: decaylib.cosine(r(0.1), 500, r(0.01)), N),
    "cosine_to_zero": (lambda r: decaylib.cosine(r(0.1), 900), N),
    "linear_warmup": (lambda r: decaylib.linear(r(0.0), r(0.1), 700), N),
    "linear_down": (lambda r: decaylib.linear(r(0.1), r(0.02), 15), N),
    "piecewise_geometric": (lambda r: decaylib.piecewise_constant([30, 60], [r(0.1), r(0.01), r(0.001)]), N),
    "piecewise_general": (lambda r: decaylib.piecewise_constant([1, 3.5, 7], [r(0.1), r(0.05), r(0.2), r(0.01)]), N),
    "piecewise_empty": (lambda r: decaylib.piecewise_constant([], [r(0.5)]), N),
    "piecewise_two_in_one_epoch": (lambda r: decaylib.piecewise_constant([0.25, 0.75, 500.5],
                                                                        [r(0.1), r(0.05), r(0.01), r(0.001)]), N),
    "step_decay": (lambda r: decaylib.step_decay(r(0.1), r(0.5), 10), N),
    "step_decay_41": (lambda r: decaylib.step_decay(r(0.1), r(0.9), 41), N),  # late at 41 in staircase=True
    "staircase_inverse_time": (lambda r: decaylib.staircase(decaylib.inverse_time(r(0.5), r(0.3)), 100), N),
    "staircase_inverse_time_47": (lambda r: decaylib.staircase(decaylib.inverse_time(r(0.5), r(0.3)), 47), N),
    "staircase_inverse_sqrt": (lambda r: decaylib.staircase(decaylib.inverse_sqrt(r(0.1), r(1.0)), 7), N),
    "staircase_inverse_sqrt_55": (lambda r: decaylib.staircase(decaylib.inverse_sqrt(r(0.1), r(1.0)), 55), N),
}
WAYS = [("pytorch", False), ("keras", False), ("keras", True), ("optax", False), ("optax", True)]


def check_claim(s, n, framework, jit):
    """The framework's rates over n steps meet the tolerance the module claims."""
    got = fw.rates(s, n, framework, jit=jit)
    assert got.shape == (n,) and got.dtype == np.float64
    ref = s(np.arange(n))
    rtol, atol = fw.tolerance(s, framework, n)
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=atol, err_msg=f"{framework} jit={jit} {s!r}")
    return got


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("framework, jit", WAYS)
def test_framework_rates_equal_decaylib(framework, jit, case):
    need(framework)
    make, n = CASES[case]
    got = check_claim(make(float), n, framework, jit)
    if framework != "pytorch":  # float32: with the float32 parameters it holds, nearly to the last bit
        np.testing.assert_allclose(got, make(f32)(np.arange(n)), rtol=2e-5, atol=1e-6 * got.max())


def test_claimed_tolerances_are_tight_enough_to_mean_something():
    """The claims are small where nothing compounds, and grow with the steps where it does."""
    s = decaylib.inverse_time(0.5, 0.3)
    assert fw.tolerance(s, "pytorch", N) == (8 * 2.0**-53, 2.0**-1022)
    assert fw.tolerance(s, "keras", N)[0] == 8 * 2.0**-24
    e = decaylib.exponential(0.1, 0.95)
    assert fw.tolerance(e, "pytorch", N)[0] < 1e-12 < fw.tolerance(e, "pytorch", 10**5)[0]
    assert 1e-4 < fw.tolerance(e, "optax", N)[0] < 2e-4  # float32 over 1,000 steps: not 1e-6
    assert fw.tolerance(decaylib.cosine(0.1, 50), "keras", N)[1] == 8 * 2.0**-24 * 0.1
    with pytest.raises(ValueError, match="n"):
        fw.tolerance(e, "keras", 2**24 + 1)
    with pytest.raises(ValueError, match="float32"):
        fw.tolerance(decaylib.constant(1e39), "optax", 10)


# random members of every family, every way of running them, 1,000 steps
FLOATS = st.floats(min_value=1e-6, max_value=10.0)
FAMILIES = {
    "inverse_time": st.builds(decaylib.inverse_time, FLOATS, st.floats(0.0, 10.0)),
    "exponential": st.builds(decaylib.exponential, FLOATS, st.floats(0.5, 1.0)),
    "inverse_sqrt": st.builds(decaylib.inverse_sqrt, FLOATS, st.floats(1e-2, 1e2)),
    "constant": st.builds(decaylib.constant, FLOATS),
    "cosine": st.builds(lambda lr0, T, f: decaylib.cosine(lr0, T, lr0 * f), FLOATS, st.integers(1, 1500),
                        st.sampled_from([0.0, 0.01, 0.5, 0.99])),
    "linear": st.builds(decaylib.linear, st.sampled_from([0.0, 1e-6, 0.1, 3.0]), FLOATS, st.integers(1, 1500)),
    "piecewise": st.lists(st.floats(0.05, 1200.0), max_size=6, unique=True).flatmap(
        lambda bs: st.builds(decaylib.piecewise_constant, st.just(sorted(bs)),
                             st.lists(FLOATS, min_size=len(bs) + 1, max_size=len(bs) + 1))),
    "piecewise_geometric": st.builds(lambda bs, lr0, g: decaylib.piecewise_constant(bs, [lr0 * g**i for i in range(len(bs) + 1)]),
                                     st.lists(st.integers(1, 1200), min_size=1, max_size=6, unique=True).map(sorted),
                                     FLOATS, st.floats(0.05, 0.95)),
    "step_decay": st.builds(decaylib.step_decay, FLOATS, st.floats(0.3, 1.0), st.integers(1, 130)),
    "staircase_inverse_time": st.builds(lambda a, d, k: decaylib.staircase(decaylib.inverse_time(a, d), k),
                                        FLOATS, st.floats(0.0, 10.0), st.integers(1, 130)),
    "staircase_inverse_sqrt": st.builds(lambda a, c, k: decaylib.staircase(decaylib.inverse_sqrt(a, c), k),
                                        FLOATS, st.floats(1e-2, 1e2), st.integers(1, 130)),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_random_members_meet_the_claim_in_every_framework(family):
    for framework in fw.FRAMEWORKS:
        need(framework)

    @settings(max_examples=8)
    @given(FAMILIES[family])
    def run(s):
        for framework, jit in WAYS:
            check_claim(s, N, framework, jit)

    run()


# -- the staircase pitfall: staircase=True floors a float32 quotient XLA can round down ------------

def _builtin_staircase(framework, every):
    """The framework's own staircase (rate 1 halved every ``every`` steps), as the book first wrote it."""
    if framework == "keras":
        import keras

        return keras.optimizers.schedules.ExponentialDecay(1.0, every, 0.5, staircase=True)
    import optax

    return optax.exponential_decay(1.0, every, 0.5, staircase=True)


@functools.cache
def _late_stair_steps(every, n):
    """``fw.late_stair_steps(every, n)`` (one jit compile a call), computed once for the keras and optax tests."""
    return tuple(fw.late_stair_steps(every, n))


@pytest.mark.parametrize("framework", ["keras", "optax"])
def test_builtin_staircase_switches_late_exactly_where_late_stair_steps_says(framework):
    need(framework)
    import jax
    import jax.numpy as jnp

    # Every `every` is evaluated on the same steps 0..390 and checked on its first
    # three stairs, t <= 3 every (later, rate 1 halved underflows float32): eager
    # JAX compiles each operation once per array shape, and 130 shapes made this
    # test take minutes.  Under jit `every` is a constant of the compiled code, as
    # in training.  One XLA program holds all 130 schedules, each with its own
    # constant `every` (a program each gave the very same bits for every `every`,
    # keras and optax, jax 0.10.2, and compiled twice as long; the program of one
    # schedule alone is compared with the shared one below, for ten `every`).
    everys = range(1, 131)
    steps = jnp.asarray(np.arange(3 * 130 + 1))
    builtins = {every: _builtin_staircase(framework, every) for every in everys}
    together = dict(zip(everys, jax.jit(lambda t: [builtins[e](t) for e in everys])(steps)))
    seen = {}
    for every in everys:
        n = 3 * every + 1
        exact = 0.5 ** (np.arange(n) // every)
        builtin = builtins[every]
        late = [t for t in _late_stair_steps(every, len(steps)) if t < n]
        for out in (builtin(steps), together[every]):  # eager on the array, then under jit
            got = np.asarray(out, dtype=np.float64)[:n]
            assert np.flatnonzero(got != exact).tolist() == late, every
        # at a late step the rate is the previous stair's: twice as high
        assert all(got[t] == 2 * exact[t] for t in late), every
        # one eager call with a Python int divides exactly
        for t in late:
            assert float(builtin(t)) == exact[t]
        seen[every] = late
    assert seen[41] == [41, 82] and seen[47] == [47, 94] and seen[61] == [61, 122, 183]
    assert [e for e, late in seen.items() if late][:5] == [41, 47, 55, 61, 82]
    # a schedule compiled alone, as one training step compiles it: the bits of the shared program
    for every in (1, 2, 10, 40, 41, 47, 55, 61, 82, 130):
        alone = jax.jit(builtins[every])(steps)
        assert alone.dtype == together[every].dtype
        np.testing.assert_array_equal(np.asarray(alone), np.asarray(together[every]), err_msg=str(every))


@pytest.mark.parametrize("framework", ["keras", "optax"])
@pytest.mark.parametrize("every", [41, 47, 55, 61, 82, 83, 94, 97, 107, 109])
def test_decaylib_staircases_are_never_late(framework, every):
    """The mapping divides integers: every stair switches at t = j * every, on arrays and under jit."""
    need(framework)
    n = max(N, 5 * every)
    assert _late_stair_steps(every, n)  # the built-in would be late here
    for s in (decaylib.step_decay(0.1, 0.5, every), decaylib.staircase(decaylib.inverse_time(0.5, 0.3), every),
              decaylib.staircase(decaylib.inverse_sqrt(0.1, 1.0), every)):
        src = "\n".join(line for line in fw.code(s, framework).splitlines() if not line.startswith("#"))
        assert "staircase=True" not in src and f"// {every}" in fw.code(s, framework)
        for jit in (False, True):
            got = check_claim(s, n, framework, jit)
            drops = np.flatnonzero(np.diff(got) < 0) + 1
            assert drops.tolist() == list(range(every, n, every)), (s, jit)


def test_late_stair_steps_arguments():
    pytest.importorskip("jax")
    assert fw.late_stair_steps(10, 1000) == [] and fw.late_stair_steps(41, 0) == []
    for bad in (0, -1, 2.5, "41", None):
        with pytest.raises(ValueError, match="every"):
            fw.late_stair_steps(bad, 10)
        with pytest.raises(ValueError, match="every"):
            fw.late_stair_steps([10, bad], 10)


def test_late_stair_steps_of_many_every_in_one_call_equal_one_at_a_time():
    """Chapter 8 finds its late staircases for N = 2..100 in one compiled call (a sequence of
    `every`): the same steps as one compilation per `every`, here for every = 1..130."""
    pytest.importorskip("jax")
    together = fw.late_stair_steps(range(1, 131), 391)
    assert together == {every: list(_late_stair_steps(every, 391)) for every in range(1, 131)}
    assert together[41][:2] == [41, 82] and together[10] == []


# -- the mapping on every valid schedule -----------------------------------------------------------

@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
def test_empty_piecewise_is_a_constant_everywhere(framework):
    need(framework)
    s = decaylib.piecewise_constant([], [0.5])
    np.testing.assert_array_equal(fw.rates(s, 5, framework), np.full(5, 0.5))
    if framework == "keras":  # Keras's own PiecewiseConstantDecay fails on []: said by name
        with pytest.raises(ValueError, match="boundaries must not be empty for Keras"):
            fw.literal_piecewise_rates([], [0.5], 3, framework)
    else:
        np.testing.assert_array_equal(fw.literal_piecewise_rates([], [0.5], 3, framework), [0.5] * 3)


@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
def test_boundaries_inside_one_epoch_merge(framework):
    need(framework)
    s = decaylib.piecewise_constant([0.25, 0.75], [0.1, 0.05, 0.01])
    np.testing.assert_allclose(fw.rates(s, 3, framework), [0.1, 0.01, 0.01], rtol=1e-7)
    assert "1: 0.5, 1:" not in fw.code(s, "optax")


@pytest.mark.parametrize("framework", fw.FRAMEWORKS)
def test_literal_boundaries_must_be_strictly_increasing(framework):
    for bounds in ([5, 3], [3, 3]):
        with pytest.raises(ValueError, match="strictly increasing"):
            fw.literal_piecewise_rates(bounds, [0.5, 0.25, 0.125], 8, framework)
    with pytest.raises(ValueError, match="boundaries and values"):
        fw.literal_piecewise_rates(None, [0.5], 8, framework)


@settings(max_examples=200)
@given(lr0=st.floats(1e-300, 1e300), eps=st.floats(1e-300, 1.0, exclude_min=True),
       d=st.floats(0.0, 1e300), k=st.floats(1e-100, 1e100))
def test_generated_code_keeps_every_digit(lr0, eps, d, k):
    """Parameters are written with repr: the code holds the very floats decaylib holds."""
    for s, params in [(decaylib.exponential(lr0, eps), (lr0, eps)), (decaylib.inverse_time(lr0, d), (lr0, d)),
                      (decaylib.step_decay(lr0, eps, 41), (lr0, eps))]:
        for framework in fw.FRAMEWORKS:
            src = fw.code(s, framework)
            for x in params:
                assert repr(float(x)) in src, (framework, x, src)
    assert codegen._short(0.01 / 0.1) == "0.1"
    for x in (lr0, eps, k, lr0 / k):
        y = float(codegen._short(x))
        assert abs(y - x) <= math.ulp(x)  # a derived ratio: within one ulp


def test_pytorch_exponential_is_exact_over_300_steps_with_many_digits():
    """The 12-digit gamma of old was 3e-11 off at t = 299; every digit keeps ExponentialLR to ~t ulps."""
    need("pytorch")
    s = decaylib.exponential(0.5, 0.98765432109876543)
    check_claim(s, 300, "pytorch", False)
    got = fw.rates(s, 300, "pytorch")
    assert abs(got[299] / s(299) - 1) < 1e-13


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
    src = fw.code(decaylib.step_decay(0.1, 0.5, 10), "keras")
    assert "staircase=True" not in src.splitlines()[-1] and "Stairs(" in src and "every=10" in src
    assert "step // 10" in src and "late_stair_steps" in src  # why not staircase=True, said in the code


def test_code_strings():
    assert fw.code(decaylib.step_decay(0.1, 0.5, 10), "pytorch") == (
        "optimizer = torch.optim.SGD(params, lr=0.1)\n"
        "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)")
    assert "MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)" in fw.code(
        decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), "pytorch")
    assert "ExponentialLR(optimizer, gamma=0.95)" in fw.code(decaylib.exponential(0.1, 0.95), "pytorch")
    assert "{30: 0.1, 60: 0.1}" in fw.code(decaylib.piecewise_constant([30, 60], [0.1, 0.01, 0.001]), "optax")
    assert fw.code(decaylib.step_decay(0.1, 0.5, 10), "optax").endswith(
        "stairs = optax.exponential_decay(init_value=0.1, transition_steps=1, decay_rate=0.5)\n"
        "schedule = lambda count: stairs(count // 10)")
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

