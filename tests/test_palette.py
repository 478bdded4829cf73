"""The family palette (decaylib.viz.style) under colour-vision deficiency, and its contrast.

Colour science written out here, independent of decaylib:

* CVD simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based
  model for simulation of color vision deficiency", severity 1.0 matrices for
  protanopia and deuteranopia, applied to linear sRGB (as colorspacious and
  DaltonLens do);
* colour difference: CIEDE2000 (Sharma, Wu & Dalal 2005), checked on pairs of
  their published test data;
* contrast: WCAG 2.x relative luminance and contrast ratio.
"""
import itertools

import numpy as np
import pytest

from decaylib.viz import style

MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
VISIONS = ("normal", "deuteranopia", "protanopia")
#: smallest CIEDE2000 difference allowed between two family colours, for every vision
MIN_DELTA_E = 8.0


def _srgb(h):
    h = h.lstrip("#")
    return np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def _to_linear(c):
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def simulate(h, vision):
    """Linear sRGB of ``h`` as seen with ``vision``."""
    lin = _to_linear(_srgb(h))
    return lin if vision == "normal" else np.clip(MACHADO[vision] @ lin, 0, 1)


def lab(lin):
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    cb = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(cb ** 7 / (cb ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dlp, dcp = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    else:
        dhp = h2p - h1p
        dhp = dhp - 360 if dhp > 180 else dhp + 360 if dhp < -180 else dhp
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp / 2))
    lbp, cbp = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hbp - 30)) + 0.24 * np.cos(np.radians(2 * hbp))
         + 0.32 * np.cos(np.radians(3 * hbp + 6)) - 0.20 * np.cos(np.radians(4 * hbp - 63)))
    dth = 30 * np.exp(-((hbp - 275) / 25) ** 2)
    rc = 2 * np.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / np.sqrt(20 + (lbp - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    rt = -np.sin(np.radians(2 * dth)) * rc
    return float(np.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dcp / sc) * (dHp / sh)))


def delta_e(a, b, vision):
    return ciede2000(lab(simulate(a, vision)), lab(simulate(b, vision)))


def wcag_contrast(a, b):
    la, lb = sorted(float(_to_linear(_srgb(c)) @ [0.2126, 0.7152, 0.0722]) for c in (a, b))
    return (lb + 0.05) / (la + 0.05)


# -- the reference implementations against published numbers ---------------------

@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma, Wu & Dalal (2005), table 1, pairs 1, 7, 17, 25
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_sharma_test_data(lab1, lab2, expected):
    assert ciede2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_machado_keeps_greys_and_confuses_red_with_green():
    for vision in MACHADO:
        np.testing.assert_allclose(MACHADO[vision].sum(axis=1), 1.0, atol=2e-3)  # white stays white
        # the classic confusion: a red and a green of equal lightness nearly merge
        assert delta_e("#D62728", "#7F7F00", vision) < delta_e("#D62728", "#7F7F00", "normal") / 2


def test_wcag_contrast_reference_values():
    assert wcag_contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert wcag_contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the well-known 4.5:1 grey


# -- the palette ---------------------------------------------------------------------

@pytest.mark.parametrize("palette", ["COLORS", "DARK_COLORS"])
@pytest.mark.parametrize("vision", VISIONS)
def test_every_pair_of_family_colours_stays_apart(palette, vision):
    colors = getattr(style, palette)
    pairs = sorted((delta_e(colors[a], colors[b], vision), a, b) for a, b in itertools.combinations(colors, 2))
    print(palette, vision, "closest pairs:", [(round(d, 1), a, b) for d, a, b in pairs[:3]])
    assert pairs[0][0] >= MIN_DELTA_E, pairs[:3]


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia"])
def test_orange_and_vermillion_further_apart_than_okabe_ito(vision):
    """The pair readers confused: Okabe–Ito's #E69F00 / #D55E00 are 12.5 (deuteranopia) apart."""
    before = delta_e("#E69F00", "#D55E00", vision)
    after = delta_e(style.COLORS["staircase"], style.COLORS["exponential"], vision)
    assert after >= 14.0 and after > before + 1, (before, after)


@pytest.mark.parametrize("palette, background", [("COLORS", "#FFFFFF"), ("DARK_COLORS", "#121212")])
def test_lines_have_3_to_1_against_the_page(palette, background):
    for name, c in getattr(style, palette).items():
        assert wcag_contrast(c, background) >= 3.0, (name, c)


@pytest.mark.parametrize("ink, background", [("INK", "#FFFFFF"), ("DARK_INK", "#121212")])
def test_text_colours_have_4_5_to_1(ink, background):
    for name, c in getattr(style, ink).items():
        assert wcag_contrast(c, background) >= 4.5, (name, c)
        assert style.contrast(c, background) == pytest.approx(wcag_contrast(c, background))


def test_dark_map_covers_every_family_colour_once():
    m = style.dark_color_map()
    for light, dark in ((style.COLORS, style.DARK_COLORS), (style.INK, style.DARK_INK)):
        for k in light:
            assert m[light[k].upper()] == dark[k].upper()
    assert len(set(style.COLORS.values())) == len(style.COLORS)


def test_dashes_differ_between_families_that_share_a_chart():
    from decaylib.viz.sliders import FAMILIES
    fams = [("staircase" if f == "step_decay" else f) for f in FAMILIES] + ["constant"]
    dashes = [tuple(style.DASHES[f]) for f in fams if f != "constant"]
    assert len(set(dashes)) == len(dashes)
