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
    """
    name = _chart_name(spec)
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    div_id = f"decaylib-live-{name}-{digest}-{key or next(_counter)}"
    script = f"""(function () {{
  var el = document.getElementById({json.dumps(div_id)}), spec = {text};
  function draw() {{
    if (typeof vegaEmbed !== "function") {{
      if (document.readyState !== "complete") {{ window.addEventListener("load", draw); return; }}
      el.textContent = "This live chart needs the Vega runtime (vega, vega-lite, vega-embed) " +
        "that the book serves with its pages; it was not loaded.";
      return;
    }}
    vegaEmbed(el, spec, {{actions: false}}).then(function (result) {{
      (window.__decaylibViews = window.__decaylibViews || {{}})[el.id] = result;
      el.setAttribute("data-ready", "true");
    }}).catch(function (err) {{
      el.textContent = "The live chart could not be drawn: " + err;
      console.error(err);
    }});
  }}
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
}})();"""
    script = script.replace("</", "<\\/")  # no "</script>" inside the script
    return (f'<div id="{div_id}" class="decaylib-live" data-decaylib-live="{name}"></div>\n'
            f'<script type="application/javascript">{script}</script>\n')
