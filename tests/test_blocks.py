"""Large arrays are evaluated a block at a time (Schedule.__call__): the numbers
are the same bit for bit as element by element, whatever the order or dtype of
the epochs, and a bad epoch in any block is refused with the usual message."""
import numpy as np
import pytest
import sympy as sp

from decaylib import (constant, cosine, exponential, inverse_sqrt, inverse_time, join, linear,
                      piecewise_constant, staircase, step_decay, warmup)
from decaylib.families import COSINE, LINEAR
from decaylib.schedule import _BLOCK
from decaylib.symbols import BY_NAME, t

MEMBERS = [inverse_time(0.5, 0.3), inverse_time(2.0, 1e300), exponential(0.1, 0.95), exponential(1e300, 1e-3),
           inverse_sqrt(0.1, 2.0), step_decay(0.1, 0.9, 3), staircase(inverse_time(0.1, 0.01), 7),
           piecewise_constant([2.5, 30, 5000], [0.1, 0.03, 0.001, 1e-4]),
           piecewise_constant(list(range(1, 20)), [1.0 / k for k in range(1, 21)]),
           cosine(0.1, 77, 0.01), cosine(0.1, 3 * _BLOCK + 5, 0.001), cosine(1e300, 2 * _BLOCK, 0.0),
           linear(0.0, 0.3, 13), linear(0.1, 0.001, 2 * _BLOCK + 3), linear(0.1, 0.3, 2**53 + 1),
           join([constant(0.1), exponential(0.1, 0.95)], [_BLOCK + 7]),
           warmup(cosine(0.1, 3 * _BLOCK, 0.001), _BLOCK // 2 + 1), constant(0.25)]


@pytest.mark.parametrize("s", MEMBERS, ids=repr)
def test_blocks_give_the_numbers_of_single_epochs_bit_for_bit(s):
    n = 5 * _BLOCK + 17
    tt = np.concatenate([np.arange(n // 2, dtype=np.float64), np.arange(n - n // 2) * 0.75 + 1.5,
                         [2.0**53, 2.0**53 + 2, 1e300]])
    ref = s(tt)
    assert ref.dtype == np.float64 and ref.shape == tt.shape
    perm = np.random.default_rng(0).permutation(tt.size)
    np.testing.assert_array_equal(s(tt[perm]), ref[perm])  # mixed blocks: the general path
    np.testing.assert_array_equal(s(tt.reshape(-1, 1)).ravel(), ref)
    np.testing.assert_array_equal(s(tt[::-1]), ref[::-1])
    sample = np.random.default_rng(1).choice(tt.size, 200, replace=False)
    assert [s(float(tt[i])) for i in sample] == ref[sample].tolist()
    ints = np.arange(n, dtype=np.int64)
    np.testing.assert_array_equal(s(ints), s(ints.astype(np.float64)))
    np.testing.assert_array_equal(s(ints.astype(np.uint32)), s(ints.astype(np.float64)))


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 3 * _BLOCK + 5, -1])
def test_a_bad_epoch_in_any_block_is_refused(bad, where):
    tt = np.arange(4 * _BLOCK, dtype=np.float64)
    tt[where] = bad
    with pytest.raises(ValueError, match=r"t must be finite and >= 0 \(epochs count from 0\), got "):
        cosine(0.1, 100)(tt)
    if bad == -1.0:
        ints = np.arange(4 * _BLOCK)
        ints[where] = -3
        with pytest.raises(ValueError, match=r"got -3\.0$"):
            inverse_time(0.1, 0.01)(ints)


@pytest.mark.parametrize("fam", [COSINE, LINEAR], ids=lambda f: f.name)
def test_a_stable_form_switches_branch_once_so_a_block_is_decided_by_its_ends(fam):
    """Smooth._eval decides a block's branch from its smallest and largest epochs:
    the condition must hold on an initial range of epochs and fail after it."""
    (pw,) = fam.stable.atoms(sp.Piecewise)
    (_, cond), (_, rest) = pw.args
    assert rest is sp.true
    for horizon in (1, 2, 7, 1000):
        c = cond.subs(BY_NAME[fam.horizon], horizon)
        holds = [bool(c.subs(t, v)) for v in np.linspace(0, 2 * horizon, 41)]
        assert holds[0] and not holds[-1] and holds == sorted(holds, reverse=True)


@pytest.mark.parametrize("s", [m for m in MEMBERS if hasattr(m, "_family") and not m._far_scale], ids=repr)
def test_kernels_agree_with_lambdify_of_the_same_formula(s):
    """The in-place kernels do the formula's operations: within a few ulps of
    sympy.lambdify's numbers for the same (stable) expression (the far forms apart)."""
    fam = s._family
    expr = fam.formula if fam.stable is None else fam.stable
    ref = sp.lambdify((t, *fam.symbols), expr, "numpy")
    tt = np.concatenate([np.arange(0, 3 * _BLOCK, 7, dtype=np.float64), [2.0**40, 1e15]])
    with np.errstate(all="ignore"):
        want = np.broadcast_to(ref(tt, *s._args), tt.shape)
    np.testing.assert_allclose(s(tt), want, rtol=8 * np.finfo(float).eps, atol=0)
