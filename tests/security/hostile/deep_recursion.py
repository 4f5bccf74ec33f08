"""Hostile: crash the interpreter's C stack with unbounded recursion.

Attack: q2d raises the recursion limit to a million and recurses through C (repr of an object whose
__repr__ calls repr on itself) until the C stack overflows: a segmentation fault, the process dies
at once, no exception. q4b recurses in pure Python under the harness's limit (a RecursionError);
q3p_mean recurses through float() of an object whose __float__ calls float on itself.

Expected: q2d loses only itself (the process ended), the file is started again for the rest; q4b
and q3p_mean "raised an exception"; the grader and the honest answers are unaffected.
"""
# ATTACKED: q2d q4b q3p_mean
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q4d_var

import math
import sys

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q4d_var = 0.28


def _down(n):
    return _down(n + 1) + 1


class Loop:
    def __repr__(self):
        return repr(self)

    def __float__(self):
        return float(self)


def q2d():
    sys.setrecursionlimit(10**6)
    return repr(Loop())        # recursion through C (repr -> __repr__ -> repr ...): the C stack overflows


def q4b(eps_model, x0, eps, t, alpha_bars):
    return _down(0)


def q3p_mean(x_t, eps_pred, betas, t):
    return float(Loop())
