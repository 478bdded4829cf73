r"""How a live chart reaches a page: JupyterLab's Vega-Lite renderer, or myst-nb in the book.

:class:`LiveChart` displays as the Vega-Lite mime type; :class:`MystNbPlugin`
(a myst-nb mime renderer, declared in pyproject.toml) turns it into
:func:`book_html`, a ``<div>`` and a script that calls the page's
``vegaEmbed`` from the runtime the book vendors.
"""
from __future__ import annotations

import hashlib
import itertools
import json

import altair as alt

#: the Vega-Lite mime type JupyterLab 4 renders natively (its renderer also
#: reads Vega-Lite 6 specs of the features used here)
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


class LiveChart:
    """Mixin: how a live chart displays in notebooks and in the built book.

    The display data is the Vega-Lite spec under the mime type JupyterLab
    renders natively (and a plain-text stand-in).  Nothing else: JupyterLab
    would prefer an ``application/javascript`` or ``text/html`` twin to its
    own Vega-Lite renderer, and there the page has no ``vegaEmbed``.  The
    built book draws the spec through :class:`MystNbPlugin`.
    """

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = self.to_dict()
        return {VEGALITE_MIME: spec, "text/plain": f"<decaylib live chart: {_chart_name(spec)}>"}

    def _ipython_display_(self):
        """Two outputs: a ``<div>`` for the chart's controls, then the chart.

        JupyterLab's Vega renderer reads ``embed_options`` from the output's
        metadata; ``bind`` puts the chart's sliders into that ``<div>``.  A
        three-line script marks each control put there with
        ``data-lm-suppress-shortcuts``: Lumino (JupyterLab 4.6, Notebook 7)
        skips its shortcuts for a focused element that carries it (on the
        element itself: a focused input inside a marked box still matches the
        notebook's ``... :focus`` selector first), so the arrow keys move the
        slider instead of the notebook's cell selection.  The built book
        ignores the metadata and draws the controls under the chart.
        """
        from IPython.display import display

        bundle = self._repr_mimebundle_()
        digest = hashlib.sha1(json.dumps(bundle[VEGALITE_MIME], sort_keys=True).encode()).hexdigest()[:10]
        div_id = f"decaylib-controls-{digest}-{next(_counter)}"
        mark = (f'(function () {{ var box = document.getElementById("{div_id}"); if (!box) return;'
                ' function mark() { box.querySelectorAll("input, select").forEach(function (el) {'
                ' el.setAttribute("data-lm-suppress-shortcuts", "true"); }); }'
                ' new MutationObserver(mark).observe(box, {childList: true, subtree: true}); mark(); })();')
        display({"text/html": f'<div id="{div_id}" class="decaylib-live-controls" data-lm-suppress-shortcuts="true"></div>'
                              f'<script>{mark}</script>',
                 "text/plain": ""}, raw=True)
        display(bundle, raw=True, metadata={VEGALITE_MIME: {"embed_options": {"bind": f"#{div_id}"}}})


class LiveLayerChart(LiveChart, alt.LayerChart):
    """An Altair layer chart that displays through :class:`LiveChart`."""


class LiveVConcatChart(LiveChart, alt.VConcatChart):
    """An Altair vconcat chart that displays through :class:`LiveChart`."""


def _chart_name(spec: dict) -> str:
    return spec.get("usermeta", {}).get("decaylib", {}).get("family", "live")


class MystNbPlugin:
    """myst-nb mime-render plugin: live charts in the built HTML book.

    myst-nb does not know the Vega-Lite mime type.  This plugin (entry-point
    group ``myst_nb.mime_renderers``, declared in pyproject.toml) selects it
    first for HTML builders and renders it as :func:`book_html`: a ``<div>``
    and a small script that calls the page's ``vegaEmbed``, from the Vega
    runtime the book vendors and loads once per page.
    """

    mime_priority_overrides = [(b, VEGALITE_MIME, 5) for b in ("html", "dirhtml", "singlehtml")]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != VEGALITE_MIME:
            return None
        from docutils import nodes

        spec = json.loads(data.content) if isinstance(data.content, (str, bytes)) else data.content
        key = f"{data.cell_index}-{data.output_index}" if data.cell_index is not None else None
        return [nodes.raw(text=book_html(dict(spec), key), format="html", classes=["output", "decaylib-live"])]


_counter = itertools.count(1)


def book_html(spec: dict, key: str | None = None) -> str:
    """The HTML that shows ``spec`` live in a page that loaded the Vega runtime.

    A ``<div>`` and a script that waits until the page's scripts have loaded,
    calls ``vegaEmbed(el, spec, {actions: false})`` and keeps the embed result
    in ``window.__decaylibViews[id]`` (for the tests, and for readers curious
    enough to open the console).  It loads nothing itself: no ``<script
    src>``, no inlined runtime.  ``key`` makes the element id unique on its
    page (default: a counter).

    For every reader (issue 13) the script also

    * sets text at 12 px or more (axis labels and titles, legends, subtitles);
    * follows the page's colour mode (pydata-sphinx-theme's ``<html
      data-theme>``): in dark mode every family colour and grey of the spec is
      swapped for its :data:`decaylib.viz.style.DARK_COLORS` / ``DARK_INK``
      counterpart and axes, titles and legends are drawn light; a change of
      mode redraws the chart, keeping the sliders' values;
    * fits the plot to a narrow column (a phone): the plot's width shrinks to
      what the column has, never below 200 px;
    * writes a text equivalent of the chart, kept in sync with the sliders: a
      visually hidden, polite live region ``<div id="<id>-text">`` after the
      chart: the sliders' values, each curve's rate at the first, middle and
      last plotted epoch, and every read-out; linked to the chart by
      ``aria-describedby``; the chart is named by the spec's description.
    """
    from .style import dark_color_map

    name = _chart_name(spec)
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    div_id = f"decaylib-live-{name}-{digest}-{key or next(_counter)}"
    dark_map = json.dumps(dark_color_map(), sort_keys=True, separators=(",", ":"))
    script = f"""(function () {{
  var el = document.getElementById({json.dumps(div_id)}), spec = {text}, darkMap = {dark_map};
  var LIGHT = {{fg: "#222832", grid: "#DDDDDD", domain: "#888888"}}, DARK = {{fg: "#E6E6E6", grid: "#3A3A3A", domain: "#9A9A9A"}};
  function config(c) {{
    return {{background: null, font: "sans-serif",
      axis: {{labelFontSize: 12, titleFontSize: 13, labelColor: c.fg, titleColor: c.fg, gridColor: c.grid,
              domainColor: c.domain, tickColor: c.domain}},
      legend: {{labelFontSize: 12, titleFontSize: 12, labelColor: c.fg, titleColor: c.fg}},
      title: {{fontSize: 15, subtitleFontSize: 12, color: c.fg, subtitleColor: c.fg}},
      header: {{labelFontSize: 12, titleFontSize: 13, labelColor: c.fg, titleColor: c.fg}},
      text: {{fontSize: 12, color: c.fg}}}};
  }}
  el.setAttribute("role", "figure");
  el.setAttribute("aria-label", spec.description || "live chart");
  el.setAttribute("aria-describedby", el.id + "-text");  // the live region after this script
  function isDark() {{ return document.documentElement.dataset.theme === "dark"; }}
  function fmt(x) {{ return typeof x === "number" ? (Math.abs(x) >= 1e-3 || x === 0 ? +x.toPrecision(4) : x.toExponential(3)) : String(x); }}
  function wrap(lines, n) {{  // subtitle lines re-broken at spaces to at most n characters
    var out = [];
    lines.forEach(function (line) {{
      var cur = "";
      String(line).split(" ").forEach(function (word) {{
        if (cur && (cur + " " + word).length > n) {{ out.push(cur); cur = word; }} else cur = cur ? cur + " " + word : word;
      }});
      out.push(cur);
    }});
    return out;
  }}
  function themed(dark, values) {{
    var s = JSON.stringify(spec);
    if (dark) s = s.replace(/"#[0-9A-Fa-f]{{6}}"/g, function (m) {{ var k = m.slice(1, -1).toUpperCase(); return darkMap[k] ? '"' + darkMap[k] + '"' : m; }});
    s = JSON.parse(s);
    (s.params || []).forEach(function (p) {{ if (values && p.name in values) p.value = values[p.name]; }});
    var views = s.vconcat || [s], widest = Math.max.apply(null, views.map(function (v) {{ return v.width || 0; }}));
    var room = (el.parentElement || el).clientWidth - 90;
    if (widest > 0 && room < widest) {{
      var w = Math.max(200, room), moved = {{}};
      moved[widest - 4] = w - 4;
      views.forEach(function (v) {{ if (v.width) v.width = Math.min(v.width, w); }});
      (function walk(o) {{  // text placed at the right edge of the plot moves with it
        if (Array.isArray(o)) {{ o.forEach(walk); return; }}
        if (!o || typeof o !== "object") return;
        if (o.x && typeof o.x.value === "number" && o.x.value in moved) o.x.value = moved[o.x.value];
        if (typeof o.labelLimit === "number") {{ o.labelLimit = Math.min(o.labelLimit, w); if (o.columns) o.columns = 1; }}
        if (o.subtitle) o.subtitle = wrap([].concat(o.subtitle), Math.floor((w + 70) / 6.8));
        for (var k in o) walk(o[k]);
      }})(s);
    }}
    return s;
  }}
  function describe(result) {{
    var view = result.view, lines = [], texts = [];
    (function visit(mark) {{
      if (!mark) return;
      if (mark.marktype === "line" && mark.items.length) lines.push(mark.items.map(function (i) {{ return i.datum; }}));
      else if (mark.marktype === "text" && mark.role === "mark") mark.items.forEach(function (i) {{  // not axes, titles
        var t = Array.isArray(i.text) ? i.text.join("; ") : i.text;
        if (t && i.opacity !== 0 && texts.indexOf(t) < 0) texts.push(t); }});
      else if (mark.marktype === "group") mark.items.forEach(function (g) {{ (g.items || []).forEach(visit); }});
    }})(view.scenegraph().root);
    var parts = [];
    lines.forEach(function (data) {{
      var d = data.filter(function (r) {{ return r && typeof r.lr === "number"; }});
      if (!d.length) return;
      var pick = [d[0], d[Math.floor((d.length - 1) / 2)], d[d.length - 1]];
      parts.push((d[0].family || "curve") + ": " + pick.map(function (r) {{ return "α(" + fmt(r.t) + ") = " + fmt(r.lr); }}).join(", "));
    }});
    var params = (result.spec.params || []).filter(function (p) {{ return p.bind; }}).map(function (p) {{
      return p.name + " = " + fmt(view.signal(p.name)); }});
    var summary = document.getElementById(el.id + "-text");
    if (summary) summary.textContent = "Chart values. Settings: " + params.join(", ") + ". Curves: " + parts.join("; ") +
      ". Read-outs: " + texts.join("; ") + ".";
  }}
  var current = null, pending = null;
  function embed(values) {{
    var dark = isDark();
    return vegaEmbed(el, themed(dark, values), {{actions: false, renderer: "svg", config: config(dark ? DARK : LIGHT)}}).then(function (result) {{
      if (current) current.finalize();
      current = result;
      (window.__decaylibViews = window.__decaylibViews || {{}})[el.id] = result;
      el.dataset.theme = dark ? "dark" : "light";
      var update = function () {{ clearTimeout(pending); pending = setTimeout(function () {{ describe(result); }}, 150); }};
      (result.spec.params || []).forEach(function (p) {{ result.view.addSignalListener(p.name, update); }});
      return result.view.runAsync().then(function () {{ describe(result); el.setAttribute("data-ready", "true"); }});
    }});
  }}
  function draw() {{
    if (typeof vegaEmbed !== "function") {{
      if (document.readyState !== "complete") {{ window.addEventListener("load", draw); return; }}
      el.textContent = "This live chart needs the Vega runtime (vega, vega-lite, vega-embed) " +
        "that the book serves with its pages; it was not loaded.";
      return;
    }}
    embed(null).catch(function (err) {{
      el.textContent = "The live chart could not be drawn: " + err;
      console.error(err);
    }});
    new MutationObserver(function () {{
      if (!current || el.dataset.theme === (isDark() ? "dark" : "light")) return;
      var values = {{}};
      (current.spec.params || []).forEach(function (p) {{ values[p.name] = current.view.signal(p.name); }});
      el.removeAttribute("data-ready");
      embed(values).catch(function (err) {{ console.error(err); }});
    }}).observe(document.documentElement, {{attributes: true, attributeFilter: ["data-theme"]}});
  }}
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
}})();"""
    script = script.replace("</", "<\\/")  # no "</script>" inside the script
    return (f'<div id="{div_id}" class="decaylib-live" data-decaylib-live="{name}"></div>\n'
            f'<script type="application/javascript">{script}</script>\n'
            f'<div id="{div_id}-text" class="decaylib-live-text visually-hidden" aria-live="polite"></div>\n')
