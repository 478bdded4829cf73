"""The sympy symbols of the book's notation, one per quantity.

Code, prose and widget labels use the keyword names on the left; formulas use
the symbols on the right (see the book's notation page).
"""
import sympy as sp

t = sp.Symbol("t", nonnegative=True)  # epoch index, 0-based
n = sp.Symbol("n", positive=True, integer=True)  # number of epochs summed
lr0 = sp.Symbol("alpha_0", positive=True)  # initial learning rate
decay_rate = sp.Symbol("d", nonnegative=True)
eps = sp.Symbol("varepsilon", positive=True)  # LaTeX \varepsilon: the ε of the prose
k = sp.Symbol("k", positive=True)
total = sp.Symbol("T", positive=True)  # cosine horizon
lr_min = sp.Symbol("alpha_min", nonnegative=True)
rate = sp.Symbol("alpha", positive=True)  # a target learning rate

#: keyword argument name -> sympy symbol, the one vocabulary of the library
BY_NAME = {
    "t": t,
    "n": n,
    "lr0": lr0,
    "decay_rate": decay_rate,
    "eps": eps,
    "k": k,
    "total": total,
    "lr_min": lr_min,
    "rate": rate,
}
start = sp.Symbol("alpha_s", nonnegative=True)  # first value of a linear ramp
end = sp.Symbol("alpha_e", nonnegative=True)  # last value of a linear ramp
steps = sp.Symbol("W", positive=True, integer=True)  # length of a ramp (warm-up); S is steps per epoch
every = sp.Symbol("N", positive=True, integer=True)  # epochs per stair

BY_NAME.update(start=start, end=end, steps=steps, every=every)
