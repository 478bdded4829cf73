r"""The same schedules in PyTorch, Keras 3 and Optax, and the rates they give.

For a decaylib schedule, :func:`code` writes the framework code that builds
the equivalent scheduler (the code a reader would type), and
:func:`torch_scheduler`, :func:`keras_schedule`, :func:`optax_schedule` run
exactly that code, so what the book shows is what the tests check.
:func:`rates` returns the framework's learning rates for epochs
``0 .. n-1`` as a float64 numpy array, to compare with decaylib's.

Conventions (one epoch = one scheduler step here):

========================  =========================================  ==========================================
framework                 how ``t`` advances                         state
========================  =========================================  ==========================================
PyTorch ``lr_scheduler``  ``t`` = number of ``scheduler.step()``     stateful: ``step()`` mutates the optimizer's
                          calls; one call per epoch, after           ``lr``; resume with ``state_dict()``
                          ``optimizer.step()``
Keras 3 schedules         ``step`` = optimizer iterations from 0     pure function ``schedule(step)``
Optax schedules           ``count`` = updates from 0                 pure function ``schedule(count)``
========================  =========================================  ==========================================

Where a boundary lands: decaylib, PyTorch's ``MultiStepLR`` and Optax's
``piecewise_constant_schedule`` switch *at* ``t = b``; Keras's
``PiecewiseConstantDecay`` switches at ``t = b + 1`` (it tests
``step > b``), so the equivalent Keras boundaries are ``b - 1``
(:func:`literal_piecewise_rates` shows what happens when they are passed
unchanged).

Frameworks are imported inside the functions that need them: ``import
decaylib.frameworks`` costs nothing.  Keras runs on the backend named by
``KERAS_BACKEND`` (the book uses ``jax``).

What agrees, and how closely (:func:`tolerance` returns it; the tests run
the code :func:`code` writes in each framework, on arrays and under
``jax.jit``, step for step over thousands of steps and random parameters):
at every step ``t < n``, ``|framework - decaylib| <= rtol |decaylib| + atol``
with ``u = 2**-53`` for PyTorch (the rate is a Python float) and
``u = 2**-24`` for Keras and Optax (float32, ``n <= 2**24``), and

==============================  ======================================  ===========================
schedule                        rtol                                    atol
==============================  ======================================  ===========================
exponential                     ``(8 + (n - 1) c) u``                   ``f``
step decay                      ``(8 + ((n - 1) // every) c) u``        ``f``
piecewise (PyTorch, Optax)      ``(8 + 8 m) u``, m switches             ``f``
cosine, linear                  ``8 u``                                 ``8 u`` x the peak rate
the rest                        ``8 u``                                 ``f``
==============================  ======================================  ===========================

where ``c = 2`` for PyTorch and ``2 + |ln eps|`` for float32, and
``f = tiny max(1, peak rate)`` with ``tiny`` the smallest normal number
(``2**-1022``, float32 ``2**-126``): below it a float keeps few digits, and
XLA flushes a float32 ``eps**t`` there to 0 before multiplying by ``lr0``.
A rate that is
multiplied by a rounded factor once a step (``ExponentialLR``, float32's
``eps``, ``MultiStepLR``'s ``gamma``) drifts by about one rounding a step,
so the relative agreement of an exponential over 1,000 float32 steps is
about ``1e-4``, not ``1e-6``; near a zero rate (cosine, a ramp from 0) the
error is a rounding of the peak rate, so there the bound is absolute.  The
code keeps every digit of the parameters (``repr``), and staircases
divide integers: Keras's and Optax's own ``staircase=True`` floors a
float32 quotient that XLA can round down, one step late
(:func:`late_stair_steps`).

>>> import decaylib
>>> from decaylib.frameworks import code
>>> print(code(decaylib.step_decay(lr0=0.1, eps=0.5, every=10), "pytorch"))
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
"""
from __future__ import annotations

import contextlib

from .accuracy import late_stair_steps, tolerance
from .codegen import FRAMEWORKS, code
from .runs import (keras_rates, keras_schedule, literal_piecewise_rates, optax_rates, optax_schedule, rates,
                   torch_rates, torch_scheduler)

__all__ = [
    "FRAMEWORKS",
    "code",
    "optional",
    "keras_rates",
    "keras_schedule",
    "late_stair_steps",
    "literal_piecewise_rates",
    "optax_rates",
    "optax_schedule",
    "rates",
    "tolerance",
    "torch_rates",
    "torch_scheduler",
]

#: top-level module -> (what a reader calls it, its size in a venv)
_PACKAGES = {"torch": ("PyTorch", "~750 MB"), "keras": ("Keras 3", "~40 MB with JAX"),
             "jax": ("JAX", "~620 MB"), "jaxlib": ("JAX", "~620 MB"), "optax": ("Optax", "~620 MB with JAX")}


@contextlib.contextmanager
def optional():
    """Run a block that needs a framework; if it is not installed, say how to get it in one line.

    The notebooks' framework cells run inside ``with optional():`` so that a
    learner's environment without PyTorch, Keras or Optax (``make lab``)
    prints one line instead of a traceback.  Every other error propagates.

    >>> with optional():
    ...     raise ModuleNotFoundError("No module named 'torch'", name="torch")
    PyTorch is not installed here, so this cell is skipped: `make lab FRAMEWORKS=1` (or `pip install 'decaylib[frameworks]'`) adds it (~750 MB).
    """
    try:
        yield
    except ModuleNotFoundError as err:
        root = (err.name or "").partition(".")[0]
        if root not in _PACKAGES:
            raise
        name, size = _PACKAGES[root]
        print(f"{name} is not installed here, so this cell is skipped: `make lab FRAMEWORKS=1` "
              f"(or `pip install 'decaylib[frameworks]'`) adds it ({size}).")
