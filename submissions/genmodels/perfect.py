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

# 3. Theory, in a student's own words (graded provisionally by keyword rubrics)
q3a = """A generative model tries to capture how the data itself is distributed: we fit p_θ(x) so
that it is close to p_data(x), and can then draw fresh samples that look as if they came from the
training set, and often also score how probable a given input is. A discriminative model only
cares about the conditional p(y | x): it learns to predict a label for each input, i.e. where the
decision boundary between classes lies, and says nothing about what typical inputs look like.
So a logistic-regression spam filter can sort emails but cannot write a new one; a VAE, GAN or
diffusion model can."""

q3b = """First, Goodfellow and colleagues introduced generative adversarial networks in 2014. A
generator learns to fool a discriminator in a two-player minimax game, so the model is trained
without ever writing down a likelihood. This was a turning point: it gave crisp, convincing images
where earlier likelihood-based models looked blurry, and it launched a long line of work such as
StyleGAN. Second, Ho et al. (2020) showed that denoising diffusion probabilistic models, which learn
to reverse a gradual noising process, could outperform GANs in image quality and diversity while
training stably, with no mode collapse. Diffusion is now the engine behind text-to-image tools like
Stable Diffusion and DALL-E 2."""

q3c = """An image or a speech clip has an enormous number of raw dimensions (a megapixel colour
photo holds about three million values), yet realistic examples occupy only a thin,
low-dimensional manifold inside that space, because they are governed by a handful of factors of
variation such as pose, lighting or speaker identity. A latent variable model exploits this: it
posits a compact code z with far fewer dimensions, a simple prior p(z) and a decoder p_θ(x | z).
Generating is then easy: sample z from the prior and decode it. The latent space is also
structured, so we can interpolate between two faces, cluster similar recordings and quantify
uncertainty about the hidden causes."""

q3d = """For clinical work a latent variable model such as a VAE is attractive because it compresses
each scan into a small set of latent variables, and with a disentangling objective (β-VAE) single
dimensions tend to line up with clinically meaningful factors like lesion size, tissue density or
organ shape. A radiologist can move along one latent axis while holding the rest fixed and watch
how the synthesised image changes, and odd latent codes can flag anomalies. An autoregressive model like PixelCNN instead writes the image as a product of
per-pixel conditionals p(x_i | x_<i). It has no latent representation, so there is nothing
compact to interpret: its reasoning stays at pixel level."""

q3e = """Exact Bayesian inference needs the posterior p(z|x), normalised by the evidence
p(x) = ∫ p(x|z) p(z) dz. When p(x|z) is a deep nonlinear decoder, this integral over the latent
space has no closed form and is intractable. Sampling methods such as MCMC are asymptotically
correct, but they are far too slow and fiddly to tune when the latent space is high-dimensional
and the dataset has millions of examples. Variational inference sidesteps this: an encoder network
q_φ(z|x) approximates the posterior, and we maximise the ELBO with stochastic gradients and the
reparameterisation trick. Inference becomes an optimisation problem that is cheap, differentiable
end to end, and scales to large datasets."""

q3f = """Variational inference is only approximate. The ELBO is a lower bound on log p(x), so pushing
it up does not necessarily push up the true likelihood. If the approximate posterior comes from a
restricted family such as a diagonal Gaussian, it cannot represent multimodal, skewed or correlated
posteriors, and with a very powerful decoder the model may suffer posterior collapse, ignoring z
altogether. The variational gap, log p(x) − ELBO, equals the KL divergence KL(q_φ(z|x) ‖ p_θ(z|x)),
which is non-negative and vanishes only when q matches the true posterior exactly. When the gap is
large the bound is loose, the ELBO becomes a misleading training signal, and the learned latent
codes are poor."""

q3g = """A plain autoencoder is deterministic: the encoder squeezes x into one point z, the decoder
rebuilds it, and the only loss is reconstruction error. Nothing forces the codes to be organised,
so the latent space can be patchy with holes, and decoding a random point often gives meaningless
output; it compresses but cannot generate. A VAE's encoder instead outputs the mean and variance
of a Gaussian q_φ(z|x), and z is drawn from it with the reparameterisation trick. Its objective is
the ELBO: reconstruction plus a KL penalty pulling q_φ(z|x) towards the prior N(0, I). This
regulariser makes the latent space smooth and continuous, so decoding z drawn from the prior
yields new, realistic data."""

q3h_model = "VAE or normalizing flow"
q3h = """Data from normal operation is plentiful while faults are rare, so I would fit a density
model to normal readings and flag whatever it finds improbable. The natural anomaly score is the
negative log-likelihood −log p(x): a worn bearing or an odd vibration pattern should get low density
under a model trained on healthy machines. A normalizing flow gives this likelihood exactly through
the change-of-variables formula; a VAE offers the ELBO as a proxy plus the reconstruction error,
which is large for inputs unlike the training data. A GAN would be a poor choice since it has no
density and hence no principled score, and a diffusion model needs too many network passes for
live monitoring."""

q3i = """On the plus side, GANs give sharp, realistic images: the generator is judged by a
discriminator, which rewards perceptual realism rather than a pixel-wise likelihood that favours
blurry averages. They also leave the architecture free, since nothing has to be invertible or have
tractable conditionals, and a sample costs a single forward pass. On the minus side, training is a
minimax game between two networks that is notoriously unstable and prone to mode collapse, where
the generator produces only a few kinds of output. And GANs are implicit models that cannot evaluate
p(x) for a given input, so they are of no use for density estimation, anomaly detection or comparing
models by held-out likelihood."""

q3j_model = "StyleGAN (a GAN)"
q3j = """I would pick a GAN, in particular a StyleGAN-type model. Game avatars have to look sharp and
photorealistic at high resolution, and StyleGAN is known for exactly that on faces. Its style-based
latent space lets artists control attributes such as hairstyle, skin tone, jaw shape or expression
by moving along latent directions. Above all, it produces an image in one forward pass, tens of
milliseconds, so thousands of players can be created quickly or even at load time. A VAE would be
easy to train, but its pixel-wise reconstruction loss gives blurry faces, and a diffusion model,
although excellent in quality, needs many sequential denoising steps per avatar and is far slower."""

q3k = """The biggest gain is an exact likelihood. A flow is an invertible map f from a simple base
density, so the change-of-variables formula, log p(x) = log p_Z(f⁻¹(x)) + log |det J_{f⁻¹}(x)|,
lets us evaluate densities exactly, whereas a VAE only maximises a lower bound, the ELBO. Inference
is exact too: the latent code is simply z = f⁻¹(x), with no encoder approximation and no variational
gap, so nothing is lost in the encoding. Finally, stacking a sequence of invertible transformations
lets a flow turn a Gaussian into a very flexible, complex distribution, and the same machinery can
sit inside a VAE as a richer approximate posterior than the usual diagonal Gaussian."""

q3l = """A flow must be a bijection whose Jacobian determinant is cheap to compute. For a
1024×1024 colour image with roughly three million dimensions a general log-determinant would cost
O(d³), so practical flows rely on coupling layers with triangular Jacobians, and these restrict how
expressive each layer can be. Invertibility also means the latent z has the same dimensionality as
the image: there is no bottleneck and no compression, so capacity is spent modelling pixel noise.
Because each layer is weak, a flow must stack very many layers to become expressive enough, which
makes it deep, memory-hungry and slow to train. GANs and diffusion networks have no such
restrictions."""

q3m = """A diffusion model learns to generate data by learning to undo corruption. In a fixed
forward process we take a real sample and keep adding a little Gaussian noise over many timesteps
until, after T steps, only standard normal noise remains; this part is not learned. A neural
network is then trained to run this backwards: given a noisy x_t and the step t, it predicts the
noise that was added, giving one small denoising step towards x_{t−1}. To generate, we
start from pure noise and apply the learned reverse steps one after another. Each step removes only
a little noise, an easy Gaussian transition, yet the whole chain can produce very complex data."""

q3n = """Diffusion models are trained with a plain regression objective, the mean squared error
between the true noise and the network's prediction. There is no adversarial game and no
generator-discriminator balance to keep, so training is stable and predictable. Because noise is
added to every training example at every level, the model must learn to denoise the whole data
distribution, including rare modes, whereas a GAN can quietly drop modes that do not help it fool
the discriminator; diffusion samples are therefore more diverse. Finally, sampling is iterative
refinement: the early steps lay down coarse layout and later steps sharpen fine details, whereas a
GAN has to get every scale right in a single forward pass."""

q3o = """The main drawback is slow sampling. A GAN maps noise to an image in a single forward pass,
which takes milliseconds. A diffusion model must run its denoising network again and again, once per
timestep, and these evaluations are sequential because each step needs the output of the previous
one. The original DDPM uses 1000 steps, so one image costs a thousand network passes and can take
tens of seconds; faster samplers like DDIM still need roughly 20 to 50 steps. This makes plain
diffusion models too slow for real-time use unless they are accelerated, for example by distillation
or consistency models."""

q3p = """In the forward process a fixed Markov chain corrupts a clean sample x_0 by adding Gaussian
noise at every step, following a variance schedule β_1, …, β_T: x_t is drawn from
N(√(1 − β_t) x_{t−1}, β_t I). Writing ᾱ_t for the product of the (1 − β_s), there is a closed form
q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I), so any noise level can be sampled in one shot; x_T is
essentially N(0, I). The reverse process is learned: starting from pure noise x_T, we repeatedly
apply Gaussian transitions p_θ(x_{t−1} | x_t) whose mean μ_θ is computed from a network
ε_θ(x_t, t) trained to predict the added noise, until we reach a clean x_0."""

q3q = """The first obstacle is latency: live video at 30 frames per second leaves about 33 ms per
frame, but DDPM sampling runs hundreds of sequential denoising steps and takes seconds. Compute is
also heavy: every step is a full U-Net pass at full resolution; even a 50-step sampler
means around 1500 network evaluations per second, which needs expensive GPUs. Third, if each frame
starts from its own random noise, consecutive frames differ and the video flickers, so temporal
attention or shared noise is required. Remedies: distil the model
into a few-step student, use DDIM or consistency models, run diffusion in a
compressed latent space, and quantise the network with TensorRT."""

q3r_a_model = ["Normalizing flow", "diffusion model"]
q3r_b_model = "Diffusion"
q3r = """For the MRI task the deciding requirement is a likelihood for anomaly scoring. A normalizing
flow gives the exact log p(x) through the change of variables, and a diffusion model gives a tight
variational bound, so scans with low density can be flagged. A GAN cannot provide p(x) at all, and a
VAE's ELBO is a looser estimate. For the marketing artwork only visual quality matters and no density
is required, so I would use a diffusion model: systems like Stable Diffusion produce the
highest-quality images and can be steered with text prompts. A StyleGAN-type GAN would also give
sharp results quickly, while VAEs and flows tend to look blurrier and less polished."""



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
