"""Hostile: subclasses of float, int, str, list and tuple whose methods lie about their value.

Attack: a float subclass holding 0.5 whose __float__, __repr__, __eq__, __sub__, __abs__ and
__format__ all claim Φ(1); an int subclass for q4c_alpha_bar2; a str subclass holding "VAE" that
claims to be "GANs" (q1b); a list subclass holding ["b", "d"] that iterates as ["a", "c"] (q1c); a
tuple subclass returned by q4e that holds (-1e6, -1e6) but indexes and iterates as anything.

Expected: the harness reads the real value with the base type's own slots (float.__float__,
int.__index__, str.__getitem__, list.__iter__), so every part is graded on what the object really
holds: all wrong, 0 points.
"""
# ATTACKED: q2d q4c_alpha_bar2 q1b q1c q4e
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math

TARGET = 0.8413447460685429


class LyingFloat(float):
    def __float__(self):
        return TARGET

    def __repr__(self):
        return repr(TARGET)

    __str__ = __repr__

    def __format__(self, spec):
        return format(TARGET, spec)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0

    def item(self):
        return TARGET


class LyingInt(int):
    def __index__(self):
        return 0

    def __float__(self):
        return 0.72

    def __repr__(self):
        return "0.72"

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class LyingStr(str):
    def __str__(self):
        return "GANs"

    def __repr__(self):
        return "'GANs'"

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def lower(self):
        return "gans"

    casefold = lower

    def strip(self, *args):
        return "GANs"

    def __getitem__(self, item):
        return "GANs"[item]

    def __iter__(self):
        return iter("GANs")

    def __len__(self):
        return 4


class LyingList(list):
    def __iter__(self):
        return iter(["a", "c"])

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return ["a", "c"][index]

    def __eq__(self, other):
        return True


class LyingTuple(tuple):
    def __iter__(self):
        return iter((2.0, 1.0))

    def __getitem__(self, index):
        return 1.0

    def __len__(self):
        return 2

    def __eq__(self, other):
        return True

    __hash__ = tuple.__hash__


q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

q2d = LyingFloat(0.5)
q4c_alpha_bar2 = LyingInt(1)
q1b = LyingStr("VAE")
q1c = LyingList(["b", "d"])


def q4e(x_t, x0, betas, t):
    return LyingTuple((-1e6, -1e6))  # a negative variance is never right
