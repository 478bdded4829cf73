"""decaylib.sim: simulations checked against independent references.

References used: numpy's least-squares solver and plain loops written here
(one chain, one point at a time), the closed form of gradient descent on a
quadratic, sympy for the noise-ball fixed point, scikit-learn's log_loss and
finite differences for the softmax classifier.  Every random draw is seeded.
"""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402

import decaylib  # noqa: E402
from decaylib import sim, viz  # noqa: E402
from decaylib.sim.data import Dataset, digits  # noqa: E402


@pytest.fixture(scope="module")
def problem():
    return sim.least_squares()


@pytest.fixture(scope="module")
def data():
    return digits()


# -- the least-squares problem ---------------------------------------------------------


def test_w_star_is_the_least_squares_solution(problem):
    ref, *_ = np.linalg.lstsq(problem.X, problem.y, rcond=None)
    np.testing.assert_allclose(problem.w_star, ref, rtol=1e-12)
    # the full gradient vanishes there
    np.testing.assert_allclose(problem.X.T @ (problem.X @ problem.w_star - problem.y) / problem.n, 0, atol=1e-12)


def test_loss_on_a_grid_equals_the_direct_sum(problem):
    rng = np.random.default_rng(1)
    w = rng.uniform(-4, 3, size=(50, 2))
    direct = 0.5 * np.mean((w @ problem.X.T - problem.y) ** 2, axis=1)
    np.testing.assert_allclose(problem.loss(w[:, 0], w[:, 1]), direct, rtol=1e-10)
    W1, W2, L = problem.loss_grid((-1, 1), (0, 2), num=7)
    assert W1.shape == W2.shape == L.shape == (7, 7)
    np.testing.assert_allclose(L, 0.5 * np.mean((W1[..., None] * problem.X[:, 0] + W2[..., None] * problem.X[:, 1]
                                                 - problem.y) ** 2, axis=-1), rtol=1e-10)
    assert isinstance(problem.loss(0.0, 0.0), float)
    assert problem.loss_star <= L.min() + 1e-12


def test_the_problem_is_ill_conditioned_and_seeded(problem):
    ev = np.linalg.eigvalsh(problem.X.T @ problem.X / problem.n)
    assert problem.condition_number == pytest.approx(ev[-1] / ev[0], rel=1e-12)
    assert problem.condition_number > 10  # elongated contours
    again = sim.least_squares()
    assert np.array_equal(again.X, problem.X) and np.array_equal(again.y, problem.y)
    assert not np.array_equal(sim.least_squares(seed=1).X, problem.X)


def test_feature_statistics_follow_the_construction():
    p = sim.least_squares(n=200_000, rho=0.6, scale=3.0, seed=3)
    cov = np.cov(p.X.T)
    assert cov[0, 0] == pytest.approx(1.0, abs=0.02)
    assert cov[1, 1] == pytest.approx(9.0, rel=0.02)
    assert cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]) == pytest.approx(0.6, abs=0.01)


# -- mini-batch paths --------------------------------------------------------------------


def _reference_path(problem, schedule, batch_size, epochs, seed):
    """One chain, one point at a time: the definition, written out."""
    rng = np.random.default_rng(seed)
    w = problem.w0.astype(float).copy()
    path = [w.copy()]
    for t in range(epochs):
        order = rng.permutation(problem.n)
        lr = schedule(t)
        for start in range(0, problem.n, batch_size):
            batch = order[start:start + batch_size]
            g = np.zeros(2)
            for i in batch:
                g += problem.X[i] * (problem.X[i] @ w - problem.y[i])
            w = w - lr * g / len(batch)
            path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 8, 48, 128])
def test_path_matches_a_plain_loop(problem, batch_size):
    s = decaylib.inverse_time(lr0=0.05, decay_rate=0.5)
    path = sim.minibatch_path(problem, s, batch_size=batch_size, epochs=3, seed=7)
    ref = _reference_path(problem, s, batch_size, 3, 7)
    assert path.shape == ref.shape == (3 * sim.steps_per_epoch(problem.n, batch_size) + 1, 2)
    np.testing.assert_allclose(path, ref, rtol=1e-10, atol=1e-12)


def test_full_batch_constant_rate_is_gradient_descent_in_closed_form(problem):
    lr = 0.08
    path = sim.minibatch_path(problem, decaylib.constant(lr), batch_size=problem.n, epochs=40, seed=0)
    M = np.eye(2) - lr * problem.hessian
    for k in (0, 1, 10, 40):
        expect = problem.w_star + np.linalg.matrix_power(M, k) @ (problem.w0 - problem.w_star)
        np.testing.assert_allclose(path[k], expect, rtol=1e-9, atol=1e-12)


def test_steps_per_epoch():
    assert [sim.steps_per_epoch(128, b) for b in (1, 8, 48, 127, 128)] == [128, 16, 3, 2, 1]


def test_paths_are_reproducible_and_chains_independent(problem):
    sch = [decaylib.constant(0.06), decaylib.exponential(0.06, 0.9)]
    # 2 schedules x 6 seeds = 12 chains: the numpy branch; one chain: the Python branch
    many = sim.minibatch_paths(problem, sch, batch_size=8, epochs=4, seeds=range(6))
    assert many.shape == (2, 6, 4 * 16 + 1, 2)
    for i, s in enumerate(sch):
        for j in (0, 5):
            one = sim.minibatch_path(problem, s, batch_size=8, epochs=4, seed=j)
            assert np.array_equal(many[i, j], one)
    assert np.array_equal(many, sim.minibatch_paths(problem, sch, batch_size=8, epochs=4, seeds=range(6)))
    assert not np.array_equal(many[0, 0], many[0, 1])
    # same seed, same mini-batches: paths agree while the rates agree (epoch 0)
    np.testing.assert_array_equal(many[0, 3, :17], many[1, 3, :17])
    assert not np.array_equal(many[0, 3, 17:], many[1, 3, 17:])


def test_decay_ends_closer_to_the_minimum_than_a_constant_rate(problem):
    """The chapter's claim, over 20 seeds at the explorer's defaults."""
    lr0, d, B, E = 0.08, 0.3, 8, 20
    paths = sim.minibatch_paths(problem, [decaylib.constant(lr0), decaylib.inverse_time(lr0, d)],
                                batch_size=B, epochs=E, seeds=range(20))
    dist = sim.distance_to_minimum(problem, paths)
    final = dist[:, :, -1]
    assert final[1].mean() < 0.5 * final[0].mean()
    last5 = dist[:, :, -5 * sim.steps_per_epoch(problem.n, B):].mean(axis=2)
    assert (last5[1] < last5[0]).sum() >= 18


def test_distance_to_minimum(problem):
    pts = problem.w_star + np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(sim.distance_to_minimum(problem, pts), [5.0, 0.0], atol=1e-12)
    with pytest.raises(ValueError, match="path must be an array of points with last axis 2"):
        sim.distance_to_minimum(problem, np.zeros((4, 3)))


def test_plot_paths_draws_each_path_in_its_family_colour(problem):
    import matplotlib.colors as mcolors
    import matplotlib.pyplot as plt

    sch = [decaylib.constant(0.08), decaylib.inverse_time(0.08, 0.3)]
    paths = sim.minibatch_paths(problem, sch, batch_size=8, epochs=2, seeds=[0])[:, 0]
    ax = viz.plot_paths(problem, sch, paths)
    lines = ax.get_lines()
    for line, s, p in zip(lines, sch, paths):
        assert mcolors.to_hex(line.get_color()) == decaylib.viz.COLORS[s.family].lower()
        np.testing.assert_array_equal(np.column_stack([line.get_xdata(), line.get_ydata()]), p)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["constant", "inverse_time"]
    plt.close(ax.figure)


# -- the noisy quadratic ------------------------------------------------------------------


def test_noise_ball_is_the_fixed_point_of_the_mean_square_map():
    a, h, s, v = decaylib.symbols.rate, sim.h, sim.sigma, sim.v
    assert sp.simplify(sim.MEAN_SQUARE_MAP.subs(v, sim.NOISE_BALL) - sim.NOISE_BALL) == 0
    assert sp.simplify(sim.NOISE_BALL - a * s**2 / (h * (2 - a * h))) == 0
    assert sim.stationary_variance(0.2, h=2.0, sigma=1.0) == pytest.approx(0.0625, rel=1e-15)  # FIELD-NOTES
    lr = np.array([0.01, 0.3, 0.9])
    np.testing.assert_allclose(sim.stationary_variance(lr, h=2.0, sigma=1.5), lr * 2.25 / (2 * (2 - 2 * lr)),
                               rtol=1e-14)


def test_mean_square_recursion_has_the_closed_form_for_a_constant_rate():
    lr, h, sigma, x0 = 0.2, 2.0, 1.0, 1.5
    ms = sim.mean_square(decaylib.constant(lr), h=h, sigma=sigma, steps=60, x0=x0)
    vinf = sim.stationary_variance(lr, h=h, sigma=sigma)
    t = np.arange(61)
    np.testing.assert_allclose(ms, vinf + (x0**2 - vinf) * (1 - lr * h) ** (2 * t), rtol=1e-12)


SCHEDULES = [
    decaylib.constant(0.2),
    decaylib.inverse_time(0.2, 0.1),
    decaylib.exponential(0.2, 0.97),
    decaylib.inverse_sqrt(0.2, 1.0),
    decaylib.step_decay(0.2, 0.5, 50),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: s.family)
def test_simulation_matches_the_exact_mean_square(schedule):
    """x_t is Gaussian, so the mean of x_t^2 over C chains has standard error
    sd(x_t^2)/sqrt(C) <= E[x_t^2] sqrt(2/C).  Allow 5 standard errors at every t
    (a false alarm at one of 200 steps has probability < 1e-4)."""
    chains, steps = 20_000, 200
    simulated = sim.noisy_quadratic(schedule, h=2.0, sigma=1.0, steps=steps, chains=chains, x0=1.0, seed=11)
    exact = sim.mean_square(schedule, h=2.0, sigma=1.0, steps=steps, x0=1.0)
    assert simulated[0] == exact[0] == 1.0
    assert np.all(np.abs(simulated - exact) <= 5 * exact * math.sqrt(2 / chains))


def test_constant_rate_simulation_settles_in_the_noise_ball():
    chains = 40_000
    simulated = sim.noisy_quadratic(decaylib.constant(0.2), h=2.0, sigma=1.0, steps=100, chains=chains, x0=1.0, seed=0)
    tol = 5 * 0.0625 * math.sqrt(2 / chains)
    assert abs(simulated[-1] - 0.0625) < tol


def test_decay_shrinks_the_noise_ball_below_the_constant_one():
    exact = {s.family: sim.mean_square(s, steps=400, x0=1.0)[-1] for s in SCHEDULES}
    for fam in ("inverse_time", "exponential", "inverse_sqrt", "staircase"):
        assert exact[fam] < 0.2 * exact["constant"]


def test_noisy_quadratic_is_seeded_and_uses_steps_per_epoch():
    s = decaylib.exponential(0.2, 0.5)
    a = sim.noisy_quadratic(s, steps=20, chains=100, seed=3)
    assert np.array_equal(a, sim.noisy_quadratic(s, steps=20, chains=100, seed=3))
    assert not np.array_equal(a, sim.noisy_quadratic(s, steps=20, chains=100, seed=4))
    # with 5 steps per epoch the rate is schedule(step // 5): same as a staircase of 5 steps
    np.testing.assert_array_equal(sim.mean_square(s, steps=20, steps_per_epoch=5),
                                  sim.mean_square(decaylib.staircase(s, every=5), steps=20))
    np.testing.assert_array_equal(sim.noisy_quadratic(s, steps=20, chains=50, seed=1, steps_per_epoch=5),
                                  sim.noisy_quadratic(decaylib.staircase(s, every=5), steps=20, chains=50, seed=1))


# -- the softmax classifier on real data ---------------------------------------------------


def test_digits_is_the_bundled_set_split_and_standardised(data):
    from sklearn.datasets import load_digits

    raw = load_digits()
    assert isinstance(data, Dataset)
    assert len(data.y_train) + len(data.y_test) == len(raw.target) == 1797
    assert len(data.y_test) == round(0.25 * 1797)
    assert sorted(np.unique(data.y_train)) == list(range(10))
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0, atol=1e-12)
    sd = data.X_train.std(axis=0)
    assert np.all((np.abs(sd - 1) < 1e-12) | (sd == 0))
    # the same images, only reordered: class counts add up
    assert np.array_equal(np.bincount(data.y_train) + np.bincount(data.y_test), np.bincount(raw.target))
    again = digits()
    assert np.array_equal(again.X_test, data.X_test)
    assert not np.array_equal(digits(seed=1).y_test, data.y_test)


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _reference_weights(schedule, data, batch_size, epochs, seed, l2, init_scale):
    """One seed, written out plainly: W before training and after every epoch.

    The gradient is checked by finite differences below."""
    X = np.column_stack([data.X_train, np.ones(len(data.X_train))])
    rng = np.random.default_rng(seed)
    W = init_scale * rng.standard_normal((X.shape[1], data.n_classes))
    Y = np.eye(data.n_classes)[data.y_train]
    out = [W]
    for t in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            b = order[start:start + batch_size]
            W = W - schedule(t) * _grad(W, X[b], Y[b], l2)
        out.append(W)
    return out


def _reference_train(schedule, data, batch_size, epochs, seed, l2, init_scale):
    return _reference_weights(schedule, data, batch_size, epochs, seed, l2, init_scale)[-1]


def _accuracy(X, y, W):
    """Share of rows whose largest score X W + b is the label, one image at a time."""
    hits = 0
    for x, label in zip(X, y):
        scores = x @ W[:-1] + W[-1]
        hits += int(np.argmax(scores) == label)
    return hits / len(y)


def _grad(W, X, Y, l2):
    return X.T @ (_softmax(X @ W) - Y) / len(X) + l2 * W


def test_softmax_gradient_matches_finite_differences(data):
    rng = np.random.default_rng(5)
    X = np.column_stack([data.X_train[:20], np.ones(20)])
    Y = np.eye(10)[data.y_train[:20]]
    W = 0.1 * rng.standard_normal((65, 10))
    l2 = 0.01

    def objective(W):
        return -np.mean(np.sum(Y * np.log(_softmax(X @ W)), axis=1)) + 0.5 * l2 * np.sum(W * W)

    g = _grad(W, X, Y, l2)
    for (i, j) in [(0, 0), (10, 3), (64, 9), (30, 5)]:
        e = np.zeros_like(W)
        e[i, j] = 1e-6
        fd = (objective(W + e) - objective(W - e)) / 2e-6
        assert g[i, j] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_training_matches_the_reference_loop_and_sklearn_log_loss(data):
    from sklearn.metrics import log_loss

    s = decaylib.inverse_time(0.5, 1.0)
    res = sim.train_softmax(s, data, batch_size=100, epochs=2, seeds=[0, 4], l2=1e-3, init_scale=0.01)
    for j, seed in enumerate((0, 4)):
        W = _reference_train(s, data, 100, 2, seed, 1e-3, 0.01)
        np.testing.assert_allclose(res.weights[j], W, rtol=1e-9, atol=1e-12)
        Xte = np.column_stack([data.X_test, np.ones(len(data.X_test))])
        Xtr = np.column_stack([data.X_train, np.ones(len(data.X_train))])
        assert res.test_loss[j] == pytest.approx(log_loss(data.y_test, _softmax(Xte @ W), labels=range(10)),
                                                 rel=1e-9)
        assert res.train_loss[j] == pytest.approx(log_loss(data.y_train, _softmax(Xtr @ W), labels=range(10)),
                                                  rel=1e-9)
        assert res.test_accuracy[j] == np.mean((Xte @ W).argmax(axis=1) == data.y_test)
    assert res.train_history.shape == res.test_history.shape == (2, 3)
    assert np.all(res.train_history[:, 0] == pytest.approx(math.log(10), rel=0.05))  # near-uniform start


def test_accuracy_per_epoch_matches_a_plain_loop(data):
    """Brute force: one seed at a time, the weights after every epoch, accuracy image by image."""
    s = decaylib.exponential(1.0, 0.7)
    res = sim.train_softmax(s, data, batch_size=256, epochs=3, seeds=[2, 5], l2=1e-3, init_scale=0.01)
    assert res.train_accuracy_history.shape == res.test_accuracy_history.shape == (2, 4)
    for j, seed in enumerate((2, 5)):
        for e, W in enumerate(_reference_weights(s, data, 256, 3, seed, 1e-3, 0.01)):
            assert res.train_accuracy_history[j, e] == pytest.approx(_accuracy(data.X_train, data.y_train, W),
                                                                      abs=1e-15)
            assert res.test_accuracy_history[j, e] == pytest.approx(_accuracy(data.X_test, data.y_test, W),
                                                                     abs=1e-15)
    # the final values are the last column; accuracy counts whole images
    np.testing.assert_array_equal(res.test_accuracy, res.test_accuracy_history[:, -1])
    np.testing.assert_array_equal(res.train_accuracy, res.train_accuracy_history[:, -1])
    np.testing.assert_array_equal(res.test_loss, res.test_history[:, -1])
    counts = res.test_accuracy_history * len(data.y_test)
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-9)
    # training helps: from about chance (1 in 10) to above 90 % on both sets
    assert np.all(res.test_accuracy_history[:, 0] < 0.3) and np.all(res.test_accuracy_history[:, -1] > 0.9)
    assert np.all(res.train_accuracy_history[:, -1] > 0.9)


def test_accuracy_of_the_returned_weights(data):
    """The recorded final accuracy is the one the returned weights give (sklearn's accuracy_score)."""
    from sklearn.metrics import accuracy_score

    res = sim.train_softmax(decaylib.constant(0.5), data, batch_size=64, epochs=2, seeds=[0, 1, 3])
    Xte = np.column_stack([data.X_test, np.ones(len(data.X_test))])
    Xtr = np.column_stack([data.X_train, np.ones(len(data.X_train))])
    for j in range(3):
        W = res.weights[j]
        assert res.test_accuracy[j] == accuracy_score(data.y_test, (Xte @ W).argmax(axis=1))
        assert res.train_accuracy[j] == accuracy_score(data.y_train, (Xtr @ W).argmax(axis=1))


def test_training_is_seeded_and_many_equals_one(data):
    sch = [decaylib.constant(0.5), decaylib.exponential(0.5, 0.8)]
    many = sim.train_softmax_many(sch, data, batch_size=64, epochs=3, seeds=[1, 2])
    for s, r in zip(sch, many):
        one = sim.train_softmax(s, data, batch_size=64, epochs=3, seeds=[1, 2])
        np.testing.assert_allclose(r.train_history, one.train_history, rtol=1e-12)
        np.testing.assert_allclose(r.weights, one.weights, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(r.test_accuracy_history, one.test_accuracy_history)
        np.testing.assert_array_equal(r.train_accuracy_history, one.train_accuracy_history)
        assert r.seeds == (1, 2) and r.schedule is s
    again = sim.train_softmax(sch[0], data, batch_size=64, epochs=3, seeds=[1, 2])
    assert np.array_equal(again.weights, sim.train_softmax(sch[0], data, batch_size=64, epochs=3, seeds=[1, 2]).weights)
    # the same seed gives the same epoch-0 trajectory for every schedule (rates agree at t = 0)
    np.testing.assert_allclose(many[0].train_history[:, 1], many[1].train_history[:, 1], rtol=1e-12)


def test_training_learns(data):
    res = sim.train_softmax(decaylib.constant(0.5), data, batch_size=32, epochs=5, seeds=[0, 1, 2])
    assert np.all(res.train_loss < 0.25 * res.train_history[:, 0])
    assert np.all(res.test_accuracy > 0.9)


# -- argument errors ------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n": 1}, r"n must be an integer >= 2"),
    ({"rho": 1.0}, r"rho must be in \(-1, 1\)"),
    ({"scale": 0}, r"scale must be in \(0, inf\)"),
    ({"noise": -0.1}, r"noise must be in \[0, inf\)"),
    ({"w0": (1.0,)}, r"w0 must be a pair of finite numbers"),
    ({"w_true": (1.0, math.nan)}, r"w_true must be a finite number"),
    ({"seed": -1}, r"seed must be an integer >= 0"),
])
def test_least_squares_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sim.least_squares(**kwargs)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"batch_size": 0}, r"batch_size must be an integer >= 1"),
    ({"batch_size": 129}, r"batch_size must be in \[1, n\] = \[1, 128\]"),
    ({"epochs": 0}, r"epochs must be an integer >= 1"),
    ({"seed": 1.5}, r"seed must be an integer >= 0"),
])
def test_minibatch_path_errors(problem, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sim.minibatch_path(problem, decaylib.constant(0.1), **kwargs)


def test_minibatch_paths_errors(problem):
    c = decaylib.constant(0.1)
    with pytest.raises(ValueError, match="schedule must be a decaylib Schedule"):
        sim.minibatch_path(problem, lambda t: 0.1)
    with pytest.raises(ValueError, match="problem must be a LeastSquares"):
        sim.minibatch_path("problem", c)
    with pytest.raises(ValueError, match="schedules must be a sequence of decaylib Schedules; for one"):
        sim.minibatch_paths(problem, c)
    with pytest.raises(ValueError, match="schedules must hold at least one"):
        sim.minibatch_paths(problem, [])
    with pytest.raises(ValueError, match="seeds must hold at least one integer >= 0"):
        sim.minibatch_paths(problem, [c], seeds=[])
    with pytest.raises(ValueError, match="seeds must be an integer >= 0"):
        sim.minibatch_paths(problem, [c], seeds=[0, -2])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sim.stationary_variance(0.0), r"lr must be in \(0, 2/h\) = \(0, 1\)"),
    (lambda: sim.stationary_variance(1.0, h=2.0), r"lr must be in \(0, 2/h\) = \(0, 1\)"),
    (lambda: sim.stationary_variance([0.1, 0.7], h=4.0), r"lr must be in \(0, 2/h\) = \(0, 0.5\)"),
    (lambda: sim.stationary_variance(0.1, h=0.0), r"h must be in \(0, inf\)"),
    (lambda: sim.stationary_variance(0.1, sigma=-1.0), r"sigma must be in \[0, inf\)"),
    (lambda: sim.noisy_quadratic(decaylib.constant(0.1), chains=0), r"chains must be an integer >= 1"),
    (lambda: sim.noisy_quadratic(decaylib.constant(0.1), steps=0), r"steps must be an integer >= 1"),
    (lambda: sim.noisy_quadratic(decaylib.constant(0.1), x0=math.inf), r"x0 must be a finite number"),
    (lambda: sim.noisy_quadratic(decaylib.constant(0.1), steps_per_epoch=0),
     r"steps_per_epoch must be an integer >= 1"),
    (lambda: sim.noisy_quadratic(0.1), r"schedule must be a decaylib Schedule"),
    (lambda: sim.mean_square(decaylib.constant(0.1), h=-1.0), r"h must be in \(0, inf\)"),
])
def test_noisy_quadratic_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"batch_size": 2000}, r"batch_size must be in \[1, 1348\]"),
    ({"epochs": 0}, r"epochs must be an integer >= 1"),
    ({"l2": -1.0}, r"l2 must be in \[0, inf\)"),
    ({"init_scale": math.nan}, r"init_scale must be a finite number"),
    ({"seeds": []}, r"seeds must hold at least one integer >= 0"),
])
def test_train_softmax_errors(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sim.train_softmax(decaylib.constant(0.1), data, **kwargs)


def test_train_softmax_rejects_non_datasets_and_bad_schedules(data):
    with pytest.raises(ValueError, match="data must be a decaylib.sim.data.Dataset"):
        sim.train_softmax(decaylib.constant(0.1), (data.X_train, data.y_train))
    with pytest.raises(ValueError, match="schedules must be a sequence of decaylib Schedules; for one"):
        sim.train_softmax_many(decaylib.constant(0.1), data)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"test_fraction": 0.0}, r"test_fraction must be in \(0, 1\)"),
    ({"test_fraction": 1.0}, r"test_fraction must be in \(0, 1\)"),
    ({"test_fraction": 1e-5}, r"test_fraction must leave at least one image on each side"),
    ({"seed": -3}, r"seed must be an integer >= 0"),
])
def test_digits_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        digits(**kwargs)
