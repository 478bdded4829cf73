"""Benchmarks for decaylib and the book (``make bench``).

Prints every figure with the machine's description and writes BENCHMARKS.md.
Ratios are measured side by side in one run (interleaved repeats, medians with
their spread) because this machine is noisy.  Nothing here is a test: no
target is asserted, each row says whether it is met.

    python benchmarks/run.py [--quick] [--skip-build] [--skip-test] [--skip-pdf]
    python benchmarks/run.py --only fast          # the rows that need no build (minutes)
    python benchmarks/run.py --only numpy,memory  # sections: see --help
    python benchmarks/run.py --pages [--html _build/html]   # only the page-opening rows
"""
from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# this tree's decaylib, whatever the environment's editable install points at
sys.path.insert(0, str(ROOT))
import decaylib  # noqa: E402
ROWS: list[tuple[str, str, str, str]] = []  # (what, target, measured, verdict)


def timeit(fn, repeat, clock=time.perf_counter):
    """Times of ``repeat`` calls of ``fn`` in seconds."""
    out = []
    for _ in range(repeat):
        gc.collect()
        t0 = clock()
        fn()
        out.append(clock() - t0)
    return out


def paired(fa, fb, repeat, clock=time.thread_time):
    """Interleave fa and fb; return (times_a, times_b, ratios a/b).

    Timed by this thread's CPU time (numpy runs these on one thread): the
    machine is shared, and time spent waiting for a core is no part of either
    side; waiting for memory is (it is CPU time)."""
    ta, tb = [], []
    for _ in range(repeat):
        ta += timeit(fa, 1, clock)
        tb += timeit(fb, 1, clock)
    return ta, tb, [a / b for a, b in zip(ta, tb)]


def spread(xs):
    """``median (min–max)`` of a list of numbers."""
    return statistics.median(xs), min(xs), max(xs)


def fmt_ratio(xs):
    m, lo, hi = spread(xs)
    return f"{m:.2f}× ({lo:.2f}–{hi:.2f})"


def row(what, target, measured, ok):
    verdict = "info" if target == "(info)" else ("met" if ok else "MISSED")
    ROWS.append((what, target, measured, verdict))
    print(f"{what:<62} {measured:<34} target {target:<12} {verdict}", flush=True)


# -- the schedules and their hand-written numpy twins -------------------------

LR0, D, EPS, K, EVERY = 0.1, 0.01, 0.95, 2.0, 30
LR_MIN, RAMP, SWITCH = 0.001, 1000, 5000


def _hand_cosine(t, total, lr0=LR0, lr_min=LR_MIN):
    return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * np.minimum(t, total) / total)) / 2


FAMILIES = {
    "inverse_time": (decaylib.inverse_time(LR0, D), lambda t: LR0 / (1 + D * t)),
    "exponential": (decaylib.exponential(LR0, EPS), lambda t: LR0 * EPS**t),
    "inverse_sqrt": (decaylib.inverse_sqrt(LR0, K), lambda t: LR0 * K / np.sqrt(t + 1)),
    "step_decay": (decaylib.step_decay(LR0, EPS, EVERY), lambda t: LR0 * EPS ** np.floor(t / EVERY)),
    "piecewise_constant": (
        decaylib.piecewise_constant([30, 60, 90], [LR0, LR0 / 10, LR0 / 100, LR0 / 1000]),
        lambda t: np.select([t < 30, t < 60, t < 90], [LR0, LR0 / 10, LR0 / 100], LR0 / 1000),
    ),
}


def schedules(total):
    """Every schedule against the numpy a user would write for it; the ones with
    a horizon (cosine, linear, warm-up) decay over all ``total`` epochs measured,
    as in training, so no block of them is the constant tail."""
    return {
        **FAMILIES,
        "staircase(inverse_time)": (decaylib.staircase(decaylib.inverse_time(LR0, D), EVERY),
                                    lambda t: LR0 / (1 + D * np.floor(t / EVERY))),
        "cosine": (decaylib.cosine(LR0, total, LR_MIN), lambda t: _hand_cosine(t, total)),
        "linear": (decaylib.linear(LR0, LR_MIN, total),
                   lambda t: LR0 + (LR_MIN - LR0) * np.minimum(t, total) / total),
        "join(constant, exponential)": (
            decaylib.join([decaylib.constant(LR0), decaylib.exponential(LR0, EPS)], [SWITCH]),
            lambda t: np.where(t < SWITCH, LR0, LR0 * EPS ** (t - SWITCH)),
        ),
        "warmup(cosine)": (
            decaylib.warmup(decaylib.cosine(LR0, total - RAMP, LR_MIN), RAMP),
            lambda t: np.where(t < RAMP, LR0 * t / RAMP, _hand_cosine(t - RAMP, total - RAMP)),
        ),
    }


DTYPES = (np.int64, np.float64)  # users pass np.arange(n): int64


def bench_vs_numpy(sizes, repeat):
    for size in sizes:
        for dtype in DTYPES:
            t = np.arange(size, dtype=dtype)
            for name, (sched, hand) in schedules(size).items():
                np.testing.assert_allclose(sched(t[:1000]), hand(t[:1000]), rtol=1e-12)
                np.testing.assert_allclose(sched(t[-1000:]), hand(t[-1000:]), rtol=1e-12)
                _, _, r = paired(lambda: sched(t), lambda: hand(t), repeat)
                if spread(r)[0] > 1.3:  # over: once more, and the row pools both runs
                    r += paired(lambda: sched(t), lambda: hand(t), repeat)[2]
                m = spread(r)[0]
                off = "" if m <= 1.3 else f", {(m / 1.3 - 1) * 100:.0f} % over target"
                row(f"{name}, 10^{round(math.log10(size))} {np.dtype(dtype).name} epochs vs hand-written numpy",
                    "≤ 1.3×", fmt_ratio(r) + off, m <= 1.3)


class StatefulStepLR:
    """What people write today: a scheduler object stepped once per epoch."""

    def __init__(self, lr0, gamma):
        self.lr = lr0
        self.gamma = gamma

    def step(self):
        self.lr *= self.gamma
        return self.lr


def bench_vs_loop(size, repeat):
    t = np.arange(size, dtype=np.float64)
    sched = decaylib.exponential(LR0, EPS)

    def loop():
        s = StatefulStepLR(LR0, EPS)
        out = [s.lr]
        for _ in range(size - 1):
            out.append(s.step())
        return out

    tl, td, _ = paired(loop, lambda: sched(t), repeat)
    r = [a / b for a, b in zip(tl, td)]
    # information only: nobody runs a bare Python loop; the torch row below is the real peer
    row(f"exponential, 10^{round(math.log10(size))} epochs: Python stateful loop / decaylib",
        "(info)", fmt_ratio(r), True)
    try:
        import torch
    except ImportError:
        print("torch not importable: the torch.optim.lr_scheduler row is skipped")
        return
    n_torch = min(size, 20_000)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR0)

    def torch_loop():
        for g in opt.param_groups:
            g["lr"] = LR0
            g.pop("initial_lr", None)
        sch = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=EPS)
        out = []
        for _ in range(n_torch):
            out.append(sch.get_last_lr()[0])
            opt.step()
            sch.step()
        return out

    tt = timeit(torch_loop, max(3, repeat // 2))
    td = timeit(lambda: sched(t), repeat)
    per_torch = statistics.median(tt) / n_torch
    per_dl = statistics.median(td) / size
    ratios = [(x / n_torch) / per_dl for x in tt]
    row(f"exponential: torch ExponentialLR loop ({n_torch} steps) / decaylib, per epoch",
        "≥ 100×", f"{fmt_ratio(ratios)}, {per_torch * 1e6:.1f} µs vs {per_dl * 1e9:.2f} ns",
        statistics.median(ratios) >= 100)


def bench_cumulative(n, chunk, repeat):
    for name in ("inverse_time", "exponential", "inverse_sqrt", "step_decay"):
        sched = FAMILIES[name][0]

        def brute():
            parts = []
            for lo in range(0, n, chunk):
                parts.append(float(np.sum(sched(np.arange(lo, min(n, lo + chunk), dtype=np.float64)))))
            return math.fsum(parts)

        t0 = time.perf_counter()
        summed = brute()
        t_brute = time.perf_counter() - t0
        tc = timeit(lambda: sched.cumulative(n), repeat)
        closed = sched.cumulative(n)
        rel = abs(closed - summed) / abs(closed)
        ratio = t_brute / statistics.median(tc)
        row(f"{name}.cumulative(10^{round(math.log10(n))}) vs summing the array",
            "≥ 1000×, 1e-9", f"{ratio:,.0f}× faster, rel. diff {rel:.1e}", ratio >= 1000 and rel <= 1e-9)


def bench_memory(size):
    for dtype in DTYPES:
        t = np.arange(size, dtype=dtype)
        result_bytes = size * 8  # a float64 result
        for name, (sched, _) in schedules(size).items():
            gc.collect()
            tracemalloc.start()
            out = sched(t)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            del out
            row(f"{name}: peak memory evaluating 10^{round(math.log10(size))} {np.dtype(dtype).name} epochs",
                "≤ 3× result", f"{peak / result_bytes:.2f}× the result array", peak <= 3 * result_bytes)


def bench_explorer(repeat):
    try:
        from decaylib.viz import explorer
    except Exception as exc:  # noqa: BLE001 - report and go on
        print(f"explorer not available ({exc}): row skipped")
        return
    ex = explorer.schedule_explorer("exponential")
    slider = ex.sliders["eps"]
    values = np.linspace(slider.min, slider.max, 10)
    times = []
    for i in range(repeat):
        v = float(values[i % len(values)])
        t0 = time.perf_counter()
        ex.set(eps=v)
        times.append(time.perf_counter() - t0)
    m, lo, hi = spread([x * 1e3 for x in times])
    row(f"ipywidgets explorer: slider change to new figure (median of {repeat})",
        "≤ 40 ms", f"{m:.1f} ms ({lo:.1f}–{hi:.1f})", m <= 40)

    # Chapter 1's path explorer re-runs SGD on every change; batch_size=1 is
    # its slowest setting (most steps).  Issue 3: "well under 100 ms".
    from decaylib import sim, viz

    ex = viz.path_explorer()
    ex.set(batch_size=1)
    lr_slider = ex.sliders["lr0"]
    values = np.linspace(lr_slider.min, lr_slider.max, 10)
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        ex.set(lr0=float(values[i % len(values)]))
        times.append(time.perf_counter() - t0)
    m, lo, hi = spread([x * 1e3 for x in times])
    row(f"ch. 1 path explorer at batch_size=1: slider change to new figure (median of {repeat})",
        "< 100 ms", f"{m:.1f} ms ({lo:.1f}–{hi:.1f})", m < 100)


CPUACCT = Path("/sys/fs/cgroup/cpuacct")  # cgroup v1 CPU accounting, where the machine has it


def run(cmd, **kw):
    """Run ``cmd`` in the repository; (wall seconds, return code).  Where cgroup v1 CPU
    accounting is writable, ``run.cpu`` is then the CPU seconds of everything the command started
    (kernels, browsers and servers included, which ``time`` misses once orphaned), else None."""
    group = CPUACCT / f"decaylib-bench-{os.getpid()}-{time.monotonic_ns()}"
    try:
        group.mkdir()
    except OSError:
        group = None
    join = (lambda: (group / "cgroup.procs").write_text(str(os.getpid()))) if group else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, preexec_fn=join, **kw)
    elapsed = time.perf_counter() - t0
    run.cpu = None
    if group:
        run.cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        for pid in (group / "cgroup.procs").read_text().split():  # stragglers: into the parent group
            (CPUACCT / "cgroup.procs").write_text(pid)
        group.rmdir()
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
    return elapsed, proc.returncode


def cpu_note() -> str:
    """``; CPU 170 s`` after a run() with accounting: on 2 cores the wall time is at least half."""
    return f"; CPU {run.cpu:.0f} s (≥ {run.cpu / os.cpu_count():.0f} s of wall on {os.cpu_count()} cores)" \
        if run.cpu is not None else ""


def bench_build(pdf=True, pages=True):
    """`make book` as a reader runs it, into a scratch OUT so ./_build is kept;
    then its parts on their own: each notebook's execution, each edition's
    Sphinx build, each PDF."""
    out = Path(tempfile.mkdtemp(prefix="bench_build_"))
    build = out / "_build"
    cmd = ["make", "--no-print-directory", "book", f"OUT={out}"]
    clean, rc1 = run(cmd)
    row("clean `make book`, all notebooks executed (2 cores)", "≤ 60 s",
        f"{clean:.1f} s" + cpu_note() + ("" if rc1 == 0 else " (FAILED)"), clean <= 60 and rc1 == 0)
    again, rc2 = run(cmd)
    row("`make book` again, nothing changed (cached execution)", "≤ 5 s",
        f"{again:.1f} s" + ("" if rc2 == 0 else " (FAILED)"), again <= 5 and rc2 == 0)
    bench_notebooks(build / ".jupyter_cache", clean)
    bench_editions(out)
    if pdf:
        bench_pdfs(build)
    page_weight(build / "html")
    if pages:
        bench_pages(build / "html")
    shutil.rmtree(out, ignore_errors=True)


def bench_notebooks(jcache, clean=None):
    """Each notebook's execution time, as jupyter-cache recorded it when it ran
    the notebook (``execution_seconds`` in global.db, table nbcache)."""
    import json
    import sqlite3

    db = Path(jcache) / "global.db"
    if not db.is_file():
        print(f"no jupyter-cache at {jcache}: notebook rows skipped (make book)")
        return
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        recs = con.execute("SELECT uri, data, created FROM nbcache").fetchall()
    finally:
        con.close()
    secs = {}
    for uri, data, created in recs:
        sec = (json.loads(data or "{}") or {}).get("execution_seconds")
        if sec is not None:
            secs[Path(uri).name] = (sec, created)
    for name, (sec, created) in sorted(secs.items(), key=lambda kv: -kv[1][0]):
        row(f"execute {name} (its kernel's start-up and imports included)", "(info)",
            f"{sec:.1f} s (run {created[:16]})", True)
    total = sum(v[0] for v in secs.values())
    busiest = max(secs.values(), key=lambda v: v[0])[0] if secs else 0
    row(f"execution of all {len(secs)} notebooks, summed (2 at a time: at least half of it is wall time)",
        "(info)", f"{total:.1f} s; the longest {busiest:.1f} s" +
        (f"; clean build {clean:.1f} s in all" if clean else ""), True)


def bench_editions(out):
    """The English and the Chinese Sphinx builds alone, from the executed notebooks
    of the build in ``out`` (what `make book` runs side by side, one per core)."""
    build = out / "_build"
    env = {**os.environ, "JCACHE": str(build / ".jupyter_cache")}
    shutil.rmtree(build / "html", ignore_errors=True)
    en, rc = run([str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", ".", "--path-output", str(out),
                  "-W", "-n", "--keep-going"], env=env)
    row("English edition: jupyter-book (Sphinx) build alone, notebooks executed", "(info)",
        f"{en:.1f} s" + ("" if rc == 0 else " (FAILED)"), rc == 0)
    shutil.rmtree(build / "zh" / "html", ignore_errors=True)
    zh, rc = run([sys.executable, "book/_ext/edition.py", "html", "zh_CN", str(build / "zh")], env=env)
    row("Chinese edition: book/_ext/edition.py (Sphinx, zh_CN) build alone", "(info)",
        f"{zh:.1f} s" + ("" if rc == 0 else " (FAILED)"), rc == 0)
    if (build / "zh" / "html").is_dir() and (build / "html").is_dir():
        shutil.rmtree(build / "html" / "zh_CN", ignore_errors=True)
        shutil.copytree(build / "zh" / "html", build / "html" / "zh_CN")


def bench_pdfs(build):
    """`make pdf`'s two steps: Chromium prints each edition from the built HTML."""
    for html, name in ((build / "html", "decay-book.pdf"), (build / "html" / "zh_CN", "decay-book.zh_CN.pdf")):
        if not (html / "index.html").is_file():
            print(f"no built book at {html}: PDF row skipped")
            continue
        sec, rc = run([sys.executable, "book/_ext/book_pdf.py", "--html", str(html),
                       "--out", str(build / "pdf" / name)])
        row(f"PDF {name}: book/_ext/book_pdf.py (Chromium prints every page)", "(info)",
            f"{sec:.1f} s" + ("" if rc == 0 else " (FAILED)"), rc == 0)


# -- where build and test time goes: kernels and browsers ---------------------

KERNEL_IMPORTS = [  # cumulative, as a chapter's kernel imports them
    ("numpy, sympy, matplotlib.pyplot, decaylib", "import numpy, sympy, matplotlib.pyplot, decaylib"),
    ("torch", "import torch"),
    ("jax, keras (KERAS_BACKEND=jax)", "import jax, keras"),
    ("optax", "import optax"),
]


def bench_kernel(repeat):
    """A chapter kernel: ipykernel start-up to ready, then each import in turn,
    in the kernel (what every executed notebook and every nbval test pays)."""
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        print("jupyter_client not importable: kernel rows skipped")
        return
    env = {**os.environ, "KERAS_BACKEND": "jax",
           "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    times = {"start": []}
    for _ in range(repeat):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "book"), env=env, startup_timeout=120)
        times["start"].append(time.perf_counter() - t0)
        try:
            for label, code in KERNEL_IMPORTS:
                t0 = time.perf_counter()
                reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
                dt = time.perf_counter() - t0
                if reply["content"]["status"] != "ok":
                    dt = math.nan
                times.setdefault(label, []).append(dt)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    m, lo, hi = spread(times["start"])
    row(f"chapter kernel: ipykernel start-up to ready (median of {repeat})", "(info)",
        f"{m:.2f} s ({lo:.2f}–{hi:.2f})", True)
    total = m
    for label, _ in KERNEL_IMPORTS:
        xs = times.get(label, [])
        if not xs or any(math.isnan(x) for x in xs):
            row(f"chapter kernel: then import {label}", "(info)", "not importable", True)
            continue
        m, lo, hi = spread(xs)
        total += m
        row(f"chapter kernel: then import {label}", "(info)",
            f"{m:.2f} s ({lo:.2f}–{hi:.2f}); {total:.2f} s since start", True)


def bench_chromium(repeat):
    """Headless Chromium launched and closed with a blank page (each browser test
    module, each PDF and each page-opening visit pays one)."""
    if not Path("/usr/bin/chromium").exists():
        print("no /usr/bin/chromium: Chromium row skipped")
        return
    from playwright.sync_api import sync_playwright

    bp = _book_pdf()
    times = []
    with sync_playwright() as pw:
        for _ in range(repeat):
            t0 = time.perf_counter()
            browser = pw.chromium.launch(executable_path=bp.CHROMIUM, args=bp.CHROMIUM_ARGS)
            browser.new_page().goto("about:blank")
            browser.close()
            times.append(time.perf_counter() - t0)
    m, lo, hi = spread(times)
    row(f"Chromium: headless launch, a blank page, close (median of {repeat})", "(info)",
        f"{m:.2f} s ({lo:.2f}–{hi:.2f})", True)


def page_weight(html_root):
    """Heaviest page: its HTML plus the images and data it alone references."""
    import re

    heaviest, name = 0, None
    for page in html_root.rglob("*.html"):
        text = page.read_text(errors="replace")
        size = page.stat().st_size
        for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
            if src.startswith("data:"):
                continue  # already counted inside the HTML
            f = (page.parent / src).resolve()
            if f.is_file():
                size += f.stat().st_size
        if size > heaviest:
            heaviest, name = size, page.relative_to(html_root)
    row(f"heaviest page ({name}), excluding JS shared by all pages", "≤ 2 MB",
        f"{heaviest / 1e6:.2f} MB", heaviest <= 2e6)


# -- opening a page of the built book (issue 13) ------------------------------

def _book_pdf():
    """book/_ext/book_pdf.py (READY_JS: what "open" means; the localhost server)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("book_pdf", ROOT / "book" / "_ext" / "book_pdf.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Where a page's time went, read from the browser after READY_JS resolved.
TIMELINE_JS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const kind = r => /mathjax/.test(r.name) ? 'MathJax' : /vendor\\/vega/.test(r.name) ? 'Vega'
    : /fontawesome/.test(r.name) ? 'Font Awesome (theme icons)'
    : r.initiatorType === 'img' ? 'images' : /\\.css/.test(r.name) ? 'CSS' : /\\.js/.test(r.name) ? 'other JS'
    : /\\.woff2?/.test(r.name) ? 'fonts' : 'other';
  const bytes = {HTML: nav.encodedBodySize};
  for (const r of res) bytes[kind(r)] = (bytes[kind(r)] || 0) + r.encodedBodySize;
  const end = pattern => Math.max(0, ...res.filter(r => pattern.test(r.name)).map(r => r.responseEnd));
  return {html: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          mathjax_js: end(/tex-mml-chtml/), vega_js: end(/vendor\\/vega/), fonts: end(/mathjax.*woff/), bytes};
}
"""


def open_page(browser, url, bp, after=None):
    """One cold visit (a new context has an empty cache): ms from navigation
    start until math typeset, charts drawn, images decoded (READY_JS), with the
    page's timeline.  ``after``: a page opened first in the same context, so
    the shared JavaScript, CSS and fonts come from the cache (a reader going
    on to the next chapter)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(bp.offline_route, lambda route: route.abort())
    page = context.new_page()
    if after:
        page.goto(after, wait_until="domcontentloaded")
        page.evaluate(bp.READY_JS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        page.goto(url, wait_until="domcontentloaded")
        info = page.evaluate(bp.READY_JS)
        # main-thread time by kind (Chromium's own counters, seconds)
        busy = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {**info, "ready_ms": info["at_ms"], **page.evaluate(TIMELINE_JS), "busy": busy}
    finally:
        context.close()


def bench_pages(html_root, repeat=3):
    """A row per page of the built book: time to open it, cold cache, median of ``repeat``."""
    html_root = Path(html_root)
    if not (html_root / "index.html").is_file():
        print(f"no built book at {html_root}: page-opening rows skipped (make book)")
        return
    if not Path("/usr/bin/chromium").exists():
        print("no /usr/bin/chromium: page-opening rows skipped")
        return
    from playwright.sync_api import sync_playwright

    bp = _book_pdf()
    pages = bp.reading_order()
    print(f"\nopening each page of {html_root}: headless Chromium, offline, served from localhost, "
          f"cold cache (a new browser context per visit; 'from the page before': the previous page "
          f"of _toc.yml opened first in the same context), median of {repeat}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results, warm = {}, {}
    with bp.serve(html_root) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=bp.CHROMIUM, args=bp.CHROMIUM_ARGS)
        try:
            open_page(browser, base + pages[0], bp)  # Chromium's own start-up is not a page's
            for _ in range(repeat):  # interleaved: a burst of load hits every page alike
                for i, path in enumerate(pages):
                    results.setdefault(path, []).append(open_page(browser, base + path, bp))
                    previous = base + pages[i - 1 if i else 1]
                    warm.setdefault(path, []).append(open_page(browser, base + path, bp, after=previous))
        finally:
            browser.close()
    medians = {}
    for path in pages:
        runs = results[path]
        times = [r["ready_ms"] / 1e3 for r in runs]
        m, lo, hi = spread(times)
        medians[path] = m
        last = runs[-1]
        what = f"{last['math']} formulas" + (f", {last['charts']} live charts" if last["charts"] else "")
        w = statistics.median(r["ready_ms"] / 1e3 for r in warm[path])
        row(f"open {Path(path).stem} ({what}): typeset and drawn", "≤ 1.5 s",
            f"{m:.2f} s ({lo:.2f}–{hi:.2f}); from the page before {w:.2f} s", m <= 1.5)
    slowest = max(medians, key=medians.get)
    runs = sorted(results[slowest], key=lambda r: r["ready_ms"])
    mid = runs[len(runs) // 2]
    row(f"slowest page ({Path(slowest).stem}): where its {mid['ready_ms'] / 1e3:.2f} s went", "(info)",
        f"HTML in {mid['html'] / 1e3:.2f}, MathJax JS in {mid['mathjax_js'] / 1e3:.2f}, "
        f"Vega JS in {mid['vega_js'] / 1e3:.2f}, DOMContentLoaded {mid['dcl'] / 1e3:.2f}, "
        f"math fonts in {mid['fonts'] / 1e3:.2f}, load {mid['load'] / 1e3:.2f}, "
        f"typeset+drawn {mid['ready_ms'] / 1e3:.2f} s", True)
    busy = mid["busy"]
    row(f"slowest page ({Path(slowest).stem}): its main thread's busy time", "(info)",
        f"{busy['TaskDuration']:.2f} s: script {busy['ScriptDuration']:.2f}, layout {busy['LayoutDuration']:.2f}, "
        f"style {busy['RecalcStyleDuration']:.2f}", True)
    heavy = max(pages, key=lambda p: sum(results[p][-1]["bytes"].values()))
    b = results[heavy][-1]["bytes"]
    parts = ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in sorted(b.items(), key=lambda kv: -kv[1]) if v)
    row(f"heaviest page opened ({Path(heavy).stem}): HTML + all it loads", "(info)",
        f"{sum(b.values()) / 1e6:.2f} MB: {parts}", True)


def bench_test():
    elapsed, rc = run(["make", "test"])
    row("make test after set-up", "≤ 6 min", f"{elapsed / 60:.1f} min" + cpu_note() + ("" if rc == 0 else " (FAILED)"),
        elapsed <= 360 and rc == 0)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, numpy {np.__version__}")


SECTIONS = ("numpy", "loop", "cumulative", "memory", "explorer", "kernel", "chromium", "notebooks",
            "build", "pdf", "pages", "test")
FAST = ("numpy", "loop", "cumulative", "memory", "explorer", "kernel", "chromium", "notebooks")

# Said under the table: what the rows above cannot show.
NOTES = """
## Reading the rows

- Library ratios are CPU time of this thread (`time.thread_time`), decaylib
  over the numpy expression a user would write, interleaved, median (min–max);
  a row over 1.3× is measured a second time and reports both runs pooled.
- The execution rows are jupyter-cache's own records of the build above: each
  includes its kernel's start-up and imports (the "chapter kernel" rows say how
  much that is). The two editions' Sphinx builds and the two PDFs are timed
  alone after the clean build, on its executed notebooks; `make book` runs the
  two editions side by side, one per core.
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    p.add_argument("--skip-build", action="store_true",
                   help="skip the clean and no-op builds and what is measured on them (editions, PDFs, pages)")
    p.add_argument("--skip-test", action="store_true", help="skip the `make test` row")
    p.add_argument("--skip-pdf", action="store_true", help="skip the two PDF rows of the build")
    p.add_argument("--only", default="",
                   help=f"comma-separated sections to run, of: {', '.join(SECTIONS)}; 'fast' = {', '.join(FAST)} "
                        "(the rows that take no build, a few minutes in all)")
    p.add_argument("--pages", action="store_true",
                   help="only the page-opening rows, on the book already built (--html)")
    p.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                   help="the built book --pages opens (default: _build/html)")
    p.add_argument("--jcache", type=Path, default=ROOT / "_build" / ".jupyter_cache",
                   help="the jupyter-cache the notebook rows read when the build is skipped")
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="where the table is written")
    args = p.parse_args()
    if args.pages:
        print(machine())
        bench_pages(args.html)
        return
    only = set()
    for name in filter(None, args.only.split(",")):
        if name == "fast":
            only.update(FAST)
        elif name in SECTIONS:
            only.add(name)
        else:
            p.error(f"--only: unknown section {name!r} (one of {', '.join(SECTIONS)}, fast)")
    skip = set()
    if args.skip_build:
        skip.update({"build", "pdf", "pages"})
    if args.skip_test:
        skip.add("test")
    if args.skip_pdf:
        skip.add("pdf")

    def want(section):
        return section not in skip and (not only or section in only)

    rep = 5 if args.quick else 15
    desc = machine()
    print(desc, "\n")
    if want("numpy"):
        bench_vs_numpy([10**6, 10**7], rep)
    if want("loop"):
        bench_vs_loop(10**6, 3 if args.quick else 5)
    if want("cumulative"):
        bench_cumulative(10**8 if args.quick else 10**9, 10**7, rep)
    if want("memory"):
        bench_memory(10**7)
    if want("explorer"):
        bench_explorer(20 if args.quick else 50)
    if want("kernel"):
        bench_kernel(1 if args.quick else 3)
    if want("chromium"):
        bench_chromium(3 if args.quick else 5)
    if want("build"):
        bench_build(pdf=want("pdf"), pages=want("pages"))  # its notebook rows: the fresh build's
    elif want("notebooks"):
        bench_notebooks(args.jcache)
    if want("test"):
        bench_test()
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` (`{' '.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}`) on "
        f"{time.strftime('%Y-%m-%d')}.",
        "",
        f"Machine: {desc}; load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "Ratios are medians of interleaved repeats in one run, with (min–max).",
        "",
        "| what | target | measured | verdict |",
        "|---|---|---|---|",
        *[f"| {w} | {t} | {m} | {v} |" for w, t, m, v in ROWS],
        NOTES,
    ]
    args.out.write_text("\n".join(lines))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
