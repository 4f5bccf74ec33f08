"""Reference solution of the generative-models problem set.

Every answer is computed from the problem's parameters (`PARAMETERS`, which the grader's harness
defines from problems/genmodels/assignment.yaml before running this file), so that a variant of
the set only changes parameter values. Run directly, it uses the document's values.

Names starting with `mistake_` compute the common wrong answers that the specs name with `ref:`;
the grader evaluates them at the same inputs as the right answers.

Note on 3(p): the course document prints the DDPM reverse mean as
    μ_θ = 1/√α_t · (x_t − β_t/√(1−α_t) · ε_θ),
which is a typo. Writing x_0 = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t in the posterior mean μ̃_t(x_t, x_0) gives
    μ̃_t = 1/√α_t · (x_t − β_t/√(1−ᾱ_t) · ε),
with ᾱ_t, the cumulative product (Ho et al. 2020, eq. 11). tests/test_reference_genmodels.py checks
this identity numerically.
"""

import math

import numpy as np
from scipy import integrate, stats

try:
    P = PARAMETERS  # noqa: F821  (defined by the grader's harness)
except NameError:
    P = {"prior_mean": 0.0, "prior_std": 1.0, "threshold": 0.0, "q2c_mean": 0.0, "q2c_std": 1.0,
         "q2d_mean": 1.0, "q2d_std": 1.0, "betas": [0.1, 0.2], "x0": 2.0}

PRIOR = stats.norm(P["prior_mean"], P["prior_std"])
THRESHOLD = P["threshold"]


# ---------------------------------------------------------------------------------------------
# 1. Model classes
# ---------------------------------------------------------------------------------------------

q1a = "flows"
q1b = "gans"
q1c = ["a", "c"]
q3h_model = "vaes"
q3j_model = "gans"
q3r_a_model = "flows"
q3r_b_model = "diffusion"
q4f = "data"


# ---------------------------------------------------------------------------------------------
# 2. Latent variable model: x⁽¹⁾ is produced exactly when z ≥ threshold
# ---------------------------------------------------------------------------------------------

def p_x1() -> float:
    return float(PRIOR.sf(THRESHOLD))


q2a = math.log(p_x1())


def q2b(z):
    """Posterior density p(z | x⁽¹⁾) = p(x⁽¹⁾ | z) p(z) / p(x⁽¹⁾)."""
    return float(PRIOR.pdf(z)) * (1.0 if z >= THRESHOLD else 0.0) / p_x1()


def kl_to_posterior(q_mean: float, q_std: float) -> float:
    """D_KL(q ‖ p(z | x⁽¹⁾)) for a normal q.

    The posterior is 0 below the threshold while a normal q has positive density everywhere, so
    q log(q/p) = +∞ on a set of positive q-probability: the divergence is +∞ for every normal q
    (even when that probability underflows in floating point).
    """
    del q_mean, q_std
    return math.inf


q2c = kl_to_posterior(P["q2c_mean"], P["q2c_std"])
# 2(d): how much of q lies where x⁽¹⁾ can be produced, P_q(z ≥ threshold)
q2d = float(stats.norm(P["q2d_mean"], P["q2d_std"]).sf(THRESHOLD))
q2e = q2a - kl_to_posterior(P["q2d_mean"], P["q2d_std"])
q2e_finite = bool(np.isfinite(q2e))

mistake_q2a_probability = p_x1()
mistake_q2a_log10 = math.log10(p_x1())
mistake_q2a_log2 = math.log2(p_x1())
mistake_q2a_sign = -math.log(p_x1())


def mistake_q2b_unnormalised(z):
    return float(PRIOR.pdf(z)) * (1.0 if z >= THRESHOLD else 0.0)


def mistake_q2b_no_indicator(z):
    return float(PRIOR.pdf(z)) / p_x1()


def mistake_q2b_prior(z):
    return float(PRIOR.pdf(z))


def _normal_logpdf(z: float, mean: float, std: float) -> float:
    # math, not scipy.stats: quad calls it a few hundred times, once per variant in a batch
    return -0.5 * ((z - mean) / std) ** 2 - math.log(std * math.sqrt(2 * math.pi))


_LOG_P_X1 = math.log(p_x1())


def _posterior_logpdf(z: float) -> float:
    return _normal_logpdf(z, P["prior_mean"], P["prior_std"]) - _LOG_P_X1


def _q2c_logpdf(z: float) -> float:
    return _normal_logpdf(z, P["q2c_mean"], P["q2c_std"])


# Only the z ≥ threshold region of the KL integral (−½ ln 2 for the document's values).
mistake_q2c_half = integrate.quad(lambda z: math.exp(_q2c_logpdf(z)) * (_q2c_logpdf(z) - _posterior_logpdf(z)),
                                  THRESHOLD, math.inf)[0]
# The divergence the other way round, D_KL(p(z | x⁽¹⁾) ‖ q) (ln 2 for the document's values).
mistake_q2c_reverse = integrate.quad(
    lambda z: math.exp(_posterior_logpdf(z)) * (_posterior_logpdf(z) - _q2c_logpdf(z)),
    THRESHOLD, math.inf)[0]
mistake_q2d_below = float(stats.norm(P["q2d_mean"], P["q2d_std"]).cdf(THRESHOLD))
mistake_q2d_prior = float(PRIOR.sf(THRESHOLD))
mistake_q2d_density = float(stats.norm(P["q2d_mean"], P["q2d_std"]).pdf(THRESHOLD))


def kl_gaussians(m1: float, s1: float, m2: float, s2: float) -> float:
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


mistake_q2e_no_kl = q2a
mistake_q2e_prior_kl = q2a - kl_gaussians(P["q2d_mean"], P["q2d_std"], P["prior_mean"], P["prior_std"])
mistake_q2e_only_prior_kl = -kl_gaussians(P["q2d_mean"], P["q2d_std"], P["prior_mean"], P["prior_std"])


# ---------------------------------------------------------------------------------------------
# 3(p) and 4. DDPM, 1-D, t counted from 1; betas = [β_1, ..., β_T]
# ---------------------------------------------------------------------------------------------

def alphas(betas):
    return [1.0 - b for b in betas]


def alpha_bar(betas, t):
    """ᾱ_t = ∏_{s ≤ t} (1 − β_s); ᾱ_0 = 1."""
    return float(np.prod(alphas(betas[:t])))


def q3p_mean(x_t, eps_pred, betas, t):
    beta, ab = betas[t - 1], alpha_bar(betas, t)
    return (x_t - beta / math.sqrt(1 - ab) * eps_pred) / math.sqrt(1 - beta)


def mistake_q3p_document(x_t, eps_pred, betas, t):
    beta = betas[t - 1]
    return (x_t - beta / math.sqrt(1 - (1 - beta)) * eps_pred) / math.sqrt(1 - beta)


def mistake_q3p_alpha_bar_prefactor(x_t, eps_pred, betas, t):
    beta, ab = betas[t - 1], alpha_bar(betas, t)
    return (x_t - beta / math.sqrt(1 - ab) * eps_pred) / math.sqrt(ab)


def mistake_q3p_x0_estimate(x_t, eps_pred, betas, t):
    ab = alpha_bar(betas, t)
    return (x_t - math.sqrt(1 - ab) * eps_pred) / math.sqrt(ab)


def q4a(x0, betas, t):
    ab = alpha_bar(betas, t)
    return math.sqrt(ab) * x0, 1 - ab


def mistake_q4a_std(x0, betas, t):
    ab = alpha_bar(betas, t)
    return math.sqrt(ab) * x0, math.sqrt(1 - ab)


def mistake_q4a_no_sqrt(x0, betas, t):
    ab = alpha_bar(betas, t)
    return ab * x0, 1 - ab


def mistake_q4a_last_alpha(x0, betas, t):
    a = 1 - betas[t - 1]
    return math.sqrt(a) * x0, 1 - a


def mistake_q4a_off_by_one(x0, betas, t):
    ab = alpha_bar(betas, t - 1)
    return math.sqrt(ab) * x0, 1 - ab


def _noisy(x0, eps, ab):
    return [math.sqrt(ab) * a + math.sqrt(1 - ab) * e for a, e in zip(x0, eps)]


def q4b(eps_model, x0, eps, t, alpha_bars):
    ab = alpha_bars[t - 1]
    x_t = np.asarray(_noisy(x0, eps, ab))
    predicted = np.asarray(eps_model(x_t, t), dtype=float)
    return float(np.sum((np.asarray(eps) - predicted) ** 2))


def mistake_q4b_mean(eps_model, x0, eps, t, alpha_bars):
    return q4b(eps_model, x0, eps, t, alpha_bars) / len(eps)


def mistake_q4b_not_squared(eps_model, x0, eps, t, alpha_bars):
    return math.sqrt(q4b(eps_model, x0, eps, t, alpha_bars))


def mistake_q4b_no_sqrt(eps_model, x0, eps, t, alpha_bars):
    ab = alpha_bars[t - 1]
    x_t = [ab * a + (1 - ab) * e for a, e in zip(x0, eps)]
    predicted = np.asarray(eps_model(np.asarray(x_t), t), dtype=float)
    return float(np.sum((np.asarray(eps) - predicted) ** 2))


BETAS = P["betas"]
q4c_alpha1 = 1 - BETAS[0]
q4c_alpha2 = 1 - BETAS[1]
q4c_alpha_bar2 = alpha_bar(BETAS, 2)
q4d_mean, q4d_var = q4a(P["x0"], BETAS, 2)

mistake_q4c_beta1 = BETAS[0]
mistake_q4c_beta2 = BETAS[1]
mistake_q4c_sum = q4c_alpha1 + q4c_alpha2
mistake_q4c_one_minus = 1 - q4c_alpha_bar2
mistake_q4c_beta_product = BETAS[0] * BETAS[1]
mistake_q4d_no_sqrt = q4c_alpha_bar2 * P["x0"]
mistake_q4d_no_x0 = math.sqrt(q4c_alpha_bar2)
mistake_q4d_last_alpha = math.sqrt(q4c_alpha2) * P["x0"]
mistake_q4d_alpha_bar = q4c_alpha_bar2
mistake_q4d_std = math.sqrt(1 - q4c_alpha_bar2)
mistake_q4d_sum_betas = BETAS[0] + BETAS[1]


def q4e(x_t, x0, betas, t):
    beta, ab, ab_prev = betas[t - 1], alpha_bar(betas, t), alpha_bar(betas, t - 1)
    mean = (math.sqrt(1 - beta) * (1 - ab_prev) * x_t + math.sqrt(ab_prev) * beta * x0) / (1 - ab)
    variance = (1 - ab_prev) * beta / (1 - ab)
    return mean, variance


def mistake_q4e_alpha_bar_t(x_t, x0, betas, t):
    beta, ab = betas[t - 1], alpha_bar(betas, t)
    mean = (math.sqrt(1 - beta) * (1 - ab) * x_t + math.sqrt(ab) * beta * x0) / (1 - ab)
    return mean, beta


def mistake_q4e_swapped(x_t, x0, betas, t):
    mean, variance = q4e(x0, x_t, betas, t)
    return mean, variance


def mistake_q4e_forward_variance(x_t, x0, betas, t):
    mean, _ = q4e(x_t, x0, betas, t)
    return mean, betas[t - 1]

