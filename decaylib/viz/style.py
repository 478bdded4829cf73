"""One colour per schedule family, the same in every chapter and widget.

Okabe–Ito hues (plus two of Paul Tol's muted colours), tuned so that

* every family colour keeps a contrast of at least 3:1 with the page behind it
  (WCAG 1.4.11, graphical objects), white in light mode (:data:`COLORS`) and
  the theme's near-black in dark mode (:data:`DARK_COLORS`);
* any two family colours stay apart for readers with deuteranopia or
  protanopia as well as for everyone else: the smallest CIEDE2000 difference
  of any pair after the Machado et al. (2009) simulation is at least 8
  (tests/test_palette.py).  The vermillion (exponential) is darker and the
  orange (staircase) lighter than Okabe–Ito's, so the two no longer differ
  only in a hue these readers cannot see; the olive (linear ramp) is darker.

Text drawn in a family colour (a chart's read-outs) uses :data:`INK` /
:data:`DARK_INK`: the same hues darkened (lightened) to 4.5:1 (WCAG 1.4.3).

>>> COLORS["exponential"], DARK_COLORS["exponential"]
('#B04A02', '#F45633')
>>> contrast(INK["staircase"], "#FFFFFF") >= 4.5
True
"""

#: family colours on a white page
COLORS = {
    "constant": "#000000",
    "inverse_time": "#0072B2",  # blue
    "exponential": "#B04A02",  # vermillion, deep
    "inverse_sqrt": "#009E73",  # bluish green
    "piecewise_constant": "#CC79A7",  # reddish purple
    "staircase": "#BF8810",  # orange
    "cosine": "#3A96D0",  # sky blue
    "linear": "#403E1C",  # olive, dark (Paul Tol's muted olive, darkened)
    "join": "#882255",  # wine (Paul Tol's muted palette; yellow was too faint on white)
}

#: the same hues for the theme's dark page (pydata-sphinx-theme's #121212)
DARK_COLORS = {
    "constant": "#E0E0E0",
    "inverse_time": "#4DA3E0",
    "exponential": "#F45633",
    "inverse_sqrt": "#2BC79A",
    "piecewise_constant": "#F0A6D2",
    "staircase": "#FFB61A",
    "cosine": "#9AD8FF",
    "linear": "#EDF0A8",
    "join": "#D0609A",
}

#: the pages' backgrounds the palettes are made for
LIGHT_BACKGROUND, DARK_BACKGROUND = "#FFFFFF", "#121212"

#: human-readable family names: the live charts' legends and the tables (their
#: words are translated with the page); matplotlib figures show the family
#: identifier instead (``s.family``), which needs no translation
LABELS = {
    "constant": "constant",
    "inverse_time": "inverse time",
    "exponential": "exponential",
    "inverse_sqrt": "inverse square root",
    "piecewise_constant": "piecewise constant",
    "staircase": "staircase",
    "cosine": "cosine",
    "linear": "linear ramp",
    "join": "joined",
}

#: Vega stroke dashes, one per family, so that curves sharing a live chart
#: differ by line style as well as by colour ([] is solid)
DASHES = {
    "constant": [],
    "inverse_time": [],
    "exponential": [8, 3],
    "inverse_sqrt": [2, 2],
    "piecewise_constant": [8, 3, 2, 3],
    "staircase": [4, 2],
    "cosine": [1, 3],
    "linear": [12, 4],
    "join": [6, 2, 2, 2, 2, 2],
}


def color(schedule_or_family):
    """The family colour of a schedule (or of a family name)."""
    name = getattr(schedule_or_family, "family", schedule_or_family)
    return COLORS[name]


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(hex_color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    h = hex_color.lstrip("#")
    r, g, b = (_linear(int(h[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def _ink(hex_color: str, background: str, ratio: float = 4.5) -> str:
    """``hex_color`` moved towards black (or white, on a dark background) until it has ``ratio``."""
    h = hex_color.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    towards = 0 if luminance(background) > 0.5 else 255
    for step in range(101):
        f = step / 100
        c = "#" + "".join(f"{round(v + (towards - v) * f):02X}" for v in rgb)
        if contrast(c, background) >= ratio:
            return c
    return "#000000" if towards == 0 else "#FFFFFF"


#: family colours for text: 4.5:1 on white / on the dark page
INK = {k: _ink(v, LIGHT_BACKGROUND) for k, v in COLORS.items()}
DARK_INK = {k: _ink(v, DARK_BACKGROUND) for k, v in DARK_COLORS.items()}

#: neutral greys the live charts use, and their dark-mode counterparts
NEUTRALS = {"#222222": "#E6E6E6", "#555555": "#B4B4B4"}


def dark_color_map() -> dict:
    """Light colour -> dark colour, for every colour a live chart may use (upper case hex)."""
    out = {}
    for light, dark in ((COLORS, DARK_COLORS), (INK, DARK_INK)):
        for k in light:
            out.setdefault(light[k].upper(), dark[k].upper())
    out.update({k.upper(): v.upper() for k, v in NEUTRALS.items()})
    return out
