"""Shared set-up of the decaylib test suite.

* A deterministic hypothesis profile (derandomised, modest example counts, no
  deadline: the machine is shared) loaded for every test.
* Independent references: sums computed by mpmath at high precision, term by
  term or by Euler-Maclaurin summation (``mpmath.sumem``) -- never through a
  decaylib closed form.
"""
import os
from typing import Callable, NamedTuple

import mpmath
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "deterministic",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    database=None,  # derandomised: nothing to replay, nothing written to .hypothesis/examples
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", derandomize=False, max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("DECAYLIB_HYPOTHESIS_PROFILE", "deterministic"))

#: decimal digits of every mpmath reference
REF_DPS = 50


def mp_sum(term, n, head=2000):
    """sum_{t=0}^{n-1} term(t) with mpmath: ``head`` terms one by one, the tail
    by Euler-Maclaurin.  ``term`` must be smooth on ``[head, n)`` and scaled to
    O(1) values (``sumem``'s error control is absolute)."""
    with mpmath.workdps(REF_DPS):
        m = min(n, head)
        s = mpmath.fsum(term(mpmath.mpf(j)) for j in range(m))
        if n > m:
            s += mpmath.sumem(term, [m, n - 1])
        return s


def rel_err(got, ref):
    """|got - ref| / |ref| computed in mpmath (0 when both are 0)."""
    with mpmath.workdps(REF_DPS):
        ref = mpmath.mpf(ref)
        diff = abs(mpmath.mpf(got) - ref)
        if ref == 0:
            return float(diff)
        return float(diff / abs(ref))


class Refs(NamedTuple):
    """The reference helpers, handed to tests by the ``refs`` fixture (hashable,
    so module-level ``functools.cache`` helpers can take it as an argument)."""

    mp_sum: Callable
    rel_err: Callable
    dps: int


@pytest.fixture(scope="session")
def refs():
    return Refs(mp_sum, rel_err, REF_DPS)


@pytest.fixture(autouse=True)
def _fixed_mp_precision():
    """Each test starts with mpmath's default precision and leaves it so."""
    saved = mpmath.mp.dps
    mpmath.mp.dps = 15
    yield
    mpmath.mp.dps = saved



# pytest 9 collects conftest.py files as doctest modules (--doctest-modules in
# pyproject); two conftest.py outside packages (this one and tests/browser/)
# then clash on the module name "conftest".  This file has no doctests.
collect_ignore = ["conftest.py"]


# --- where `make test`'s time goes (issue 15) -------------------------------
# Summed over every item's setup, call and teardown, grouped by suite; with
# pytest-xdist the items of different groups overlap, so the wall time of the
# whole run is printed beside the sums.
import collections
import time

_SUITE_TIME: dict[str, float] = collections.defaultdict(float)
_SUITE_ITEMS: dict[str, set] = collections.defaultdict(set)
_STARTED = time.monotonic()


def _suite(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.startswith("book/"):
        return "notebooks (nbval)"
    if path.startswith("decaylib/"):
        return "doctests (decaylib)"
    if path.startswith("tests/browser/"):
        return "browser: " + path.rsplit("/", 1)[-1].removesuffix(".py")
    return "unit and property tests"


def pytest_runtest_logreport(report):
    _SUITE_TIME[_suite(report.nodeid)] += report.duration
    _SUITE_ITEMS[_suite(report.nodeid)].add(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if not _SUITE_TIME:
        return
    tr = terminalreporter
    tr.section("time per suite (summed over items; workers run in parallel)")
    for suite, seconds in sorted(_SUITE_TIME.items(), key=lambda kv: -kv[1]):
        tr.write_line(f"{seconds:8.1f} s  {len(_SUITE_ITEMS[suite]):5d} items  {suite}")
    tr.write_line(f"{time.monotonic() - _STARTED:8.1f} s  wall time of the whole run")
