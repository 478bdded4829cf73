"""decaylib.viz.explorer: every slider at its min, max and default (and their
combinations) gives exactly decaylib's curve and read-outs, no exception or
warning escapes, invalid combinations show a message and keep the last valid
curve, and the static HTML fallback carries the figure with alt text."""
import base64
import io
import itertools
import math
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import decaylib  # noqa: E402
from decaylib.viz.explorer import FAMILIES, STATIC_NOTE, Explorer, schedule_explorer  # noqa: E402

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# The reference: each family's sliders fed straight to decaylib's factories.
EXPECTED = {
    "inverse_time": lambda v: decaylib.inverse_time(lr0=v["lr0"], decay_rate=v["decay_rate"]),
    "exponential": lambda v: decaylib.exponential(lr0=v["lr0"], eps=v["eps"]),
    "inverse_sqrt": lambda v: decaylib.inverse_sqrt(lr0=v["lr0"], k=v["k"]),
    "step_decay": lambda v: decaylib.step_decay(lr0=v["lr0"], eps=v["eps"], every=v["every"]),
    "piecewise_constant": lambda v: decaylib.piecewise_constant(
        boundaries=list(v["boundaries"]),
        values=[v["lr0"], v["lr0"] * v["eps"], v["lr0"] * v["eps"] ** 2]),
    "staircase_inverse_time": lambda v: decaylib.staircase(
        decaylib.inverse_time(lr0=v["lr0"], decay_rate=v["decay_rate"]), every=v["every"]),
    "cosine": lambda v: decaylib.cosine(lr0=v["lr0"], total=v["total"], lr_min=v["lr_min"]),
}
SLIDERS = {
    "inverse_time": ["lr0", "decay_rate", "epochs"],
    "exponential": ["lr0", "eps", "epochs"],
    "inverse_sqrt": ["lr0", "k", "epochs"],
    "step_decay": ["lr0", "eps", "every", "epochs"],
    "piecewise_constant": ["lr0", "boundaries", "eps", "epochs"],
    "staircase_inverse_time": ["lr0", "decay_rate", "every", "epochs"],
    "cosine": ["lr0", "total", "lr_min", "epochs"],
}


def test_every_family_has_a_reference():
    assert set(FAMILIES) == set(EXPECTED) == set(SLIDERS)


def values_of(ex):
    return {name: s.value for name, s in ex.sliders.items()}


def check_state(ex, family, last_valid):
    """The explorer shows decaylib's schedule for its sliders, or the last valid one.

    Returns the schedule that should be shown now.
    """
    v = values_of(ex)
    try:
        expected = EXPECTED[family](v)
    except ValueError:
        expected = None
    r = ex.readouts()
    if expected is None:  # invalid combination: message, last valid curve kept
        assert r["error"], f"no message shown for invalid {v}"
        expected = last_valid
    else:
        assert r["error"] is None, r["error"]
    assert ex.schedule() == expected
    t, lr = ex.data()
    np.testing.assert_array_equal(t, np.arange(v["epochs"] + 1, dtype=float))
    np.testing.assert_array_equal(lr, expected(t))
    np.testing.assert_array_equal(lr, [expected(int(i)) for i in t])  # one epoch at a time
    assert r["epochs"] == v["epochs"]
    assert r["half_life"] == expected.half_life()
    assert r["budget"] == expected.cumulative(v["epochs"])
    assert r["total_budget"] == expected.cumulative(math.inf)
    assert r["robbins_monro"] == expected.robbins_monro()
    # the values shown are the values returned
    shown = ex.readout.value
    if r["total_budget"] == math.inf:
        assert "∞" in shown
    assert ("not satisfied" in shown) == (not r["robbins_monro"].satisfied)
    assert 'alt="' in ex.chart.value and "data:image/png;base64," in ex.chart.value
    return expected


def _ends(slider):
    """A slider's lowest and highest values (a range slider's two handles one apart)."""
    if isinstance(slider.value, tuple):
        return (slider.min, slider.min + 1), (slider.max - 1, slider.max)
    return slider.min, slider.max


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_sliders_min_max_default_and_corners(family):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = schedule_explorer(family)
        assert list(ex.sliders) == SLIDERS[family]
        defaults = values_of(ex)
        shown = check_state(ex, family, None)
        # each slider alone at its min, its max, then back to its default
        for name, slider in ex.sliders.items():
            for value in (*_ends(slider), defaults[name]):
                ex.set(**{name: value})
                assert ex.sliders[name].value == value
                shown = check_state(ex, family, shown)
        # every corner of the parameter box (epochs at its min and max too)
        names = list(ex.sliders)
        for corner in itertools.product((0, 1), repeat=len(names)):
            values = {n: _ends(ex.sliders[n])[c] for n, c in zip(names, corner)}
            ex.set(**values)
            shown = check_state(ex, family, shown)
        ex.set(**defaults)
        check_state(ex, family, shown)
        assert ex.readouts()["error"] is None


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_reset_restores_the_built_values_and_figure(family):
    ex = schedule_explorer(family)
    built, t0, lr0, png = values_of(ex), *ex.data(), ex.chart.value
    ex.set(**{n: _ends(sl)[1] for n, sl in ex.sliders.items()})
    assert ex.chart.value != png
    ex.reset()
    assert values_of(ex) == built
    assert ex.schedule() == EXPECTED[family](built)
    t1, lr1 = ex.data()
    assert np.array_equal(t1, t0) and np.array_equal(lr1, lr0)
    assert ex.chart.value == png


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_moving_a_slider_runs_the_callback(family):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = schedule_explorer(family)
        before = ex.data()[1]
        png = ex.chart.value
        ex.sliders["lr0"].value = 0.37  # what the front end does: the observer fires
        assert ex.schedule() == EXPECTED[family](values_of(ex))
        assert ex.data()[1][0] == pytest.approx(before[0] * 0.37 / 0.1, rel=1e-12)
        assert ex.chart.value != png
        ex.sliders["epochs"].value = 40
        assert len(ex.data()[0]) == 41


def test_slider_labels_say_what_they_mean_and_ranges_come_from_the_one_table():
    from decaylib.viz import live
    from decaylib.viz.sliders import FAMILY_RANGES, RANGES, slider_label

    for family in FAMILIES:
        ex = schedule_explorer(family)
        for name, slider in ex.sliders.items():
            # the keyword name, then what it means: "eps (factor per epoch)"
            assert slider.description == slider_label(name, family)
            assert re.fullmatch(r"[a-z0-9_]+ \([^()]+\)", slider.description), slider.description
            assert slider.continuous_update is True  # follows a drag (ipywidgets keeps one update in flight)
            if name != "boundaries":
                r = FAMILY_RANGES.get((family, name), RANGES[name])
                assert (slider.min, slider.max, slider.step) == (r.low, r.high, r.step), (family, name)
    # the live charts read the same table: same ranges, same labels
    for family in ("inverse_time", "exponential", "inverse_sqrt", "step_decay"):
        ex = schedule_explorer(family)
        chart = live.explorer(family)
        for p in chart.params:
            name = "epochs" if p.name == "n" else p.name
            slider = ex.sliders[name]
            assert p.bind["name"] == slider.description
            assert (p.bind["min"], p.bind["step"]) == (slider.min, slider.step), (family, name)
            if name != "epochs":
                assert p.bind["max"] == slider.max, (family, name)


def test_ghost_log_scale_and_code_read_out():
    from decaylib.frameworks.codegen import code

    ex = schedule_explorer("inverse_time", lr0=0.5, decay_rate=0.3)
    t, _ = ex.data()
    np.testing.assert_array_equal(ex._ghost.get_ydata(), decaylib.inverse_time(0.5, 0.3)(t))
    ex.set(decay_rate=1.5)
    np.testing.assert_array_equal(ex._ghost.get_ydata(), decaylib.inverse_time(0.5, 0.3)(t))  # stays
    assert "decaylib.inverse_time(lr0=0.5, decay_rate=1.5)" in ex.readout.value
    for framework in ("pytorch", "keras", "optax"):
        line = code(decaylib.inverse_time(0.5, 1.5), framework)
        assert html_escape(line) in ex.code.value
    png = ex.chart.value
    ex.log_scale.value = True
    assert ex._ax.get_yscale() == "log" and ex.chart.value != png
    ex.log_scale.value = False
    assert ex.chart.value == png
    ex.reset_button.click()
    assert ex.schedule() == decaylib.inverse_time(0.5, 0.3)
    # the disconnected note: hidden until ipywidgets marks the view disconnected
    header = ex.children[0].value
    assert ".jupyter-widgets-disconnected .decaylib-stale{display:block}" in header
    assert "Run this cell again" in header


def html_escape(text):
    import html

    return html.escape(text)


def test_known_values_inverse_time_and_the_course_staircase():
    ex = schedule_explorer("inverse_time", lr0=0.5, decay_rate=1.0, epochs=10)
    t, lr = ex.data()
    assert lr[2] == 0.5 / 3  # the course's update_lr(0.5, 2, 1) -> 0.1666...
    assert ex.readouts()["half_life"] == 1.0
    assert ex.readouts()["robbins_monro"].satisfied
    ex = schedule_explorer("staircase_inverse_time", lr0=0.5, decay_rate=0.3, every=100, epochs=200)
    t, lr = ex.data()
    assert lr[10] == 0.5
    assert lr[100] == pytest.approx(0.3846153846153846, rel=1e-15)


def test_piecewise_switches_at_the_boundaries():
    ex = schedule_explorer("piecewise_constant", lr0=0.1, boundaries=(30, 60), eps=0.1)
    _, lr = ex.data()
    assert (lr[29], lr[30], lr[31]) == (0.1, 0.1 * 0.1, 0.1 * 0.1)
    assert (lr[59], lr[60], lr[61]) == (0.1 * 0.1, 0.1 * 0.1**2, 0.1 * 0.1**2)


def test_invalid_combinations_show_a_message_and_keep_the_last_curve():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = schedule_explorer("piecewise_constant")
        ex.set(boundaries=(20, 50))
        good = ex.schedule()
        t0, lr0 = ex.data()
        ex.set(boundaries=(20, 20))  # equal boundaries: not strictly increasing
        msg = ex.readouts()["error"]
        assert "boundaries" in msg and "differ" in msg
        assert "Not drawn" in ex.readout.value and "differ" in ex.readout.value
        assert ex.schedule() is good
        np.testing.assert_array_equal(ex.data()[1], lr0)
        import traitlets

        with pytest.raises(traitlets.TraitError):  # the two-handle slider cannot hold them out of order
            ex.set(boundaries=(50, 10))
        assert ex.sliders["boundaries"].value == (20, 20)
        ex.set(boundaries=(20, 20), epochs=70)  # the horizon still works: last valid curve over it
        np.testing.assert_array_equal(ex.data()[1], ex.schedule()(np.arange(71.0)))
        ex.set(boundaries=(20, 40))  # valid again: message gone
        assert ex.readouts()["error"] is None and "Not drawn" not in ex.readout.value
        assert ex.schedule() == EXPECTED["piecewise_constant"](values_of(ex))

        ex = schedule_explorer("cosine", lr0=0.1, lr_min=0.0)
        good = ex.schedule()
        ex.set(lr_min=0.2)  # above lr0
        assert "lr_min" in ex.readouts()["error"]
        assert ex.schedule() is good
        ex.set(lr0=0.5)
        assert ex.readouts()["error"] is None
        assert ex.schedule() == decaylib.cosine(0.5, 100, 0.2)


def test_defaults_and_bad_arguments():
    ex = schedule_explorer("exponential", lr0=2.0, eps=0.9, epochs=30)
    assert ex.sliders["lr0"].value == 2.0 and ex.sliders["lr0"].max >= 2.0  # widened, not clamped
    assert ex.schedule() == decaylib.exponential(2.0, 0.9)
    assert ex.sliders["epochs"].value == 30
    with pytest.raises(ValueError, match="family"):
        schedule_explorer("linear")
    with pytest.raises(ValueError, match="decay_rate"):
        schedule_explorer("exponential", decay_rate=0.1)
    with pytest.raises(ValueError, match="epochs"):
        schedule_explorer("exponential", epochs=0)
    with pytest.raises(ValueError, match="every"):
        schedule_explorer("step_decay", every=2.5)
    with pytest.raises(ValueError, match="boundaries"):
        schedule_explorer("piecewise_constant", boundaries=(50, 40))
    with pytest.raises(ValueError, match="lr0"):
        schedule_explorer("inverse_time", lr0=float("nan"))
    with pytest.raises(ValueError, match="allowed"):
        schedule_explorer("cosine").set(eps=0.5)


def _png_of(img_html):
    m = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', img_html)
    assert m, img_html[:200]
    return Image.open(io.BytesIO(base64.b64decode(m.group(1)))), m.group(2)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_mimebundle_has_static_html_fallback_at_defaults(family):
    ex = schedule_explorer(family)
    default_png = ex.chart.value
    bundle = ex._repr_mimebundle_()
    assert isinstance(ex, Explorer)
    assert bundle[WIDGET_MIME]["model_id"] == ex.model_id
    assert "kernel" in bundle["text/plain"] and len(bundle["text/plain"]) < 200
    page = bundle["text/html"]
    img, alt = _png_of(page)
    assert img.size == (560, 300)  # smaller than the book's figures: fits 1280x800 with the read-outs
    assert "learning rate against epoch" in alt and len(alt) > 60
    assert "make lab" in page and "running Python kernel" in page
    assert "<code>make lab</code>" in page
    assert "half-life" in page  # the read-outs at the defaults
    # moving the sliders does not change the fallback: it shows the defaults
    ex.set(lr0=0.9, epochs=300)
    assert ex._repr_mimebundle_()["text/html"] == page
    assert ex.chart.value != default_png
    assert STATIC_NOTE.startswith("This explorer needs a running Python kernel")


def test_chart_alt_text_follows_the_curve():
    ex = schedule_explorer("exponential", lr0=0.1, eps=0.5, epochs=10)
    _, alt = _png_of(ex.chart.value)
    assert "exponential(lr0=0.1, eps=0.5)" in alt
    assert "from 0.1 at t = 0" in alt and "halves at epoch 1" in alt


def test_an_unexpected_error_in_the_callback_is_shown_not_raised(monkeypatch):
    ex = schedule_explorer("inverse_time")
    good = ex.schedule()

    def broken(**kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(ex, "_spec", FAMILIES["inverse_time"].__class__("t", FAMILIES["inverse_time"].params, broken))
    ex.sliders["decay_rate"].value = 0.7  # must not raise
    assert "RuntimeError: boom" in ex.readouts()["error"]
    assert "boom" in ex.readout.value
    assert ex.schedule() is good
