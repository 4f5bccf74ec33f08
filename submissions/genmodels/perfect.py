"""A perfect submission, written differently from the reference solution on purpose:
sympy where the reference uses floats, strings and other spellings, numpy arrays, lambdas."""

import math

import numpy as np
import sympy as sp
from scipy.special import ndtr

# 1. Model classes, in the words a student might use
q1a = "Normalizing flows"
q1b = "Generative Adversarial Networks (GANs)"
q1c = "(a) and (c)"

q1d = """The identity log p(x) = ELBO + KL(q(z|x) || p(z|x)) is exact, so the gap between the ELBO
and the true log-likelihood is exactly the KL divergence between the encoder and the true posterior.
An encoder with insufficient capacity (say a diagonal Gaussian for a multimodal posterior) cannot
approximate the posterior, so this variational gap stays large: the bound is loose and the decoder
gets a poor, distorted training signal. The latent codes are smeared out and average over modes,
so generated samples are blurry and lack detail. In the extreme the encoder ignores x and matches
the prior: posterior collapse (KL vanishing), where z carries no information and diversity suffers."""

# 2. The latent variable model
q2a = sp.log(sp.Rational(1, 2))          # a sympy expression: -log(2)

z = sp.Symbol("z", real=True)
q2b = sp.Piecewise((2 * sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi), z >= 0), (0, True))

q2c = sp.oo
q2d = lambda: float(ndtr(1.0))           # a zero-argument function returning the value
q2e = "-inf"
q2e_finite = "no"


# 3(p): the reverse mean, with the cumulative ᾱ_t in the noise coefficient
def q3p_mean(x_t, eps_pred, betas, t):
    betas = np.asarray(betas, dtype=float)
    alpha_bar_t = np.prod(1.0 - betas[:t])
    return (x_t - betas[t - 1] / np.sqrt(1.0 - alpha_bar_t) * eps_pred) / np.sqrt(1.0 - betas[t - 1])


# 4. DDPM numericals
def q4a(x0, betas, t):
    alpha_bar = np.cumprod(1.0 - np.asarray(betas))[t - 1]
    return np.array([np.sqrt(alpha_bar) * x0, 1.0 - alpha_bar])


def q4b(eps_model, x0, eps, t, alpha_bars):
    x0, eps = np.asarray(x0), np.asarray(eps)
    ab = alpha_bars[t - 1]
    x_t = np.sqrt(ab) * x0 + np.sqrt(1 - ab) * eps
    return np.sum((eps - eps_model(x_t, t)) ** 2)


q4c_alpha1 = 0.9
q4c_alpha2 = "0.8"
q4c_alpha_bar2 = sp.Rational(72, 100)
q4d_mean = "2*sqrt(0.72)"
q4d_var = 0.2800                         # four significant figures, as in the notes


def q4e(x_t, x0, betas, t):
    alphas = [1 - b for b in betas]
    abar = math.prod(alphas[:t])
    abar_prev = math.prod(alphas[: t - 1])
    beta = betas[t - 1]
    mean = (math.sqrt(alphas[t - 1]) * (1 - abar_prev) * x_t + math.sqrt(abar_prev) * beta * x0) / (1 - abar)
    return mean, (1 - abar_prev) / (1 - abar) * beta


q4f = "the true data distribution p_data(x0)"
