"""Independent checks of the mathematics of the genmodels reference solution (solutions/genmodels.py).

Every answer of the reference is compared with a derivation that does NOT re-type its formula:

* section 2 by numerical integration (scipy.integrate.quad) of hand-written densities, Bayes' rule with
  numerical normalisation, and by showing that the KL divergence / ELBO diverge (positive q-mass where the
  posterior / likelihood is 0, and a regularised divergence growing like P_q(z < t)·log(1/ε));
* section 4 by Monte Carlo simulation of the forward chain, exact mean/variance recursion, Gaussian
  conditioning of the joint (x_{t−1}, x_t | x_0) and a grid computation of q(x_{t−1} | x_t, x_0);
* 3(p) by the identity μ_θ(x_t, ε_true) = μ̃_t(x_t, x_0(x_t, ε)), which the document's printed formula
  (with √(1 − α_t)) fails for t ≥ 2;
* every `mistake_*` of the specs is checked to differ from the right answer at the grader's tolerance.

Each check runs with the document's parameters and with variants of them, proving the reference computes
from PARAMETERS rather than from hard-coded numbers.
"""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import integrate, stats

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "genmodels.py"
PROBLEMS = ROOT / "problems" / "genmodels"
ASSIGNMENT = yaml.safe_load((PROBLEMS / "assignment.yaml").read_text(encoding="utf-8"))
DOCUMENT_PARAMS = dict(ASSIGNMENT["parameters"])
TOL = ASSIGNMENT["policies"]["tolerance"]
RTOL, ATOL = float(TOL["rtol"]), float(TOL["atol"])

# The variant named in the brief: threshold, q(z) of 2(d), schedule and x0 all changed.
VARIANT = {**DOCUMENT_PARAMS, "threshold": 0.5, "q2d_mean": 2.0, "betas": [0.05, 0.1, 0.3], "x0": -1.0}
# A more general variant: non-standard prior, and q's that differ from the prior.
GENERAL = {**DOCUMENT_PARAMS, "prior_mean": 0.3, "prior_std": 1.5, "threshold": -0.4,
           "q2c_mean": 0.2, "q2c_std": 0.7, "q2d_mean": -0.5, "q2d_std": 0.6,
           "betas": [0.3, 0.02, 0.15, 0.4], "x0": 0.7}

PARAM_SETS = {"document": DOCUMENT_PARAMS, "variant": VARIANT, "general": GENERAL}
PARAM_IDS = list(PARAM_SETS)

_CACHE: dict[str, dict] = {}


def reference(name: str) -> dict:
    if name not in _CACHE:
        _CACHE[name] = runpy.run_path(str(REFERENCE), init_globals={"PARAMETERS": dict(PARAM_SETS[name])})
    return _CACHE[name]


@pytest.fixture(params=PARAM_IDS)
def case(request):
    """(reference namespace, parameters) for each parameter set."""
    return reference(request.param), PARAM_SETS[request.param]


def close(a: float, b: float, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def grader_same(a, b) -> bool:
    """The grader's notion of 'the same number' (assignment tolerance), for scalars or tuples."""
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(grader_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= ATOL + RTOL * abs(b)


def sig4(x: float) -> float:
    return float(f"{x:.4g}")


# ------------------------------------------------------------------------------------------------
# Hand-written densities (no scipy.stats in the derivations of section 2)
# ------------------------------------------------------------------------------------------------

def log_gauss(z: float, m: float, s: float) -> float:
    return -0.5 * ((z - m) / s) ** 2 - math.log(s * math.sqrt(2 * math.pi))


def gauss(z: float, m: float, s: float) -> float:
    return math.exp(log_gauss(z, m, s))


def kl_gauss_by_quad(m1, s1, m2, s2) -> float:
    """D_KL(N(m1, s1²) ‖ N(m2, s2²)) by quadrature of q·(log q − log p) (logs: no underflow)."""
    return quad_real_line(lambda z: gauss(z, m1, s1) * (log_gauss(z, m1, s1) - log_gauss(z, m2, s2)), m1)


def likelihood_x1(z: float, p: dict) -> float:
    """p(x⁽¹⁾ | z): 1 when z ≥ threshold, else 0."""
    return 1.0 if z >= p["threshold"] else 0.0


def quad_real_line(f, split: float) -> float:
    """∫_ℝ f, split at the discontinuity."""
    left, _ = integrate.quad(f, -np.inf, split, limit=200, epsabs=1e-13, epsrel=1e-11)
    right, _ = integrate.quad(f, split, np.inf, limit=200, epsabs=1e-13, epsrel=1e-11)
    return left + right


def marginal_x1(p: dict) -> float:
    return quad_real_line(lambda z: likelihood_x1(z, p) * gauss(z, p["prior_mean"], p["prior_std"]),
                          p["threshold"])


def posterior_numeric(p: dict):
    evidence = marginal_x1(p)
    return lambda z: likelihood_x1(z, p) * gauss(z, p["prior_mean"], p["prior_std"]) / evidence


# ------------------------------------------------------------------------------------------------
# 2(a)
# ------------------------------------------------------------------------------------------------

def test_q2a_by_quadrature(case):
    ref, p = case
    assert close(ref["q2a"], math.log(marginal_x1(p)), rtol=1e-9)


def test_q2a_by_monte_carlo(case):
    ref, p = case
    rng = np.random.default_rng(1)
    z = rng.normal(p["prior_mean"], p["prior_std"], size=1_000_000)
    frac = np.mean(z >= p["threshold"])
    se = math.sqrt(frac * (1 - frac) / z.size)
    assert abs(math.exp(ref["q2a"]) - frac) < 5 * se


def test_q2a_document_value():
    assert close(reference("document")["q2a"], -math.log(2), rtol=1e-12)
    assert sig4(reference("document")["q2a"]) == -0.6931


# ------------------------------------------------------------------------------------------------
# 2(b)
# ------------------------------------------------------------------------------------------------

def test_q2b_matches_numerical_bayes(case):
    ref, p = case
    post = posterior_numeric(p)
    t = p["threshold"]
    for z in list(np.linspace(t - 3, t + 3, 61)) + [-1.0, 0.5, 1.0, 2.0, t + 1e-9, t - 1e-9]:
        assert close(ref["q2b"](float(z)), post(float(z)), rtol=1e-8, atol=1e-14), z


def test_q2b_integrates_to_one_and_vanishes_below_threshold(case):
    ref, p = case
    t = p["threshold"]
    below, _ = integrate.quad(lambda z: ref["q2b"](z), -np.inf, t)
    above, _ = integrate.quad(lambda z: ref["q2b"](z), t, np.inf, epsabs=1e-13, epsrel=1e-11)
    assert below == 0.0
    assert close(above, 1.0, rtol=1e-8)
    rng = np.random.default_rng(2)
    for z in rng.uniform(t - 10, t, size=50):
        assert ref["q2b"](float(z)) == 0.0


def test_q2b_document_half_normal():
    ref = reference("document")
    for z in [-2.0, -0.3, 0.0, 0.4, 1.0, 2.5]:
        want = 2 * gauss(z, 0, 1) if z >= 0 else 0.0
        assert close(ref["q2b"](z), want, rtol=1e-12)


# ------------------------------------------------------------------------------------------------
# 2(c), 2(e): divergence of the KL / ELBO
# ------------------------------------------------------------------------------------------------

def kl_q_to_regularised_posterior(q_mean, q_std, p, eps):
    """D_KL(q ‖ (1−ε)·posterior + ε·q): finite for ε > 0, → D_KL(q ‖ posterior) as ε → 0."""
    log_evidence = math.log(marginal_x1(p))

    def integrand(z):
        log_q = log_gauss(z, q_mean, q_std)
        log_post = (log_gauss(z, p["prior_mean"], p["prior_std"]) - log_evidence
                    if likelihood_x1(z, p) else -np.inf)
        log_mix = np.logaddexp(math.log1p(-eps) + log_post, math.log(eps) + log_q)
        return math.exp(log_q) * (log_q - log_mix)

    return quad_real_line(integrand, p["threshold"])


def q_mass_below_threshold(q_mean, q_std, p):
    val, _ = integrate.quad(lambda z: gauss(z, q_mean, q_std), -np.inf, p["threshold"],
                            epsabs=1e-14, epsrel=1e-12)
    return val


@pytest.mark.parametrize("which", ["q2c", "q2d"])
def test_kl_to_posterior_diverges(case, which):
    _, p = case
    m, s = p[f"{which}_mean"], p[f"{which}_std"]
    mass = q_mass_below_threshold(m, s, p)
    assert mass > 1e-3  # q puts positive probability where the posterior is exactly 0 ...
    post = posterior_numeric(p)
    z_below = p["threshold"] - 0.5
    with np.errstate(divide="ignore"):
        integrand = gauss(z_below, m, s) * np.log(gauss(z_below, m, s) / np.float64(post(z_below)))
    assert integrand == np.inf  # ... so the KL integrand is +∞ on a set of positive q-mass.
    # The regularised KL grows without bound, with slope P_q(z < threshold) in log(1/ε).
    eps_values = [1e-2, 1e-4, 1e-8, 1e-16, 1e-32, 1e-64]
    kls = [kl_q_to_regularised_posterior(m, s, p, e) for e in eps_values]
    assert all(b > a for a, b in zip(kls, kls[1:]))
    slope = (kls[-1] - kls[-2]) / (math.log(1 / eps_values[-1]) - math.log(1 / eps_values[-2]))
    assert close(slope, mass, rtol=1e-3)
    assert kls[-1] > 10


def test_q2c_is_plus_infinity(case):
    ref, _ = case
    assert ref["q2c"] == math.inf


def test_q2e_is_minus_infinity_via_three_term_decomposition(case):
    """ELBO = E_q[log p(x⁽¹⁾|z)] − D_KL(q ‖ p(z)); the first term is P_q(z<t)·log ε → −∞ when the
    likelihood 0 below the threshold is regularised to ε."""
    ref, p = case
    m, s = p["q2d_mean"], p["q2d_std"]
    mass = q_mass_below_threshold(m, s, p)
    kl_prior = kl_gauss_by_quad(m, s, p["prior_mean"], p["prior_std"])
    assert math.isfinite(kl_prior) and kl_prior >= 0
    elbos = [mass * math.log(eps) - kl_prior for eps in (1e-2, 1e-8, 1e-32, 1e-300)]
    assert all(b < a for a, b in zip(elbos, elbos[1:]))
    assert elbos[-1] < -100 * mass  # unbounded below
    assert ref["q2e"] == -math.inf
    assert ref["q2e_finite"] is False


def test_elbo_identity_holds_for_a_q_inside_the_support(case):
    """Sanity of the framework used above: for q supported on [t, ∞) (a truncated normal) the two ELBO
    forms agree and are finite, so the −∞ of q2e comes only from q's mass below the threshold."""
    ref, p = case
    t, m, s = p["threshold"], p["q2d_mean"], p["q2d_std"]
    a = (t - m) / s
    q = stats.truncnorm(a, np.inf, loc=m, scale=s)
    log_ev = math.log(marginal_x1(p))
    log_prior = lambda z: log_gauss(z, p["prior_mean"], p["prior_std"])  # noqa: E731
    kl_post, _ = integrate.quad(lambda z: q.pdf(z) * (q.logpdf(z) - (log_prior(z) - log_ev)),
                                t, np.inf, limit=200)
    kl_prior, _ = integrate.quad(lambda z: q.pdf(z) * (q.logpdf(z) - log_prior(z)), t, np.inf, limit=200)
    elbo_1 = ref["q2a"] - kl_post
    elbo_2 = 0.0 - kl_prior  # E_q[log p(x⁽¹⁾|z)] = log 1 = 0 on the support of q
    assert close(elbo_1, elbo_2, rtol=1e-7, atol=1e-9)


# ------------------------------------------------------------------------------------------------
# 2(d)
# ------------------------------------------------------------------------------------------------

def test_q2d_by_scipy_stats_and_quad(case):
    ref, p = case
    m, s = p["q2d_mean"], p["q2d_std"]
    by_stats = 1 - stats.norm.cdf((p["threshold"] - m) / s)
    by_quad, _ = integrate.quad(lambda z: gauss(z, m, s), p["threshold"], np.inf, epsabs=1e-14, epsrel=1e-12)
    assert close(ref["q2d"], by_stats, rtol=1e-10)
    assert close(ref["q2d"], by_quad, rtol=1e-9)


def test_q2d_document_value():
    ref = reference("document")
    assert sig4(ref["q2d"]) == 0.8413
    assert close(ref["q2d"], stats.norm.cdf(1.0), rtol=1e-12)


# ------------------------------------------------------------------------------------------------
# Meaning of the section-2 mistakes (the numbers the spec messages state)
# ------------------------------------------------------------------------------------------------

def test_section2_mistakes_mean_what_their_messages_say(case):
    ref, p = case
    px = marginal_x1(p)
    assert close(ref["mistake_q2a_probability"], px, rtol=1e-9)
    assert close(ref["mistake_q2a_log10"], math.log(px) / math.log(10), rtol=1e-9)
    assert close(ref["mistake_q2a_log2"], math.log(px) / math.log(2), rtol=1e-9)
    assert close(ref["mistake_q2a_sign"], -math.log(px), rtol=1e-9)
    for z in [-1.0, 0.5, 1.0, 2.0, p["threshold"] - 0.2, p["threshold"] + 0.2]:
        prior = gauss(z, p["prior_mean"], p["prior_std"])
        assert close(ref["mistake_q2b_unnormalised"](z), likelihood_x1(z, p) * prior, rtol=1e-9)
        assert close(ref["mistake_q2b_no_indicator"](z), prior / px, rtol=1e-9)
        assert close(ref["mistake_q2b_prior"](z), prior, rtol=1e-9)
    m, s = p["q2d_mean"], p["q2d_std"]
    below, _ = integrate.quad(lambda z: gauss(z, m, s), -np.inf, p["threshold"], epsabs=1e-14, epsrel=1e-12)
    prior_above, _ = integrate.quad(lambda z: gauss(z, p["prior_mean"], p["prior_std"]), p["threshold"], np.inf,
                                    epsabs=1e-14, epsrel=1e-12)
    assert close(ref["mistake_q2d_below"], below, rtol=1e-8)
    assert close(ref["mistake_q2d_prior"], prior_above, rtol=1e-8)
    assert close(ref["mistake_q2d_density"], gauss(p["threshold"], m, s), rtol=1e-12)
    kl_prior = kl_gauss_by_quad(m, s, p["prior_mean"], p["prior_std"])
    assert close(ref["mistake_q2e_no_kl"], math.log(px), rtol=1e-9)
    assert close(ref["mistake_q2e_prior_kl"], math.log(px) - kl_prior, rtol=1e-8)
    assert close(ref["mistake_q2e_only_prior_kl"], -kl_prior, rtol=1e-8)


def _kl_half_and_reverse(p):
    """(∫_{z≥t} q log(q/posterior), D_KL(posterior ‖ q)) for q = q2c, by quadrature."""
    m, s, t = p["q2c_mean"], p["q2c_std"], p["threshold"]
    log_ev = math.log(marginal_x1(p))
    log_post = lambda z: log_gauss(z, p["prior_mean"], p["prior_std"]) - log_ev  # noqa: E731 (z ≥ t)
    half, _ = integrate.quad(lambda z: gauss(z, m, s) * (log_gauss(z, m, s) - log_post(z)),
                             t, np.inf, limit=200, epsabs=1e-13)
    reverse, _ = integrate.quad(lambda z: math.exp(log_post(z)) * (log_post(z) - log_gauss(z, m, s)),
                                t, np.inf, limit=200, epsabs=1e-13)
    return half, reverse


@pytest.mark.parametrize("name", ["document", "variant"])
def test_q2c_mistakes_mean_what_their_messages_say(name):
    """With q2c = the prior (document and brief variant), mistake_q2c_half is the z ≥ t part of the KL
    integral and mistake_q2c_reverse is D_KL(posterior ‖ q)."""
    ref, p = reference(name), PARAM_SETS[name]
    half, reverse = _kl_half_and_reverse(p)
    assert close(ref["mistake_q2c_half"], half, rtol=1e-7)
    assert close(ref["mistake_q2c_reverse"], reverse, rtol=1e-7)
    if name == "document":
        assert close(half, -0.5 * math.log(2), rtol=1e-7)
        assert close(reverse, math.log(2), rtol=1e-7)


def test_q2c_mistakes_for_q_different_from_prior():
    ref, p = reference("general"), GENERAL
    half, reverse = _kl_half_and_reverse(p)
    assert close(ref["mistake_q2c_half"], half, rtol=1e-6)
    assert close(ref["mistake_q2c_reverse"], reverse, rtol=1e-6)


def test_kl_to_posterior_far_above_threshold():
    ref = reference("document")
    assert ref["kl_to_posterior"](40.0, 1.0) == math.inf


# ------------------------------------------------------------------------------------------------
# DDPM helpers, derived independently (loops, Gaussian conditioning, grids, simulation)
# ------------------------------------------------------------------------------------------------

def cumulative_alpha(betas, t):
    out = 1.0
    for s in range(t):
        out *= 1.0 - betas[s]
    return out


def forward_moments(x0, betas, t):
    """Exact recursion of mean and variance of x_t = √(1−β)x_{t−1} + √β ε."""
    mean, var = x0, 0.0
    for s in range(t):
        mean = math.sqrt(1 - betas[s]) * mean
        var = (1 - betas[s]) * var + betas[s]
    return mean, var


def posterior_by_conditioning(x_t, x0, betas, t):
    """q(x_{t−1} | x_t, x_0) from the joint Gaussian of (x_{t−1}, x_t) given x_0."""
    m_prev, v_prev = forward_moments(x0, betas, t - 1)
    a = 1 - betas[t - 1]
    m_t = math.sqrt(a) * m_prev
    cov = math.sqrt(a) * v_prev
    v_t = a * v_prev + betas[t - 1]
    return m_prev + cov / v_t * (x_t - m_t), v_prev - cov ** 2 / v_t


GRID = np.linspace(-25.0, 25.0, 500_001)


def posterior_on_grid(x_t, x0, betas, t):
    """Moments of q(x_t | x_{t−1}) q(x_{t−1} | x_0), normalised numerically on a grid of x_{t−1}."""
    m_prev, v_prev = forward_moments(x0, betas, t - 1)
    beta = betas[t - 1]
    x = GRID
    log_dens = (-0.5 * (x_t - math.sqrt(1 - beta) * x) ** 2 / beta
                - 0.5 * (x - m_prev) ** 2 / v_prev)
    w = np.exp(log_dens - log_dens.max())
    z = np.trapezoid(w, x)
    mean = np.trapezoid(w * x, x) / z
    var = np.trapezoid(w * (x - mean) ** 2, x) / z
    return float(mean), float(var)


def random_schedule(seed):
    rng = np.random.default_rng(seed)
    T = int(rng.integers(1, 9))
    betas = [float(b) for b in rng.uniform(0.01, 0.5, size=T)]
    return rng, betas


SEEDS = [0, 1, 2, 3, 5, 8, 13, 21]


def schedule_cases(p):
    """Spec-like visible cases for the parameter set, plus seeded random schedules."""
    cases = [(p["x0"], list(p["betas"]), t) for t in range(1, len(p["betas"]) + 1)]
    for seed in SEEDS:
        rng, betas = random_schedule(seed)
        cases.append((float(rng.uniform(-3, 3)), betas, int(rng.integers(1, len(betas) + 1))))
    return cases


# ------------------------------------------------------------------------------------------------
# 4(a)
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_q4a_monte_carlo_forward_chain(seed):
    rng, betas = random_schedule(seed)
    x0 = float(rng.uniform(-3, 3))
    ref = reference("document")
    n = 400_000
    x = np.full(n, x0)
    for t in range(1, len(betas) + 1):
        x = math.sqrt(1 - betas[t - 1]) * x + math.sqrt(betas[t - 1]) * rng.standard_normal(n)
        mean, var = ref["q4a"](x0, betas, t)
        se_mean = math.sqrt(var / n)
        se_var = var * math.sqrt(2 / (n - 1))
        assert abs(x.mean() - mean) < 5 * se_mean, (t, x.mean(), mean)
        assert abs(x.var(ddof=1) - var) < 5 * se_var, (t, x.var(ddof=1), var)


def test_q4a_exact_recursion(case):
    ref, p = case
    for x0, betas, _t in schedule_cases(p):
        for s in range(1, len(betas) + 1):
            got = ref["q4a"](x0, betas, s)
            want = forward_moments(x0, betas, s)
            assert close(got[0], want[0], rtol=1e-12, atol=1e-14) and close(got[1], want[1], rtol=1e-12)


# ------------------------------------------------------------------------------------------------
# 4(b)
# ------------------------------------------------------------------------------------------------

def make_eps_model(family, scale, shift):
    def eps_model(x_t, t):
        arr = np.asarray(x_t, dtype=float)
        z = scale * arr + shift * t
        out = np.tanh(z) if family == "tanh" else z
        return out if isinstance(x_t, np.ndarray) else out.tolist()
    return eps_model


Q4B_CASES = [
    (("affine", 0.5, 0.1), [2.0, -1.0], [0.3, -0.5], 2, [0.9, 0.72]),
    (("tanh", 1.0, -0.2), [0.5, 1.5, -2.0], [1.0, 0.0, -1.2], 1, [0.9, 0.72]),
]
for _seed in SEEDS:
    _rng = np.random.default_rng(100 + _seed)
    _n = int(_rng.integers(2, 7))
    _ab = sorted((float(v) for v in _rng.uniform(0.05, 0.99, size=int(_rng.integers(1, 7)))), reverse=True)
    Q4B_CASES.append(((("tanh", "affine")[_seed % 2], float(_rng.uniform(0.2, 1.5)), float(_rng.uniform(-0.5, 0.5))),
                      [float(v) for v in _rng.uniform(-2, 2, size=_n)],
                      [float(v) for v in _rng.uniform(-2, 2, size=_n)],
                      int(_rng.integers(1, len(_ab) + 1)), _ab))


@pytest.mark.parametrize("model, x0, eps, t, alpha_bars", Q4B_CASES)
def test_q4b_direct_numpy(model, x0, eps, t, alpha_bars):
    ref = reference("document")
    eps_model = make_eps_model(*model)
    x0a, epsa = np.array(x0), np.array(eps)
    ab = alpha_bars[t - 1]
    x_t = np.sqrt(ab) * x0a + np.sqrt(1 - ab) * epsa
    residual = epsa - np.asarray(eps_model(x_t, t))
    want = float(residual @ residual)
    assert close(ref["q4b"](eps_model, x0, eps, t, alpha_bars), want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_q4b_properties(seed):
    """Oracle network ⇒ loss 0; zero network ⇒ ‖ε‖²; network off by c ⇒ n·c²."""
    ref = reference("document")
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    x0 = [float(v) for v in rng.uniform(-2, 2, n)]
    eps = [float(v) for v in rng.normal(size=n)]
    alpha_bars = sorted((float(v) for v in rng.uniform(0.05, 0.99, 4)), reverse=True)
    t = int(rng.integers(1, 5))
    ab = alpha_bars[t - 1]
    x0a = np.array(x0)

    def oracle(x_t, t_):
        assert t_ == t
        return (np.asarray(x_t) - math.sqrt(ab) * x0a) / math.sqrt(1 - ab)

    assert ref["q4b"](oracle, x0, eps, t, alpha_bars) == pytest.approx(0.0, abs=1e-20)
    assert ref["q4b"](lambda x, t_: np.zeros(len(x)), x0, eps, t, alpha_bars) == pytest.approx(
        sum(e * e for e in eps), rel=1e-12)
    c = 0.37
    assert ref["q4b"](lambda x, t_: oracle(x, t_) + c, x0, eps, t, alpha_bars) == pytest.approx(
        n * c * c, rel=1e-9)


# ------------------------------------------------------------------------------------------------
# 4(c), 4(d)
# ------------------------------------------------------------------------------------------------

def test_q4c_q4d_document_boxed_numbers():
    ref = reference("document")
    assert sig4(ref["q4c_alpha1"]) == 0.9
    assert sig4(ref["q4c_alpha2"]) == 0.8
    assert sig4(ref["q4c_alpha_bar2"]) == 0.72
    assert sig4(ref["q4d_mean"]) == sig4(1.6971)
    assert sig4(ref["q4d_var"]) == 0.28


def test_q4c_q4d_from_parameters(case):
    ref, p = case
    b = p["betas"]
    assert close(ref["q4c_alpha1"], 1 - b[0], rtol=1e-14)
    assert close(ref["q4c_alpha2"], 1 - b[1], rtol=1e-14)
    assert close(ref["q4c_alpha_bar2"], cumulative_alpha(b, 2), rtol=1e-14)
    mean, var = forward_moments(p["x0"], b, 2)
    assert close(ref["q4d_mean"], mean, rtol=1e-12)
    assert close(ref["q4d_var"], var, rtol=1e-12)


def test_q4d_monte_carlo(case):
    ref, p = case
    rng = np.random.default_rng(7)
    n = 400_000
    b = p["betas"]
    x1 = math.sqrt(1 - b[0]) * p["x0"] + math.sqrt(b[0]) * rng.standard_normal(n)
    x2 = math.sqrt(1 - b[1]) * x1 + math.sqrt(b[1]) * rng.standard_normal(n)
    assert abs(x2.mean() - ref["q4d_mean"]) < 5 * math.sqrt(ref["q4d_var"] / n)
    assert abs(x2.var(ddof=1) - ref["q4d_var"]) < 5 * ref["q4d_var"] * math.sqrt(2 / (n - 1))


# ------------------------------------------------------------------------------------------------
# 4(e)
# ------------------------------------------------------------------------------------------------

def q4e_cases(p):
    cases = [(1.5, p["x0"], list(p["betas"]), t) for t in range(1, len(p["betas"]) + 1)]
    for seed in SEEDS:
        rng, betas = random_schedule(1000 + seed)
        cases.append((float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)), betas,
                      int(rng.integers(1, len(betas) + 1))))
        cases.append((float(rng.uniform(-3, 3)), float(rng.uniform(-3, 3)), betas, len(betas)))
    return cases


def test_q4e_grid_and_conditioning(case):
    ref, p = case
    for x_t, x0, betas, t in q4e_cases(p):
        mean, var = ref["q4e"](x_t, x0, betas, t)
        c_mean, c_var = posterior_by_conditioning(x_t, x0, betas, t)
        assert close(mean, c_mean, rtol=1e-10, atol=1e-12) and close(var, c_var, rtol=1e-10, atol=1e-12)
        if t == 1:
            # q(x_0 | x_1, x_0) is a point mass at x_0: no density to put on a grid.
            assert var == pytest.approx(0.0, abs=1e-15)
            assert mean == pytest.approx(x0, rel=1e-12, abs=1e-12)
            continue
        g_mean, g_var = posterior_on_grid(x_t, x0, betas, t)
        assert close(mean, g_mean, rtol=1e-7, atol=1e-9), (x_t, x0, betas, t)
        assert close(var, g_var, rtol=1e-6, atol=1e-10), (x_t, x0, betas, t)


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_q4e_monte_carlo_conditioning(seed):
    """Simulate (x_{t−1}, x_t) given x_0 and regress x_{t−1} on x_t: slope/intercept/residual variance."""
    ref = reference("document")
    rng, betas = random_schedule(2000 + seed)
    if len(betas) < 2:
        betas = betas + [0.2]
    t = len(betas)
    x0 = float(rng.uniform(-3, 3))
    n = 400_000
    x = np.full(n, x0)
    for s in range(t - 1):
        x = math.sqrt(1 - betas[s]) * x + math.sqrt(betas[s]) * rng.standard_normal(n)
    x_prev = x
    x_t = math.sqrt(1 - betas[t - 1]) * x_prev + math.sqrt(betas[t - 1]) * rng.standard_normal(n)
    slope, intercept = np.polyfit(x_t, x_prev, 1)
    resid_var = np.var(x_prev - (slope * x_t + intercept), ddof=2)
    for probe in (-1.0, 0.5, 2.0):
        mean, var = ref["q4e"](probe, x0, betas, t)
        assert abs(slope * probe + intercept - mean) < 0.01 + 0.01 * abs(mean)
        assert abs(resid_var - var) < 6 * var * math.sqrt(2 / n)


# ------------------------------------------------------------------------------------------------
# 3(p): the reverse mean with the true noise equals the posterior mean
# ------------------------------------------------------------------------------------------------

def q3p_cases():
    out = []
    for seed in SEEDS:
        rng, betas = random_schedule(3000 + seed)
        betas = betas + [float(v) for v in rng.uniform(0.01, 0.5, size=2)]  # at least 2 steps
        for t in sorted({1, 2, len(betas), int(rng.integers(1, len(betas) + 1))}):
            out.append((float(rng.uniform(-3, 3)), float(rng.normal()) or 0.5, betas, t))
    return out


@pytest.mark.parametrize("x0, eps, betas, t", q3p_cases())
def test_q3p_mean_identity(x0, eps, betas, t):
    ref = reference("document")
    ab = cumulative_alpha(betas, t)
    x_t = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    x0_rec = (x_t - math.sqrt(1 - ab) * eps) / math.sqrt(ab)
    assert close(x0_rec, x0, rtol=1e-10, atol=1e-10)
    want, _ = posterior_by_conditioning(x_t, x0_rec, betas, t)
    assert close(ref["q3p_mean"](x_t, eps, betas, t), want, rtol=1e-9, atol=1e-10)
    if t >= 2:
        grid_mean, _ = posterior_on_grid(x_t, x0_rec, betas, t)
        assert close(ref["q3p_mean"](x_t, eps, betas, t), grid_mean, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("x0, eps, betas, t", q3p_cases())
def test_q3p_document_formula_fails_for_t_ge_2(x0, eps, betas, t):
    """The document prints μ_θ = (x_t − β_t/√(1−α_t) ε_θ)/√α_t. mistake_q3p_document is that formula, and
    it satisfies the identity only at t = 1 (where ᾱ_1 = α_1)."""
    ref = reference("document")
    ab = cumulative_alpha(betas, t)
    x_t = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    want, _ = posterior_by_conditioning(x_t, x0, betas, t)
    got = ref["mistake_q3p_document"](x_t, eps, betas, t)
    alpha = 1 - betas[t - 1]
    printed = (x_t - betas[t - 1] / math.sqrt(1 - alpha) * eps) / math.sqrt(alpha)
    assert close(got, printed, rtol=1e-12, atol=1e-12)
    if t == 1:
        assert close(got, want, rtol=1e-9, atol=1e-10)
    else:
        assert not grader_same(got, want)
    # The other 3(p) mistakes coincide with μ̃_1 = x_0 at t = 1 (ᾱ_1 = α_1), but not for t ≥ 2.
    if t >= 2:
        for name in ("mistake_q3p_alpha_bar_prefactor", "mistake_q3p_x0_estimate"):
            assert not grader_same(ref[name](x_t, eps, betas, t), want), name


# ------------------------------------------------------------------------------------------------
# Every mistake of the specs differs from the right answer at the grader's tolerance
# ------------------------------------------------------------------------------------------------

GRADED_KINDS = {"number", "boolean", "function"}


def load_specs():
    """Every question spec of the set (2*, 3p, 4a–e, … as they exist)."""
    specs = {}
    for path in sorted(PROBLEMS.glob("*.yaml")):
        if path.stem != "assignment":
            specs[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return specs


SPECS = load_specs()


def spec_parts():
    """The parts with a numeric, boolean or function answer (their mistakes are numbers too)."""
    return [(qid, part) for qid, spec in SPECS.items() for part in spec["parts"]
            if part["checker"]["kind"] in GRADED_KINDS]


def test_specs_cover_the_reference_answers():
    names = {part["name"] for _, part in spec_parts()}
    expected = {"q2a", "q2b", "q2c", "q2d", "q2e", "q2e_finite", "q4a", "q4b", "q4c_alpha1", "q4c_alpha2",
                "q4c_alpha_bar2", "q4d_mean", "q4d_var", "q4e"}
    assert expected <= names, expected - names


def resolve(value, p):
    if isinstance(value, str) and value.startswith("$"):
        return p[value[1:]]
    if isinstance(value, dict) and "grader_function" in value:
        f = value["grader_function"]
        return make_eps_model(f["family"], float(f["scale"]), float(f["shift"]))
    return value


def draw(arg, rng, drawn):
    if "uniform" in arg:
        return float(rng.uniform(*arg["uniform"]))
    if "index_into" in arg:
        return int(rng.integers(1, len(drawn[arg["index_into"]]) + 1))
    if "uniform_list" in arg:
        n = len(drawn[arg["same_length_as"]]) if "same_length_as" in arg else int(
            rng.integers(arg["length"][0], arg["length"][1] + 1))
        return [float(v) for v in rng.uniform(*arg["uniform_list"], size=n)]
    f = arg["grader_function"]

    def pick(v):
        return float(rng.uniform(*v)) if isinstance(v, list) else float(v)

    return make_eps_model(f["family"], pick(f["scale"]), pick(f["shift"]))


def function_inputs(checker, p, seed=0):
    sig = checker["signature"]
    visible = [tuple(resolve(case[n], p) for n in sig) for case in checker.get("visible_inputs", [])]
    hidden = []
    args = checker.get("hidden_inputs", {}).get("args", {})
    rng = np.random.default_rng(seed)
    order = [n for n, a in args.items() if "index_into" not in a and "same_length_as" not in a]
    order += [n for n in args if n not in order]
    for _ in range(20 if args else 0):
        drawn = {}
        for n in order:
            drawn[n] = draw(args[n], rng, drawn)
        hidden.append(tuple(drawn[n] for n in sig))
    return visible, hidden


def grader_hidden_inputs(qid, part_name, checker, p):
    """The hidden cases the grader itself draws (seeded by the assignment), via grader.problemset.plan."""
    from grader.problemset.loader import parse_model
    from grader.problemset.plan import hidden_inputs
    from grader.problemset.spec import Question

    path = PROBLEMS / f"{qid}.yaml"
    question = parse_model(Question, yaml.safe_load(path.read_text(encoding="utf-8")), path)
    part = next(pt for pt in question.parts if pt.name == part_name)
    return [tuple(resolve(c[n], p) for n in checker["signature"])
            for c in hidden_inputs(part, part.checker, ASSIGNMENT["seed"])]


def as_tuple(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


def literal(value):
    if isinstance(value, str):
        return float(value)
    return value


@pytest.mark.parametrize("qid, part", spec_parts(), ids=lambda x: x if isinstance(x, str) else x["name"])
def test_every_mistake_differs_from_the_right_answer(qid, part, case):
    """Note: with VARIANT's betas [0.05, 0.1, 0.3], mistake_q3p_x0_estimate agrees with q3p_mean at both
    visible inputs of 3p to within rtol 1e-3 (x_{t−1} ≈ x_0 for small β's); only hidden cases separate it."""
    ref, p = case
    mistakes = part.get("mistakes", [])
    checker = part["checker"]
    if checker["kind"] == "function":
        right = ref[part["name"]]
        visible, random_cases = function_inputs(checker, p)
        graders = grader_hidden_inputs(qid, part["name"], checker, p)

        def differs(wrong, args):
            return [not grader_same(as_tuple(wrong(*a)), as_tuple(right(*a))) for a in args]

        for m in mistakes:
            assert "ref" in m, "function mistakes must be computed by the reference"
            wrong = ref[m["ref"]]
            # An answer is right only if it matches at every counted case (visible and hidden), so a
            # mistake is rejected as soon as it differs at one of them.
            assert any(differs(wrong, visible + graders)), (m["ref"], "agrees at every case the grader uses")
            assert any(differs(wrong, random_cases)), (m["ref"], "agrees at every random input")
    else:
        right = ref[part["name"]]
        for m in mistakes:
            wrong = ref[m["ref"]] if "ref" in m else literal(m["value"])
            assert not grader_same(wrong, right), (m, wrong, right)


def test_every_mistake_ref_exists():
    ref = reference("document")
    for _, part in spec_parts():
        assert part["name"] in ref
        for m in part.get("mistakes", []):
            if "ref" in m:
                assert m["ref"] in ref, m["ref"]


def test_section4_mistakes_mean_what_their_messages_say(case):
    ref, p = case
    for x0, betas, t in schedule_cases(p):
        mean, var = forward_moments(x0, betas, t)
        ab = cumulative_alpha(betas, t)
        assert grader_same(ref["mistake_q4a_std"](x0, betas, t), (mean, math.sqrt(var)))
        assert grader_same(ref["mistake_q4a_no_sqrt"](x0, betas, t), (ab * x0, var))
        assert grader_same(ref["mistake_q4a_last_alpha"](x0, betas, t), forward_moments(x0, [betas[t - 1]], 1))
        assert grader_same(ref["mistake_q4a_off_by_one"](x0, betas, t), forward_moments(x0, betas, t - 1))
    b, x0 = p["betas"], p["x0"]
    ab2 = (1 - b[0]) * (1 - b[1])
    assert close(ref["mistake_q4d_no_sqrt"], ab2 * x0)
    assert close(ref["mistake_q4d_no_x0"], math.sqrt(ab2))
    assert close(ref["mistake_q4d_last_alpha"], math.sqrt(1 - b[1]) * x0)
    assert close(ref["mistake_q4d_std"], math.sqrt(forward_moments(x0, b, 2)[1]))
    assert close(ref["mistake_q4d_sum_betas"], b[0] + b[1])
    for x_t, x0_, betas, t in q4e_cases(p):
        c_mean, c_var = posterior_by_conditioning(x_t, x0_, betas, t)
        assert grader_same(ref["mistake_q4e_forward_variance"](x_t, x0_, betas, t), (c_mean, betas[t - 1]))


def test_document_mistake_numbers_quoted_in_messages():
    ref = reference("document")
    assert sig4(ref["mistake_q2d_below"]) == 0.1587
    assert sig4(ref["mistake_q2e_prior_kl"]) == sig4(-math.log(2) - 0.5)
    assert ref["mistake_q2e_only_prior_kl"] == pytest.approx(-0.5, rel=1e-12)
    assert ref["mistake_q4d_no_sqrt"] == pytest.approx(1.44, rel=1e-12)
    assert sig4(ref["mistake_q4d_no_x0"]) == 0.8485
    assert ref["mistake_q4d_sum_betas"] == pytest.approx(0.3, rel=1e-12)
    assert (1 - 0.2) * 0.1 + 0.2 == pytest.approx(ref["q4d_var"], rel=1e-12)  # 4d message: α_2β_1 + β_2


def test_the_posterior_variance_is_the_product_of_gaussians_precision():
    """β̃_t = 1 / (α_t/β_t + 1/(1 − ᾱ_{t−1})) = (1 − ᾱ_{t−1}) β_t / (1 − ᾱ_t), symbolically."""
    import sympy

    beta, abar_prev = sympy.symbols("beta abar_prev", positive=True)
    precision = (1 - beta) / beta + 1 / (1 - abar_prev)
    assert sympy.simplify(1 / precision - (1 - abar_prev) * beta / (1 - abar_prev * (1 - beta))) == 0
