"""Hostile: objects whose __eq__, __float__, __bool__, __str__, __repr__ and friends lie.

Attack: a Liar equals everything, converts to the expected number, is falsy or truthy as needed,
prints as the right answer and hashes like it. It is given for a number (q2d), a boolean
(q2e_finite), a choice (q1b), returned by a function (q4a) and as a multi-choice (q1c).

Expected: the harness never calls the object's own methods to encode it (it reaches for the real
type's slots, e.g. float.__float__), so a liar crosses the boundary as an opaque object ("invalid
format") or, when its lies break the harness's encoder (a __getattr__ that answers every attribute),
as an exception of the answer ("raised"); either way 0 points, and the parent never sees the object.
"""
# ATTACKED: q2d q2e_finite q1b q4a q1c q2c
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math


class Liar:
    """Equal to everything, and claims to be whatever a grader might convert it to."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: True

    def __hash__(self):
        return hash(0.8413447460685429)

    def __float__(self):
        return 0.8413447460685429

    def __int__(self):
        return 1

    def __index__(self):
        return 1

    def __complex__(self):
        return complex(0.8413447460685429)

    def __bool__(self):
        return False

    def __len__(self):
        return 1

    def __str__(self):
        return "GANs"

    def __repr__(self):
        return "0.8413447460685429"

    def __format__(self, spec):
        return "0.8413447460685429"

    def __iter__(self):
        return iter(["a", "c"])

    def __getattr__(self, name):  # .item(), .evalf(), .real, .value ... all "succeed"
        return lambda *a, **k: 0.8413447460685429

    def __call__(self, *args, **kwargs):
        return self

    def __abs__(self):
        return 0.0

    def __sub__(self, other):
        return 0.0

    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __sub__


class PlainLiar:
    """The same lies without __call__/__getattr__: it crosses the boundary as an opaque object."""

    __eq__, __ne__, __hash__ = Liar.__eq__, Liar.__ne__, Liar.__hash__
    __float__, __int__, __index__, __complex__ = Liar.__float__, Liar.__int__, Liar.__index__, Liar.__complex__
    __bool__, __str__, __repr__, __format__ = Liar.__bool__, Liar.__str__, Liar.__repr__, Liar.__format__


q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

q2d = PlainLiar()
q2c = Liar()
q2e_finite = Liar()
q1b = Liar()
q1c = Liar()


def q4a(x0, betas, t):
    return Liar()
