"""The core is light: `import decaylib` loads numpy, sympy and mpmath, nothing heavier."""
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

HEAVY = ("matplotlib", "ipywidgets", "altair", "sklearn", "torch", "jax", "keras", "optax", "PIL", "IPython")


def test_import_decaylib_loads_nothing_heavy():
    code = ("import sys, decaylib; decaylib.exponential(0.1, 0.9).cumulative(float('inf')); "
            "import decaylib.frameworks; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import decaylib loaded {out.stdout.strip()}"


@pytest.mark.parametrize("room, needs", [("viz", "ipywidgets"), ("sim", "numpy")])
def test_rooms_load_on_first_use(room, needs):
    code = f"import sys, decaylib; assert 'decaylib.{room}' not in sys.modules; decaylib.{room}; print('{needs}' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_viz_loads_altair_only_for_a_live_chart():
    """The ipywidgets explorers and figures need no altair (over a second of every chapter
    kernel's start-up, most of it jsonschema's format checkers); a live chart loads it."""
    code = ("import sys, decaylib.viz; decaylib.viz.schedule_explorer; print('altair' in sys.modules); "
            "decaylib.viz.live.explorer('inverse_time'); print('altair' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_core_declares_only_numpy_sympy_mpmath():
    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    names = sorted(d.split(">")[0].split("=")[0].split("<")[0].strip() for d in meta["project"]["dependencies"])
    assert names == ["mpmath", "numpy", "sympy"]


def test_core_modules_import_no_room():
    """The core's source never imports decaylib.viz or decaylib.sim (rooms depend on the core, not back)."""
    core = Path(__file__).parents[1] / "decaylib"
    for path in core.glob("*.py"):
        text = path.read_text()
        for room in ("viz", "sim"):
            assert f"from .{room}" not in text and f"decaylib.{room} import" not in text, (path.name, room)


def test_no_widget_class_in_a_simulation_module():
    sim = Path(__file__).parents[1] / "decaylib" / "sim"
    for path in sim.glob("*.py"):
        assert "ipywidgets" not in path.read_text() and "matplotlib" not in path.read_text(), path.name
