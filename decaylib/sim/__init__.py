r"""What the book simulates: SGD on small problems, driven by any decaylib schedule.

One module per experiment; none of them draws (figures and widgets live in
:mod:`decaylib.viz`).  Needs numpy and sympy; :mod:`~decaylib.sim.data`
also scikit-learn (its bundled digits).

=======================  ==========================================================
``least_squares``        a 2-D least-squares problem with elongated, tilted contours
``minibatch``            mini-batch gradient descent paths on it, many seeds at once
``noisy_quadratic``      SGD on :math:`h x^2/2` with gradient noise: the noise ball
``softmax``              a softmax classifier trained with mini-batch SGD
``data``                 the digits data set bundled with scikit-learn (no download)
=======================  ==========================================================

>>> import decaylib
>>> from decaylib import sim
>>> sim.stationary_variance(0.2, h=2.0, sigma=1.0)
0.0625
"""
from .least_squares import LeastSquares, least_squares
from .minibatch import distance_to_minimum, minibatch_path, minibatch_paths, steps_per_epoch
from .noisy_quadratic import MEAN_SQUARE_MAP, NOISE_BALL, h, mean_square, noisy_quadratic, sigma, stationary_variance, v
from .softmax import TrainResult, train_softmax, train_softmax_many

__all__ = [
    "LeastSquares", "least_squares",
    "distance_to_minimum", "minibatch_path", "minibatch_paths", "steps_per_epoch",
    "MEAN_SQUARE_MAP", "NOISE_BALL", "h", "mean_square", "noisy_quadratic", "sigma", "stationary_variance", "v",
    "TrainResult", "train_softmax", "train_softmax_many",
]
