"""A submission whose code raises in several answers (and at the top level), and loops in one."""

import math

import torch  # not installed on the grader: only answers that use it should be lost

q2a = -math.log(2)
q2c = math.log(0)      # ValueError at the top level: q2c stays undefined, the file goes on
q2d = 0.8413


def q4a(x0, betas, t):
    alpha_bar = math.prod(1 - b for b in betas[:t])
    return math.sqrt(alpha_bar) * x0, 1 - alpha_bar / 0   # ZeroDivisionError


def q4b(eps_model, x0, eps, t, alpha_bars):
    return torch.sum(torch.tensor(eps))                      # NameError: torch failed to import


def q4e(x_t, x0, betas, t):
    while True:                                              # never returns
        pass


def q3p_mean(x_t, eps_pred, betas, t):
    return betas[t]                                          # IndexError at the last step


q4c_alpha1 = 0.9
q4f = "data"
