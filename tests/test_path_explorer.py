"""decaylib.viz.path_explorer: chapter 1's two SGD paths on the loss contours, driven by sliders.

Checked against decaylib.sim run directly (the explorer only wires sliders to it).
"""
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import decaylib  # noqa: E402
from decaylib import sim, viz  # noqa: E402


@pytest.fixture(scope="module")
def problem():
    return sim.least_squares()


# -- the explorer----------------------------------------------------------------------------


def _explorer_corners():
    spec = viz.PATH_SLIDERS
    yield {name: s[3] for name, s in spec.items()}  # defaults
    yield {name: s[0] for name, s in spec.items()}  # all at their minimum
    yield {name: s[1] for name, s in spec.items()}  # all at their maximum
    for name, s in spec.items():  # one at a time
        yield {name: s[0]}
        yield {name: s[1]}


def test_explorer_data_equal_the_library_output_at_min_max_and_default(problem):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = viz.path_explorer(problem)
        assert sorted(ex.sliders) == ["batch_size", "decay_rate", "lr0"]
        for values in _explorer_corners():
            ex.set(**values)
            v = {name: s.value for name, s in ex.sliders.items()}
            for name, value in values.items():
                assert v[name] == pytest.approx(value)
            got = ex.data()
            ref_c = sim.minibatch_path(problem, decaylib.constant(v["lr0"]), batch_size=v["batch_size"],
                                       epochs=ex.epochs, seed=ex.seed)
            ref_i = sim.minibatch_path(problem, decaylib.inverse_time(v["lr0"], v["decay_rate"]),
                                       batch_size=v["batch_size"], epochs=ex.epochs, seed=ex.seed)
            assert np.array_equal(got["constant"], ref_c)
            assert np.array_equal(got["inverse_time"], ref_i)
            assert got["distance"]["constant"] == float(sim.distance_to_minimum(problem, ref_c[-1]))
            assert got["distance"]["inverse_time"] == float(sim.distance_to_minimum(problem, ref_i[-1]))
            assert np.all(np.isfinite(got["constant"])) and np.all(np.isfinite(got["inverse_time"]))
            assert f"{got['distance']['constant']:.4g}" in ex.readout.value
            assert ex.chart.value.startswith('<img src="data:image/png;base64,')


def test_explorer_slider_moves_redraw_and_decay_zero_gives_equal_paths(problem):
    ex = viz.path_explorer(problem)
    before = ex.chart.value
    ex.sliders["batch_size"].value = 16  # as the front end would
    assert ex.chart.value != before
    assert ex.data()["constant"].shape == (20 * 8 + 1, 2)
    ex.set(decay_rate=0.0)
    d = ex.data()
    assert np.array_equal(d["constant"], d["inverse_time"])


def test_explorer_static_html_and_labels(problem):
    ex = viz.path_explorer(problem)
    ex.set(batch_size=2)  # the static view stays at the values it was built with
    bundle = ex._repr_mimebundle_()
    html = bundle["text/html"]
    assert html.count('<img src="data:image/png;base64,') == 1
    assert 'alt="Loss contours' in html and "batch_size = 8" in html
    assert "<code>make lab</code>" in html and "kernel" in html
    assert "application/vnd.jupyter.widget-view+json" in bundle
    from decaylib.viz.path_explorer import PATH_LABELS

    for name, s in ex.sliders.items():
        # the keyword name, then what it means
        assert s.description == f"{name} ({PATH_LABELS[name]})" and name in viz.PATH_SLIDERS
        assert not any(c in s.description for c in "$\\{}")
        assert s.continuous_update is True


def test_explorer_reset_legend_and_disconnected_note(problem):
    ex = viz.path_explorer(problem)
    start = ex.chart.value
    ex.set(batch_size=2, decay_rate=1.0)
    assert ex.chart.value != start
    ex.reset_button.click()
    assert {k: s.value for k, s in ex.sliders.items()} == {"batch_size": 8, "lr0": 0.08, "decay_rate": 0.3}
    assert ex.chart.value == start
    legend = ex._fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["$w_0$", "$w^*$", "$L(w)$"]  # symbols: the same figure in every edition
    assert "Run this cell again" in ex.children[0].value


@pytest.mark.parametrize(("values", "message"), [
    ({"batch_size": 0}, r"batch_size must be an integer >= 1"),
    ({"batch_size": 65}, r"batch_size must be in \[1, 64\]"),
    ({"lr0": 0.5}, r"lr0 must be in \[0.01, 0.1\]"),
    ({"decay_rate": -1}, r"decay_rate must be in \[0, 2\]"),
    ({"eps": 0.9}, r"unknown slider\(s\) \['eps'\]"),
])
def test_explorer_rejects_bad_values(problem, values, message):
    ex = viz.path_explorer(problem)
    with pytest.raises(ValueError, match=message):
        ex.set(**values)
    with pytest.raises(ValueError, match=message):
        viz.path_explorer(problem, **values)


