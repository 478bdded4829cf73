"""Browser tests of the built book and of JupyterLab (see README.md here).

A package, so that its conftest is ``browser.conftest`` and never shadows
``tests/conftest.py`` (whose helpers other test modules import as
``conftest``).  ``bookbrowser`` stays importable under its short name for
modules written as ``from bookbrowser import ...``.
"""

import sys

from . import bookbrowser

sys.modules.setdefault("bookbrowser", bookbrowser)
