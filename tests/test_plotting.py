"""decaylib.viz.figures: line data, colours, styles and labels of plot_schedules."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import decaylib  # noqa: E402
from decaylib.viz.figures import DPI, FIGSIZE, new_figure, plot_schedules  # noqa: E402

SCHEDULES = [
    decaylib.inverse_time(lr0=0.5, decay_rate=0.3),
    decaylib.exponential(lr0=0.1, eps=0.95),
    decaylib.inverse_sqrt(lr0=0.1, k=2.0),
    decaylib.piecewise_constant(boundaries=[30, 60], values=[0.1, 0.01, 0.001]),
    decaylib.step_decay(lr0=0.1, eps=0.5, every=10),
    decaylib.cosine(lr0=0.1, total=80, lr_min=0.01),
    decaylib.constant(0.05),
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_new_figure_size_and_dpi():
    fig, ax = new_figure()
    assert FIGSIZE == (6.4, 3.6)
    assert tuple(fig.get_size_inches()) == pytest.approx(FIGSIZE)
    assert fig.dpi == DPI == 100
    assert ax.figure is fig


def test_line_data_are_the_schedule_values():
    ax = plot_schedules(SCHEDULES, epochs=100)
    lines = ax.get_lines()
    assert len(lines) == len(SCHEDULES)
    for line, s in zip(lines, SCHEDULES):
        x, y = line.get_xdata(), line.get_ydata()
        np.testing.assert_array_equal(x, np.arange(101.0))
        # independent reference: the schedule called one epoch at a time
        np.testing.assert_array_equal(y, [s(int(t)) for t in range(101)])


def test_known_values_on_the_lines():
    it, _, _, pc, step = (SCHEDULES[i] for i in range(5))
    ax = plot_schedules([it, pc, step], epochs=100)
    y_it, y_pc, y_step = (line.get_ydata() for line in ax.get_lines())
    assert y_it[100] == pytest.approx(0.5 / (1 + 0.3 * 100), rel=1e-15)
    assert (y_pc[29], y_pc[30], y_pc[31], y_pc[60]) == (0.1, 0.01, 0.01, 0.001)
    assert (y_step[9], y_step[10], y_step[25]) == (0.1, 0.05, 0.025)


def test_colours_are_the_family_colours():
    ax = plot_schedules(SCHEDULES)
    for line, s in zip(ax.get_lines(), SCHEDULES):
        assert mcolors.to_hex(line.get_color()) == mcolors.to_hex(decaylib.viz.COLORS[s.family])


def test_stepped_schedules_drawn_as_steps():
    ax = plot_schedules(SCHEDULES)
    styles = {s.family: line.get_drawstyle() for line, s in zip(ax.get_lines(), SCHEDULES)}
    assert styles["piecewise_constant"] == styles["staircase"] == "steps-post"
    for fam in ("inverse_time", "exponential", "inverse_sqrt", "cosine", "constant"):
        assert styles[fam] == "default"


def test_shared_family_varies_linestyle_and_labels():
    a = decaylib.exponential(0.1, 0.9)
    b = decaylib.exponential(0.1, 0.8)
    c = decaylib.inverse_time(0.1, 1.0)
    ax = plot_schedules([a, b, c])
    la, lb, lc = ax.get_lines()
    assert la.get_color() == lb.get_color()
    assert la.get_linestyle() != lb.get_linestyle()
    assert la.get_label() != lb.get_label()
    assert "eps=0.9" in la.get_label() and "eps=0.8" in lb.get_label()
    assert lc.get_label() == "inverse_time"


def test_labels_default_and_given():
    ax = plot_schedules(SCHEDULES[:3])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [s.family for s in SCHEDULES[:3]]
    fig, ax2 = new_figure()
    out = plot_schedules(SCHEDULES[:2], ax=ax2, labels=["A", "B"])
    assert out is ax2
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["A", "B"]
    assert ax2.get_xlabel() == "$t$"
    assert ax2.get_ylabel() == r"$\alpha(t)$"


def test_single_schedule_epochs_and_step():
    s = decaylib.exponential(0.1, 0.5)
    ax = plot_schedules(s, epochs=3, step=0.5)
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 0.5, 1, 1.5, 2, 2.5, 3])
    np.testing.assert_array_equal(line.get_ydata(), [0.1 * 0.5**t for t in (0, 0.5, 1, 1.5, 2, 2.5, 3)])
    # a grid that does not divide the horizon still ends exactly at it
    ax = plot_schedules(s, epochs=1, step=0.3)
    assert ax.get_lines()[0].get_xdata()[-1] == 1.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(schedules=[]), "schedules"),
        (dict(schedules=[lambda t: t]), "schedules"),
        (dict(schedules=SCHEDULES[:1], epochs=0), "epochs"),
        (dict(schedules=SCHEDULES[:1], epochs=float("nan")), "epochs"),
        (dict(schedules=SCHEDULES[:1], step=0), "step"),
        (dict(schedules=SCHEDULES[:2], labels=["only one"]), "labels"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_schedules(**kwargs)
