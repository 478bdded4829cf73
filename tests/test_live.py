"""The live explorers' browser-side formulas, evaluated by the real Vega runtime.

``decaylib.viz.live`` prints each family's sympy formula as a Vega expression.
Here Node runs those expressions, and the whole compiled charts, through the
npm ``vega`` / ``vega-lite`` packages the book vendors (tests/js/eval_live.mjs),
and every value is compared with decaylib's own numpy evaluation to 1e-12
relative, on a grid of parameters that includes the edges (decay_rate = 0,
eps = 1 and eps near 1, k and lr0 small and large, boundaries hit exactly,
t up to 1e9).  Read-outs too: the half-life against ``half_life()``, the
budget against ``cumulative(n)``.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import decaylib
from decaylib.viz import embed, live, vega
from decaylib.symbols import t as t_sym

REPO = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
HARNESS = REPO / "tests" / "js" / "eval_live.mjs"
RTOL = 1e-12
TINY = np.finfo(np.float64).tiny  # below it pow() results are subnormal: ulps are huge


def _node_modules() -> Path:
    modules = REPO / "node_modules"
    if all((modules / p / "package.json").is_file() for p in ("vega", "vega-lite")):
        return modules
    listed = json.loads((REPO / "package.json").read_text()).get("dependencies", {}) if (REPO / "package.json").is_file() else {}
    if "vega" in listed:
        pytest.fail("node_modules/vega is missing although package.json lists it: run `npm ci` (make setup)")
    pytest.skip("package.json does not list the vega npm packages, so there is no Vega runtime to test against")


def run_node(job: dict) -> dict:
    if NODE is None:
        pytest.skip("node is not installed: the generated Vega expressions cannot be evaluated")
    proc = subprocess.run([NODE, str(HARNESS), str(_node_modules())], input=json.dumps(job),
                          capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise AssertionError(f"node failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def num(x):
    """A number from the harness's JSON (non-finite ones come as strings)."""
    return float(x) if isinstance(x, str) else (math.nan if x is None else x)


def assert_close(got, ref, what):
    got, ref = np.asarray([num(g) for g in got], dtype=float), np.asarray(ref, dtype=float)
    normal = np.abs(ref) >= TINY
    np.testing.assert_allclose(got[normal], ref[normal], rtol=RTOL, atol=0, err_msg=what)
    # where the reference underflows (0 or subnormal) the browser's must too
    assert np.all(np.abs(got[~normal]) < 2 * TINY), what


# -- the grid -----------------------------------------------------------------

T = np.concatenate([np.arange(0.0, 121.0), [0.5, 29.999, 127.5, 1e3, 12345.0, 1e6, 1e9]])

GRID = {
    "inverse_time": [dict(lr0=a, decay_rate=d) for a in (1e-3, 0.1, 1.0, 7.5)
                     for d in (0.0, 1e-9, 0.01, 0.1, 1.0, 2.0, 1e3)],
    "exponential": [dict(lr0=a, eps=e) for a in (1e-3, 0.1, 2.0)
                    for e in (1e-3, 0.05, 0.5, 0.9, 0.95, 0.999, 1 - 1e-9, 1.0)],
    "inverse_sqrt": [dict(lr0=a, k=k) for a in (1e-3, 0.1, 1.0, 4.0) for k in (0.05, 0.1, 1.0, 2.5, 5.0)],
    "step_decay": [dict(lr0=a, eps=e, every=n) for a in (0.1, 1.0)
                   for e in (0.1, 0.5, 0.95, 1.0) for n in (1, 3, 10, 50)],
}
PIECEWISE = [
    ([30.0, 60.0], [0.1, 0.01, 0.001]),
    ([1.0, 2.0], [1.0, 0.5, 0.25]),
    ([5.0], [0.2, 0.3]),
    ([0.5, 2.5, 99.5], [0.4, 0.3, 0.2, 0.1]),
    ([29.999, 30.0, 1e6], [1.0, 2.0, 3.0, 1e-3]),
]


def decaylib_schedule(family, **p):
    """The reference: decaylib's own factory."""
    if family == "step_decay":
        return decaylib.step_decay(p["lr0"], p["eps"], p["every"])
    if family == "piecewise_constant":
        m = sum(k.startswith("boundaries_") for k in p)
        return decaylib.piecewise_constant([p[f"boundaries_{i}"] for i in range(m)],
                                           [p[f"values_{i}"] for i in range(m + 1)])
    return getattr(decaylib, family)(**p)


def flat(bs, vs):
    out = {f"boundaries_{i}": b for i, b in enumerate(bs)}
    out.update({f"values_{i}": v for i, v in enumerate(vs)})
    return out


CASES = [(f, p, live.live_family(f).expression()) for f, grid in GRID.items() for p in grid]
CASES += [("piecewise_constant", flat(bs, vs), live.live_family("piecewise_constant", len(bs)).expression())
          for bs, vs in PIECEWISE]
HALF = [(f, p, live.live_family(f).half_life_expression())
        for f in ("inverse_time", "exponential", "inverse_sqrt") for p in GRID[f]]


# -- explorer charts and the slider settings replayed in Node ------------------

RUNS = {
    "inverse_time": [dict(decay_rate=0.0), dict(decay_rate=2.0, lr0=1.0), dict(decay_rate=0.37, n=1),
                     dict(lr0=0.004, decay_rate=0.05, n=400)],
    "exponential": [dict(eps=1.0), dict(eps=0.995, n=400), dict(eps=0.5, lr0=0.9, n=7), dict(eps=0.7, n=1)],
    "inverse_sqrt": [dict(k=5.0), dict(k=0.1, lr0=0.003, n=400), dict(n=2)],
    "step_decay": [dict(eps=1.0), dict(every=1, eps=0.5), dict(every=50, n=400), dict(every=7, eps=0.3, n=21),
                   dict(eps=0.9, n=20)],
    "piecewise_constant": [dict(boundaries_0=1, boundaries_1=2), dict(values_1=0.2), dict(boundaries_1=99, n=99),
                           dict(boundaries_1=100, n=100), dict(values_0=0.5, values_1=0.3, values_2=0.2, n=400),
                           # issue 11: the sliders crossed (the 400 > 60), and equal
                           dict(boundaries_0=400, boundaries_1=60, n=400), dict(boundaries_0=80, boundaries_1=20),
                           dict(boundaries_0=50, boundaries_1=50, values_1=0.7)],
}
EPOCHS = 100


def split_data(data: dict):
    """The curve rows (t, lr, family) and read-out rows (budget, half_life) of a view."""
    lines, readouts = {}, {}
    for rows in data.values():
        if rows and "family" in rows[0] and "lr" in rows[0] and "budget" not in rows[0]:
            for r in rows:
                lines.setdefault(r["family"], {})[r["t"]] = r["lr"]
        if rows and "budget_text" in rows[0]:
            for r in rows:
                readouts.setdefault(r.get("family"), []).append(r)
    return lines, readouts


CUSTOM_COMPARISON = live.comparison(
    epochs=60, lr0=0.3, families=("exponential", "piecewise_constant", "inverse_time"),
    exponential={"eps": 0.9}, piecewise_constant={"boundaries": [10, 20, 40], "values": [1, 0.5, 0.25, 0.1]},
    inverse_time={"decay_rate": 0.0})


MATCHED_RUNS = [dict(half_life=1), dict(half_life=37, lr0=0.8, n=400), dict(match="rate"),
                dict(rate=0.01, at=3, n=50), dict(rate=0.3, lr0=0.2), dict(at=1, rate=0.0995, lr0=0.1),
                dict(match="half_life", half_life=150, n=10)]


@pytest.fixture(scope="module")
def node_results():
    job = {
        "expressions": [{"expr": e, "signals": p, "t": T.tolist()} for _, p, e in CASES]
        + [{"expr": e, "signals": p, "t": [0.0]} for _, p, e in HALF],
        "charts": [{"spec": live.explorer(f, epochs=EPOCHS).to_dict(), "runs": RUNS[f]} for f in live.FAMILIES]
        + [{"spec": live.comparison(epochs=EPOCHS).to_dict(),
            "runs": [dict(lr0=0.5), dict(lr0=0.001, n=400), dict(lr0=0.25, n=1), dict(n=31)]},
           {"spec": CUSTOM_COMPARISON.to_dict(), "runs": [dict(lr0=0.7, n=120), dict(n=3)]},
           {"spec": live.matched(epochs=EPOCHS).to_dict(), "runs": MATCHED_RUNS}],
    }
    out = run_node(job)
    print("Vega runtime used:", out["versions"])
    return out


# -- tests ----------------------------------------------------------------------


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{f}-{'-'.join(f'{v:g}' for v in p.values())}"
                                                    for f, p, _ in CASES])
def test_expression_equals_decaylib(node_results, i):
    family, params, expr = CASES[i]
    ref = decaylib_schedule(family, **params)(T)
    assert_close(node_results["expressions"][i], ref, f"{family} {params}: {expr}")


def test_half_life_closed_form_equals_decaylib(node_results):
    got = node_results["expressions"][len(CASES):]
    assert len(got) == len(HALF)
    for (family, params, expr), (value,) in zip(HALF, got):
        ref = decaylib_schedule(family, **params).half_life()
        if math.isinf(ref):  # constant members: the raw closed form is not a finite t >= 0
            assert not (math.isfinite(num(value)) and num(value) >= 0), (family, params, expr, value)
        else:
            assert_close([value], [ref], f"{family} {params}: {expr}")


def check_view(family, params, signals, data, label=None):
    """One family's curve and read-outs in a view against decaylib."""
    n = int(signals["n"])
    s = decaylib_schedule(family, **params)
    lines, readouts = split_data(data)
    label = label or live.live_family(family, sum(k.startswith("boundaries_") for k in params) or 2).label
    curve = lines[label]
    assert sorted(curve) == list(range(n)), f"{family}: plotted epochs are not t = 0 .. n-1 for n = {n}"
    ts = np.arange(n, dtype=float)
    assert_close([curve[x] for x in range(n)], s(ts), f"{family} {params} curve")
    row = (readouts.get(label) or readouts[None])[0]
    assert_close([row["budget"]], [s.cumulative(n)], f"{family} {params} budget")
    h = s.half_life()
    if family in ("step_decay", "piecewise_constant"):  # first plotted epoch at or below half
        expect = h if h < n else None
        assert row["half_life"] == expect, (family, params, row["half_life"], h)
    elif math.isinf(h):
        assert row["half_life"] is None and "never" in row["half_text"]
    else:
        assert_close([row["half_life"]], [h], f"{family} {params} half-life")
    assert f"0…{n - 1}" in row["budget_text"]


@pytest.mark.parametrize("k", range(len(live.FAMILIES)), ids=live.FAMILIES)
def test_explorer_chart_data_equals_decaylib(node_results, k):
    family = live.FAMILIES[k]
    runs = node_results["charts"][k]
    assert len(runs) == len(RUNS[family]) + 1
    for run in runs:
        check_explorer(family, run["signals"], run["data"])
    # every replayed setting really changed the signals it names
    for asked, run in zip(RUNS[family], runs[1:]):
        assert {k: run["signals"][k] for k in asked} == asked


def check_explorer(family, signals, data):
    """An explorer's curve and read-outs at its current slider values, against decaylib."""
    params = {name: v for name, v in signals.items() if name != "n" and not name.startswith("boundary_sorted_")}
    if family == "piecewise_constant":
        params = ordered_piecewise(params)
        code = piecewise_code_line(data)
        assert code.startswith("decaylib.piecewise_constant(boundaries=["), code
        shown = eval(code, {"decaylib": decaylib})  # the "as code" line runs, and is the schedule drawn
        assert repr(shown) == repr(decaylib_schedule(family, **params)), (code, params)
    check_view(family, params, signals, data)


def ordered_piecewise(params: dict) -> dict:
    """Slider values -> the piecewise schedule drawn: boundaries in order, empty pieces dropped.

    Piece i holds values_i between the i-th and (i+1)-th smallest boundary; decaylib wants
    strictly increasing boundaries, so a piece between two equal boundaries goes (it is empty).
    """
    m = sum(k.startswith("boundaries_") for k in params)
    bs = sorted(params[f"boundaries_{i}"] for i in range(m))
    keep_b, keep_v = [bs[0]], [params["values_0"]]
    for i in range(1, m):
        if bs[i] > bs[i - 1]:
            keep_b.append(bs[i])
            keep_v.append(params[f"values_{i}"])
    keep_v.append(params[f"values_{m}"])
    return flat(keep_b, keep_v)


def piecewise_code_line(data: dict) -> str:
    """The piecewise chart's "as code" read-out (its text lines after the first two), as one line."""
    rows = [r for rows in data.values() for r in rows if isinstance(r, dict) and "lines" in r]
    assert rows, "no read-out text rows"
    lines = rows[0]["lines"]
    assert lines[2].startswith("as code: "), lines
    return (lines[2][len("as code: "):] + lines[3].strip()).replace("(boundaries", "(boundaries")


#: the comparison's fixed parameters by default (lr0 is its slider)
DEFAULT_FIXED = {
    "inverse_time": dict(decay_rate=0.1),
    "exponential": dict(eps=0.95),
    "inverse_sqrt": dict(k=1.0),
    "step_decay": dict(eps=0.5, every=10),
    "piecewise_constant": dict(boundaries_0=30, boundaries_1=60, values_over_lr0_0=1.0,
                               values_over_lr0_1=0.1, values_over_lr0_2=0.01),
}


def check_comparison(signals, data, meta):
    """The comparison chart's curves at the current lr0 and n, against decaylib
    with each family's fixed parameters (``meta``: the chart's usermeta)."""
    lr0, n = signals["lr0"], signals["n"]
    lines, _ = split_data(data)
    assert sorted(lines) == sorted(meta["labels"])
    for family, label in zip(meta["families"], meta["labels"]):
        params = {"lr0": lr0} if family != "piecewise_constant" else {}
        for k, v in meta["fixed"][family].items():
            if k.startswith("values_over_lr0_"):
                params[k.replace("_over_lr0", "")] = v * lr0
            else:
                params[k] = v
        check_view(family, params, {"n": n}, data, label=label)


def test_comparison_chart_data_equals_decaylib(node_results):
    runs = node_results["charts"][len(live.FAMILIES)]
    spec = live.comparison(epochs=EPOCHS).to_dict()
    meta = spec["usermeta"]["decaylib"]
    assert meta["families"] == list(live.FAMILIES)
    assert meta["fixed"] == DEFAULT_FIXED
    assert meta["labels"] == spec["vconcat"][0]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    for run in runs:
        check_comparison(run["signals"], run["data"], meta)


def test_comparison_with_chosen_families_and_parameters(node_results):
    runs = node_results["charts"][len(live.FAMILIES) + 1]
    meta = CUSTOM_COMPARISON.to_dict()["usermeta"]["decaylib"]
    assert meta["fixed"] == {
        "exponential": {"eps": 0.9}, "inverse_time": {"decay_rate": 0.0},
        "piecewise_constant": {"boundaries_0": 10, "boundaries_1": 20, "boundaries_2": 40, "values_over_lr0_0": 1.0,
                               "values_over_lr0_1": 0.5, "values_over_lr0_2": 0.25, "values_over_lr0_3": 0.1}}
    assert [r["signals"]["lr0"] for r in runs] == [0.3, 0.7, 0.7]
    for run in runs:
        check_comparison(run["signals"], run["data"], meta)


def check_matched(signals, data, meta):
    """The matched chart against decaylib.match_half_life / match_rate."""
    lines, _ = split_data(data)
    lr0, n = signals["lr0"], signals["n"]
    for family, label in zip(meta["families"], meta["labels"]):
        try:
            if signals["match"] == "half_life":
                s = decaylib.match_half_life(family, lr0, signals["half_life"])
            else:
                s = decaylib.match_rate(family, lr0, signals["rate"], signals["at"])
        except ValueError:  # no member matches: the chart leaves the family out
            assert label not in lines, (family, signals)
            continue
        check_view(family, s.params, {"n": n}, data, label=label)


def test_matched_chart_equals_decaylib_matching(node_results):
    runs = node_results["charts"][len(live.FAMILIES) + 2]
    meta = live.matched(epochs=EPOCHS).to_dict()["usermeta"]["decaylib"]
    assert meta["families"] == ["inverse_time", "exponential", "inverse_sqrt"]
    seen = set()
    for run in runs:
        check_matched(run["signals"], run["data"], meta)
        seen.add((run["signals"]["match"], tuple(sorted(split_data(run["data"])[0]))))
    # both rules, with and without inverse_sqrt / the decaying families, were exercised
    assert ("half_life", ("exponential", "inverse time")) in seen
    assert ("rate", ("exponential", "inverse square root", "inverse time")) in seen
    assert ("rate", ("inverse square root",)) in seen


def test_slider_settings_move_the_curve(node_results):
    """Each replayed slider setting changes the drawn values (no dead slider)."""
    for k, family in enumerate(live.FAMILIES):
        runs = node_results["charts"][k]
        base = split_data(runs[0]["data"])[0]
        for asked, run in zip(RUNS[family], runs[1:]):
            assert split_data(run["data"])[0] != base, (family, asked)


# -- the printer ------------------------------------------------------------------


def test_printer_speaks_vega_not_javascript():
    x = sp.Symbol("x")
    names = {x: "x", t_sym: "datum.t"}
    e = vega.vega_expression
    assert e(sp.floor(t_sym / 3), names) == "floor((1/3)*datum.t)"
    assert e(sp.sqrt(x) + sp.exp(x) + sp.log(x) + sp.cos(sp.pi * x), names) == "sqrt(x) + exp(x) + log(x) + cos(PI*x)"
    assert e(sp.Min(x, t_sym) + sp.Max(x, 1), names) == "max(1, x) + min(datum.t, x)"
    assert e(x ** t_sym, names) == "pow(x, datum.t)"
    assert e(sp.Piecewise((1, t_sym < x), (2, True)), names) == "(datum.t < x ? 1 : 2)"
    assert e(sp.Float(0.1) * x, names) == "0.1*x"
    assert "Math." not in e(live.live_family("exponential").formula)
    for bad in (sp.digamma(x), sp.zeta(x), sp.gamma(x), sp.I * x):
        with pytest.raises(ValueError, match="no Vega expression"):
            e(bad, names)
    assert e(sp.zoo, names) == "NaN"  # 1/0 in sympy: no number, so no half-life
    with pytest.raises(ValueError, match="no Vega name"):
        e(sp.Symbol("y"), names)


def test_floats_print_so_they_read_back_exactly():
    rng = np.random.default_rng(5)
    for v in np.concatenate([rng.uniform(0, 1, 50), 10.0 ** rng.uniform(-300, 300, 50)]):
        assert float(vega.vega_expression(sp.Float(float(v)), {})) == v


# -- the charts (no browser needed) ---------------------------------------------------


def _calculates(spec):
    out = []

    def walk(node):
        if isinstance(node, dict):
            if "calculate" in node:
                out.append((node["as"], node["calculate"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


@pytest.mark.parametrize("family", live.FAMILIES)
def test_explorer_spec(family):
    chart = live.explorer(family)
    spec = chart.to_dict()
    fam = live.live_family(family)
    # the curve is the generated expression, nothing hand-written
    expected = fam.expression()
    if family == "piecewise_constant":  # drawn at the boundaries in order, whatever the sliders' order (issue 11)
        expected = expected.replace("boundaries_", "boundary_sorted_")
    assert ("lr", expected) in _calculates(spec)
    params = {p["name"]: p for p in spec["params"] if "bind" in p}
    assert list(params) == [*fam.symbols, "n"]
    assert [p["name"] for p in spec["params"] if "bind" not in p] == (
        ["boundary_sorted_0", "boundary_sorted_1"] if family == "piecewise_constant" else [])
    from decaylib.viz.sliders import slider_label

    for name, p in params.items():
        label = re.sub(r"_(\d+)$", r"[\1]", name) if name.startswith(("boundaries_", "values_")) else name
        label = "epochs" if name == "n" else label  # the explorers' word for the horizon
        # the vocabulary name, then what it means (the one table both kinds of explorer read)
        assert p["bind"]["input"] == "range" and p["bind"]["name"].startswith(f"{label} (")
        assert p["bind"]["name"] == slider_label("epochs" if name == "n" else name, family)
        assert p["bind"]["min"] <= p["value"] <= p["bind"]["max"]
    # computed in the browser from a sequence: no inline rows, a small spec
    assert spec["data"] == {"sequence": {"start": 0, "stop": 400, "as": "t"}}
    assert "values" not in json.dumps(spec["data"])
    assert len(json.dumps(spec)) < 12_000


def test_display_puts_the_controls_in_a_box_lumino_leaves_alone():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata or {}))
    chart = live.explorer("inverse_time")
    try:
        chart._ipython_display_()
    finally:
        shell.display_pub.publish = original
    (box, _), (data, metadata) = shown
    div = re.match(r'<div id="([\w-]+)" class="decaylib-live-controls" data-lm-suppress-shortcuts="true"></div>'
                   r'<script>.*data-lm-suppress-shortcuts.*</script>$', box["text/html"])
    assert div, box
    assert data[embed.VEGALITE_MIME] == chart.to_dict()
    # JupyterLab's Vega renderer reads embed_options.bind: the sliders go into that box
    assert metadata == {embed.VEGALITE_MIME: {"embed_options": {"bind": f"#{div[1]}"}}}


def test_mimebundle_is_the_vegalite_spec_jupyterlab_renders():
    chart = live.explorer("inverse_time")
    bundle = chart._repr_mimebundle_()
    # nothing JupyterLab would rank above its own Vega-Lite renderer
    assert set(bundle) == {embed.VEGALITE_MIME, "text/plain"}
    assert embed.VEGALITE_MIME == "application/vnd.vegalite.v5+json"
    assert bundle[embed.VEGALITE_MIME] == chart.to_dict()
    assert bundle[embed.VEGALITE_MIME]["usermeta"] == {"decaylib": {"family": "inverse_time"}}


def test_book_html_loads_nothing_and_calls_vega_embed():
    spec = live.explorer("inverse_time").to_dict()
    html = embed.book_html(spec, key="7-0")
    div, script = html.split("\n", 1)
    assert div == f'<div id="decaylib-live-inverse_time-{div.split("-")[3]}-7-0" class="decaylib-live" ' \
                  'data-decaylib-live="inverse_time"></div>'
    assert script.startswith('<script type="application/javascript">') and script.count("</script>") == 1
    assert re.search(r"vegaEmbed\(el, themed\(dark, values\), \{actions: false, ", script)  # issue 13: themed, fitted spec
    # the spec is in it verbatim ("</" escaped), and nothing is loaded: no URL
    # but the spec's $schema (vega-embed only reads the version from it), no
    # script element of its own, no Vega runtime inlined
    text = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    assert script.count(text) == 1
    rest = script.replace(text, "")
    assert not re.search(r"https?://|<script src|import\(|createElement", rest)
    assert len(html) < len(text) + 8_000  # issue 13: dark mode, phone width, text equivalent


def test_myst_nb_plugin_renders_the_spec_for_html_builders():
    from myst_nb.core.render import MimeData

    spec = live.comparison().to_dict()
    plugin = embed.MystNbPlugin
    assert ("html", embed.VEGALITE_MIME, 5) in plugin.mime_priority_overrides
    assert plugin.handle_mime(None, MimeData("text/plain", "x"), False) is None
    for content in (spec, json.dumps(spec)):
        (node,) = plugin.handle_mime(None, MimeData(embed.VEGALITE_MIME, content, cell_index=3, output_index=0), False)
        assert node["format"] == "html"
        assert node.astext() == embed.book_html(spec, key="3-0")


def test_myst_nb_finds_the_plugin():
    """Without the entry point the book build would skip the charts (and warn)."""
    from importlib.metadata import entry_points

    found = [ep.value for ep in entry_points(group="myst_nb.mime_renderers")]
    assert "decaylib.viz.embed:MystNbPlugin" in found, (
        'pyproject.toml needs [project.entry-points."myst_nb.mime_renderers"] '
        'decaylib_live = "decaylib.viz.embed:MystNbPlugin" (then `make setup` reinstalls decaylib)')


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="family must be one of"):
        live.explorer("cosine_restarts")
    with pytest.raises(ValueError, match="eps"):
        live.explorer("exponential", eps=1.5)
    with pytest.raises(ValueError, match="decay_rate"):
        live.explorer("inverse_time", decay_rate=-1)
    with pytest.raises(ValueError, match="exponential takes lr0, eps; got k"):
        live.explorer("exponential", k=2)
    with pytest.raises(ValueError, match="boundaries must be strictly increasing"):
        live.explorer("piecewise_constant", boundaries=[60, 30])
    with pytest.raises(ValueError, match="epochs"):
        live.explorer("exponential", epochs=0)
    with pytest.raises(ValueError, match="lr0"):
        live.comparison(lr0=0)


def test_defaults_reach_the_sliders():
    spec = live.explorer("piecewise_constant", epochs=50, boundaries=[10, 20, 40],
                         values=[0.3, 0.2, 0.1, 0.05]).to_dict()
    values = {p["name"]: p["value"] for p in spec["params"] if "bind" in p}
    assert values == {"boundaries_0": 10, "boundaries_1": 20, "boundaries_2": 40, "values_0": 0.3,
                      "values_1": 0.2, "values_2": 0.1, "values_3": 0.05, "n": 50}
    # and the boundaries the chart draws: the sliders' values in order (issue 11)
    assert [p["name"] for p in spec["params"] if "bind" not in p] == [f"boundary_sorted_{k}" for k in range(3)]
    spec = live.explorer("exponential", lr0=3.0).to_dict()
    lr0 = next(p for p in spec["params"] if p["name"] == "lr0")
    assert lr0["value"] == 3.0 and lr0["bind"]["max"] >= 3.0
