"""A submission with a syntax error in one answer: the rest of the file must still be graded."""

import math

q2a = -math.log(2)
q2c = math.inf


def q4a(x0, betas, t)          # missing colon
    alpha_bar = math.prod(1 - b for b in betas[:t])
    return math.sqrt(alpha_bar) * x0, 1 - alpha_bar


q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q4c_alpha_bar2 = 0.72
q4f = "data distribution"
