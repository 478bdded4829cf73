r"""What the book draws: colours, static figures, ipywidgets explorers, live Vega charts.

Needs matplotlib, ipywidgets and altair (``pip install .[viz]``).

================  =========================================================================
``style``         one colour and label per family (Okabe–Ito, colour-blind safe)
``figures``       static matplotlib figures: schedules against epoch, SGD paths on contours
``explorer``      the ipywidgets schedule explorer (needs a kernel)
``path_explorer`` the ipywidgets explorer of chapter 1's two SGD paths (needs a kernel)
``vega``          sympy formulas printed as Vega expressions
``sliders``       the live charts' families and sliders
``live``          live Vega-Lite charts that work in the static book, with no kernel
``embed``         how a live chart reaches JupyterLab and the built book (myst-nb plugin)
================  =========================================================================

>>> import decaylib
>>> from decaylib import viz
>>> viz.color(decaylib.exponential(0.1, 0.9)) == viz.COLORS["exponential"]
True
"""
from .explorer import schedule_explorer
from .figures import new_figure, plot_paths, plot_schedules
from .path_explorer import PATH_SLIDERS, PathExplorer, path_explorer
from .style import COLORS, LABELS, color



def __getattr__(name):
    # the live charts load altair (seconds): only for the notebooks that draw one
    if name == "live":
        import importlib

        return importlib.import_module(f"{__name__}.live")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COLORS", "LABELS", "PATH_SLIDERS", "PathExplorer", "color", "live", "new_figure", "path_explorer",
           "plot_paths", "plot_schedules", "schedule_explorer"]
