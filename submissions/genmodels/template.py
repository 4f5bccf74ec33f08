"""Generative models: VAEs, ELBO, GANs, flows and DDPM — your answers.

Replace each stub below. An answer may be a value (q9 = math.log(3)) or a function of no
arguments returning it; answers that take inputs (like q4a(x0, betas, t)) must stay functions.
Check your work at any time with:

    grade submit template.py

The problem's parameters are also available as the dict PARAMETERS when the grader runs this file.
"""

import math

# import numpy as np          # numpy, scipy and sympy are available
# import scipy.stats as stats
# import sympy as sp


# ================================================================================================
# 1. Generative models comparison
# ================================================================================================

def q1a():
    """[1a] Tractable inverse mapping (2 points)

    Suppose we care about having a model with a tractable inverse mapping from data space to
    latent space. Which models provide this property by design?

    Name the model class as a string, e.g. q1a = "..."

    Your answer: a string naming one option: `flows`, `vaes`, `gans`, `autoregressive`, `diffusion`
    (the usual names of each are understood too).
    """
    raise NotImplementedError


def q1b():
    """[1b] Non-likelihood-based divergence (2 points)

    Suppose we want to minimize a divergence that is not likelihood-based, but instead depends on
    distinguishing real and fake samples. Which class of models does this correspond to?

    Name the model class as a string, e.g. q1b = "..."

    Your answer: a string naming one option: `gans`, `vaes`, `flows`, `autoregressive`, `diffusion`
    (the usual names of each are understood too).
    """
    raise NotImplementedError


def q1c():
    """[1c] Exact log-likelihood gradient (3 points)

    Suppose we want to compute the exact log-likelihood gradient with respect to model parameters
    for a given datapoint without using variational approximations. Which of these models allow
    this? Briefly explain.

    (a) Autoregressive models  (b) Latent variable models  (c) Flow-based models
    (d) All of the above

    Select every option that applies: a list of option letters such as ["x", "y"], or a string such as "(x) and (y)".

    Your answer: the options you select, from `a`, `b`, `c`, `d`: a set such as {"x", "y"}, a list
    such as ["x", "y"] or a string such as "(x) and (y)"; each right option earns its share of the
    points and each wrong one costs a share (never below 0).
    """
    raise NotImplementedError


def q1d():
    """[1d] Insufficient encoder capacity in VAEs (4 points)

    VAEs optimize:

        log p_θ(x) = ELBO + D_KL(q_φ(z | x) ‖ p_θ(z | x))

    If the encoder has insufficient capacity, what effect does this have on generative quality?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


# ================================================================================================
# 2. Latent variable model and ELBO
# ================================================================================================

def q2a():
    """[2a] Compute log p(x⁽¹⁾) (4 points)

    A latent variable model samples only two images x⁽¹⁾, x⁽²⁾ ∈ {0,1}⁷⁸⁴ from a scalar latent z:

        p(z) = N(z; 0, 1),   p(x | z) = 1 if z ≥ 0 and x = x⁽¹⁾;  1 if z < 0 and x = x⁽²⁾;  0 otherwise.

    Compute like(x) := log p(x) (natural logarithm). What is like(x⁽¹⁾)?

    `q2a`: the number log p(x⁽¹⁾).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q2b(z):
    """[2b] Posterior p(z | x⁽¹⁾) (6 points)

    For the model of question 2, compute the posterior distribution p(z | x⁽¹⁾) explicitly.

    `q2b(z)`: the posterior density p(z | x⁽¹⁾) at a real number z — a Python function of z,
    or a sympy expression in the symbol `z` (e.g. using sympy.Piecewise or sympy.Heaviside).

    Your answer: a function of (z) returning a number, or a sympy expression (or formula string) in
    `z`.
    """
    raise NotImplementedError


def q2c():
    """[2c] KL divergence with q(z) = N(z; 0, 1) (4 points)

    Let q(z) = N(z; 0, 1). Compute D_KL(q(z) ‖ p(z | x⁽¹⁾)).

    `q2c`: the value of the divergence (a number; infinite values are written `math.inf`, `float("inf")`, `sympy.oo` or `"inf"`).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q2d():
    """[2d] P_q(z ≥ 0) for q(z) = N(z; 1, 1) (3 points)

    Now consider q(z) = N(z; 1, 1). Compute numerically P_q(z ≥ 0), the probability q gives to
    the latents that produce x⁽¹⁾.

    `q2d`: the probability, a number (e.g. with `scipy.stats.norm.sf`, or to four digits).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`. It must lie in [0, 1].
    """
    raise NotImplementedError


def q2e():
    """[2e] ELBO computation (3 points)

    With q(z) = N(z; 1, 1), compute ELBO(x⁽¹⁾; q) = log p(x⁽¹⁾) − D_KL(q(z) ‖ p(z | x⁽¹⁾)). Is it finite?

    `q2e`: the value of the ELBO (a number; `-math.inf` for −∞).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q2e_finite():
    """[2e] ELBO computation (1 points)

    With q(z) = N(z; 1, 1), compute ELBO(x⁽¹⁾; q) = log p(x⁽¹⁾) − D_KL(q(z) ‖ p(z | x⁽¹⁾)). Is it finite?

    `q2e_finite`: whether the ELBO is finite (`True` or `False`).

    Your answer: True or False (or "yes" / "no").
    """
    raise NotImplementedError


# ================================================================================================
# 3. Theory questions
# ================================================================================================

def q3a():
    """[3a] Goal of generative AI (2 points)

    What is the goal of Generative AI? How does it differ from discriminative modeling?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3b():
    """[3b] Historical milestones (2 points)

    Give two historical milestones in the development of modern Generative AI and explain why they
    were significant.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3c():
    """[3c] Latent variable models for high-dimensional data (2 points)

    Explain why latent variable models are useful for high-dimensional data such as images or
    speech.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3d():
    """[3d] Latent variable models vs. autoregressive models for medical imaging (2 points)

    Suppose you are modeling medical images where interpretability of latent factors is important.
    What advantages do latent variable models provide compared to autoregressive models?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3e():
    """[3e] Variational inference vs. exact Bayesian inference (2 points)

    Why is variational inference often preferred over exact Bayesian inference in deep generative
    models?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3f():
    """[3f] Limitations of variational inference (2 points)

    What are the main limitations of variational inference? Discuss the role of the variational
    gap.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3g():
    """[3g] Standard autoencoder vs. VAE (2 points)

    Explain the key differences between a standard autoencoder and a VAE.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3h_model():
    """[3h] Anomaly detection in industrial equipment (1 points)

    In a real-world application such as anomaly detection in industrial equipment, which model
    would you choose and why?

    The model class you would choose, as a string (you may name two, e.g. "x or y").

    Your answer: a string naming one option: `vaes`, `flows`, `gans`, `diffusion`, `autoregressive`
    (the usual names of each are understood too); you may name several, e.g. "x or y".
    """
    raise NotImplementedError


def q3h():
    """[3h] Anomaly detection in industrial equipment (2 points)

    In a real-world application such as anomaly detection in industrial equipment, which model
    would you choose and why?

    Justify your choice in a few sentences.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3i():
    """[3i] GANs: advantages and disadvantages (2 points)

    Discuss two advantages and two disadvantages of GANs compared to likelihood-based models.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3j_model():
    """[3j] Generating sports player avatars (1 points)

    You are building a system to generate realistic sports player avatars for a video game. Would
    you choose a GAN, VAE, or diffusion model? Justify your answer.

    The model class you would choose, as a string, e.g. q3j_model = "..."

    Your answer: a string naming one option: `gans`, `vaes`, `diffusion`, `flows`, `autoregressive`
    (the usual names of each are understood too).
    """
    raise NotImplementedError


def q3j():
    """[3j] Generating sports player avatars (2 points)

    You are building a system to generate realistic sports player avatars for a video game. Would
    you choose a GAN, VAE, or diffusion model? Justify your answer.

    Justify your choice in a few sentences.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3k():
    """[3k] Normalizing flows vs. VAEs (2 points)

    What are the main advantages of normalizing flows over VAEs?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3l():
    """[3l] Scaling flows to high-resolution images (2 points)

    Why are normalizing flows typically harder to scale to very high-resolution images?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3m():
    """[3m] Main idea behind diffusion models (2 points)

    Explain the main idea behind diffusion models.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3n():
    """[3n] Diffusion models vs. GANs: quality (2 points)

    Why do diffusion models often produce higher-quality samples than GANs?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3o():
    """[3o] Computational disadvantage of diffusion models (2 points)

    What is the primary computational disadvantage of diffusion models compared to GANs?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3p():
    """[3p] Forward and reverse processes in DDPM (2 points)

    Explain the forward and reverse processes in Denoising Diffusion Probabilistic Models (DDPM).

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3p_mean(x_t, eps_pred, betas, t):
    """[3p] Forward and reverse processes in DDPM (4 points)

    Explain the forward and reverse processes in Denoising Diffusion Probabilistic Models (DDPM).

    `q3p_mean(x_t, eps_pred, betas, t)`: the mean μ_θ(x_t, t) of the learned reverse step
    p_θ(x_{t−1} | x_t), computed from the network's noise prediction `eps_pred` = ε_θ(x_t, t),
    in one dimension; `betas` = [β_1, ..., β_T] and t counts from 1. Verify the formula in the
    notes before you use it.

    Your answer: a function of (x_t, eps_pred, betas, t) returning a number.
    """
    raise NotImplementedError


def q3q():
    """[3q] Real-time deployment challenges for DDPM (2 points)

    In a real-time content generation application (e.g., live video enhancement), what challenges
    would arise when deploying DDPM models?

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


def q3r_a_model():
    """[3r] Model selection for specific tasks (1 points)

    You are designing a generative model for the following tasks:

    (a) Generating realistic synthetic MRI scans where likelihood evaluation is required for
        anomaly scoring.
    (b) Generating creative artwork for marketing campaigns where visual quality is the primary
        objective.

    For each case, select an appropriate model class and justify your choice.

    Task (a): the model class you would choose, as a string (you may name two, e.g. "x or y").

    Your answer: a string naming one option: `flows`, `diffusion`, `vaes`, `gans`, `autoregressive`
    (the usual names of each are understood too); you may name several, e.g. "x or y".
    """
    raise NotImplementedError


def q3r_b_model():
    """[3r] Model selection for specific tasks (1 points)

    You are designing a generative model for the following tasks:

    (a) Generating realistic synthetic MRI scans where likelihood evaluation is required for
        anomaly scoring.
    (b) Generating creative artwork for marketing campaigns where visual quality is the primary
        objective.

    For each case, select an appropriate model class and justify your choice.

    Task (b): the model class you would choose, as a string (you may name two, e.g. "x or y").

    Your answer: a string naming one option: `diffusion`, `gans`, `vaes`, `flows`, `autoregressive`
    (the usual names of each are understood too); you may name several, e.g. "x or y".
    """
    raise NotImplementedError


def q3r():
    """[3r] Model selection for specific tasks (2 points)

    You are designing a generative model for the following tasks:

    (a) Generating realistic synthetic MRI scans where likelihood evaluation is required for
        anomaly scoring.
    (b) Generating creative artwork for marketing campaigns where visual quality is the primary
        objective.

    For each case, select an appropriate model class and justify your choice.

    Justify both choices in a few sentences.

    Your answer: a few sentences of text (at least 5 words); scored provisionally, then reviewed by
    course staff.
    """
    raise NotImplementedError


# ================================================================================================
# 4. Numericals — DDPM
# ================================================================================================

def q4a(x0, betas, t):
    """[4a] Closed form of q(x_t | x_0) (5 points)

    A DDPM has the forward diffusion q(x_t | x_{t−1}) = N(x_t; √(1 − β_t) x_{t−1}, β_t I).
    Show that q(x_t | x_0) = N(x_t; √ᾱ_t x_0, (1 − ᾱ_t) I), where α_t = 1 − β_t and ᾱ_t = ∏_{s≤t} α_s.

    `q4a(x0, betas, t)`: return the pair (mean, variance) of q(x_t | x_0) in one dimension,
    where `x0` is a float, `betas` the list [β_1, ..., β_T] and t counts from 1.

    Your answer: a function of (x0, betas, t) returning the tuple (mean, variance).
    """
    raise NotImplementedError


def q4b(eps_model, x0, eps, t, alpha_bars):
    """[4b] DDPM training objective (4 points)

    Write the training objective used in DDPM when the model predicts the noise ε_θ(x_t, t):
    L_simple = E_{t, x_0, ε} ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖².

    `q4b(eps_model, x0, eps, t, alpha_bars)`: the loss for ONE sample (x_0, ε, t), i.e.
    ‖ε − ε_θ(x_t, t)‖² with x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. `x0` and `eps` are equal-length lists
    of floats, t counts from 1, `alpha_bars` is [ᾱ_1, ..., ᾱ_T], and `eps_model(x_t, t)` is a
    network the grader passes in: it accepts a list or a numpy array and returns one of the same length.

    Your answer: a function of (eps_model, x0, eps, t, alpha_bars) returning a number.
    """
    raise NotImplementedError


def q4c_alpha1():
    """[4c] α_1, α_2 and ᾱ_2 (1 points)

    Let β_1 = 0.1, β_2 = 0.2 and x_0 = 2. Compute α_1, α_2 and ᾱ_2.

    `q4c_alpha1`: α_1.

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q4c_alpha2():
    """[4c] α_1, α_2 and ᾱ_2 (1 points)

    Let β_1 = 0.1, β_2 = 0.2 and x_0 = 2. Compute α_1, α_2 and ᾱ_2.

    `q4c_alpha2`: α_2.

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q4c_alpha_bar2():
    """[4c] α_1, α_2 and ᾱ_2 (1 points)

    Let β_1 = 0.1, β_2 = 0.2 and x_0 = 2. Compute α_1, α_2 and ᾱ_2.

    `q4c_alpha_bar2`: ᾱ_2.

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q4d_mean():
    """[4d] Mean and variance of q(x_2 | x_0) (2 points)

    With β_1 = 0.1, β_2 = 0.2 and x_0 = 2, compute the mean and variance of q(x_2 | x_0).

    `q4d_mean`: the mean of q(x_2 | x_0).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q4d_var():
    """[4d] Mean and variance of q(x_2 | x_0) (2 points)

    With β_1 = 0.1, β_2 = 0.2 and x_0 = 2, compute the mean and variance of q(x_2 | x_0).

    `q4d_var`: the variance of q(x_2 | x_0).

    Your answer: a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4";
    ±∞ as `math.inf` / `-math.inf`.
    """
    raise NotImplementedError


def q4e(x_t, x0, betas, t):
    """[4e] Why q(x_{t−1} | x_t) is Gaussian — the posterior mean and variance (6 points)

    Explain why the reverse distribution q(x_{t−1} | x_t) is Gaussian. Conditioned on x_0, Bayes' rule
    gives q(x_{t−1} | x_t, x_0) ∝ q(x_t | x_{t−1}) q(x_{t−1} | x_0), a product of two Gaussians in
    x_{t−1}: compute its mean μ̃_t and variance β̃_t.

    `q4e(x_t, x0, betas, t)`: return the pair (μ̃_t, β̃_t), the mean and variance of
    q(x_{t−1} | x_t, x_0) in one dimension; `x_t` and `x0` are floats, `betas` = [β_1, ..., β_T],
    t counts from 1 (with ᾱ_0 = 1).

    Your answer: a function of (x_t, x0, betas, t) returning the tuple (mean, variance).
    """
    raise NotImplementedError


def q4f():
    """[4f] Generated sample distribution as T → ∞ (2 points)

    Consider the DDPM with forward process q(x_t | x_{t−1}) = N(x_t; √(1 − β_t) x_{t−1}, β_t I).
    If the model perfectly predicts the true noise, what distribution does the generated sample
    converge to as T → ∞?

    Name the distribution as a string, e.g. q4f = "..."

    Your answer: a string naming one option: `data`, `standard_normal`, `gaussian_fit`, `delta`,
    `mixture`, `uniform` (the usual names of each are understood too).
    """
    raise NotImplementedError
