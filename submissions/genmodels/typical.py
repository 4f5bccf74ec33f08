"""A typical student: right on most things, with the mistakes students really make."""

import math

import numpy as np
from scipy.stats import norm

q1a = "VAE"                      # mistake: the encoder is only an approximate inverse
q1b = "GANs"
q1c = ["a", "c", "d"]            # picked "all of the above" as well

q1d = "If the encoder is too small the KL gap between the ELBO and log p(x) stays large, so samples are blurry."

q2a = 0.5                        # p(x) instead of log p(x)


def q2b(z):
    # forgot to renormalise by p(x1) = 0.5
    return norm.pdf(z) if z >= 0 else 0.0


q2c = -0.5 * math.log(2)         # only the z >= 0 part of the integral
q2d = 0.8413                     # four significant figures: fine
q2e = -math.inf
q2e_finite = False

q3a = "Generative models learn p(x) so they can sample new data; discriminative models learn p(y|x)."
q3m = "Add noise step by step, then learn to remove it."


def q3p_mean(x_t, eps_pred, betas, t):
    # the formula as printed in the notes (with alpha_t instead of alpha_bar_t)
    alpha = 1 - betas[t - 1]
    return (x_t - betas[t - 1] / math.sqrt(1 - alpha) * eps_pred) / math.sqrt(alpha)


def q4a(x0, betas, t):
    alpha_bar = np.prod([1 - b for b in betas[:t]])
    return math.sqrt(alpha_bar) * x0, math.sqrt(1 - alpha_bar)   # std instead of variance


def q4b(eps_model, x0, eps, t, alpha_bars):
    ab = alpha_bars[t - 1]
    x_t = [math.sqrt(ab) * a + math.sqrt(1 - ab) * e for a, e in zip(x0, eps)]
    pred = eps_model(x_t, t)
    return float(np.mean((np.array(eps) - np.array(pred)) ** 2))   # mean instead of sum


q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q4c_alpha_bar2 = 1.7             # added instead of multiplied
q4d_mean = 1.697
q4d_var = 0.72                   # alpha_bar instead of 1 - alpha_bar


def q4e(x_t, x0, betas, t):
    alphas = [1 - b for b in betas]
    abar = math.prod(alphas[:t])
    abar_prev = math.prod(alphas[: t - 1])
    mean = (math.sqrt(alphas[t - 1]) * (1 - abar_prev) * x_t + math.sqrt(abar_prev) * betas[t - 1] * x0) / (1 - abar)
    return mean, betas[t - 1]    # the forward variance instead of the posterior's


q4f = "N(0, I)"
