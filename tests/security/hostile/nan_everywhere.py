"""Hostile: NaN in every numeric field, in every spelling.

Attack: NaN compares false with everything, so a grader testing `not (answer != expected)`, or
`abs(a - b) > tol` to reject, would accept it. Given as float('nan'), math.nan, numpy.nan,
numpy.float32 NaN, sympy.nan, the string "nan", a complex NaN, a 1-element array, and returned by
every function part.

Expected: NaN is never correct, in any spelling: every numeric and function part earns 0.
"""
# ATTACKED: q2a q2b q2c q2d q2e q3p_mean q4a q4b q4c_alpha1 q4c_alpha2 q4c_alpha_bar2 q4d_mean q4d_var q4e
# HONEST: q1a q1b q1c q2e_finite q4f

import math

import numpy as np
import sympy as sp

q1a = "Normalizing flows"
q1b = "GANs"
q1c = ["a", "c"]
q2e_finite = False
q4f = "the data distribution"

q2a = float("nan")
q2c = math.nan
q2d = np.nan
q2e = sp.nan
q4c_alpha1 = np.float32("nan")
q4c_alpha2 = "nan"
q4c_alpha_bar2 = complex(math.nan, 0.0)
q4d_mean = np.array([np.nan])
q4d_var = "NaN"


def q2b(z):
    return math.nan


def q3p_mean(x_t, eps_pred, betas, t):
    return float("nan")


def q4a(x0, betas, t):
    return (math.nan, math.nan)


def q4b(eps_model, x0, eps, t, alpha_bars):
    return np.nan


def q4e(x_t, x0, betas, t):
    return [math.nan, float("nan")]
