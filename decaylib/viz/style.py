"""One colour per schedule family, the same in every chapter and widget.

Okabe–Ito palette (plus two of Paul Tol's muted colours): distinguishable
with the common colour-vision deficiencies.
"""

COLORS = {
    "constant": "#000000",
    "inverse_time": "#0072B2",  # blue
    "exponential": "#D55E00",  # vermillion
    "inverse_sqrt": "#009E73",  # bluish green
    "piecewise_constant": "#CC79A7",  # reddish purple
    "staircase": "#E69F00",  # orange
    "cosine": "#56B4E9",  # sky blue
    "linear": "#999933",  # olive (Paul Tol's muted palette)
    "join": "#882255",  # wine (Paul Tol's muted palette; yellow was too faint on white)
}

#: human-readable family names for legends and labels
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


def color(schedule_or_family):
    """The family colour of a schedule (or of a family name)."""
    name = getattr(schedule_or_family, "family", schedule_or_family)
    return COLORS[name]
