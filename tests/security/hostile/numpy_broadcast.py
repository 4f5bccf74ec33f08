"""Hostile: numpy values that broadcast, and an ndarray subclass that lies about its shape.

Attack: q2a = np.full(10, -0.693) (a grader using np.isclose(answer, expected).all() would accept
it — and an array of every plausible value would match anything); q2d is a 3×3 array of Φ(1)
guesses; q4c_alpha2 a two-element array; q4d_var an ndarray subclass whose .size, .shape, .item()
and __eq__ pretend it is one correct number while it holds four; q4a returns an array of 50
candidates for each output.

Expected: a number part accepts only a single value (a numpy scalar, a 0-d or one-element array);
anything larger is "invalid format", whatever its contents. The honest numpy answers still count.
"""
# ATTACKED: q2a q2d q4c_alpha2 q4d_var q4a
# HONEST: q1a q4c_alpha1 q4c_alpha_bar2 q2c q2e

import numpy as np


class OneNumber(np.ndarray):
    """Holds several values but claims to be the single right one."""

    @property
    def size(self):
        return 1

    @property
    def shape(self):
        return ()

    def item(self, *args):
        return 0.28

    def __eq__(self, other):
        return np.ones(1, dtype=bool)

    def tolist(self):
        return 0.28


q1a = "Normalizing flows"
q4c_alpha1 = np.float64(0.9)
q4c_alpha_bar2 = np.array(0.72)          # a 0-d array holds one number: fine
q2c = np.array([np.inf])                 # a one-element array: fine
q2e = np.float32(-np.inf)

q2a = np.full(10, -0.693)
q2d = np.full((3, 3), 0.8413)
q4c_alpha2 = np.array([0.8, 0.8])
q4d_var = np.array([0.1, 0.28, 0.5, 0.9]).view(OneNumber)


def q4a(x0, betas, t):
    candidates = np.linspace(-3, 3, 50)
    return np.stack([candidates, candidates])
