"""grader.checking.checkers.term_list: a list of terms is not an explanation."""

from __future__ import annotations

import pytest

from grader.checking.checkers.term_list import reads_as_term_list


@pytest.mark.parametrize("text", [
    "KL divergence, ELBO, loose bound, true posterior, amortization gap, decoder",
    "adversarial training; minimax; mode collapse; sharp samples",
    "- encoder\n- decoder\n- reparameterization trick\n- ELBO\n- latent z",
    "p(x), p(y|x), data distribution, sampling, decision boundary, classifier",
])
def test_lists_of_terms(text):
    assert reads_as_term_list(text)


@pytest.mark.parametrize("text", [
    "Mode collapse: the generator outputs only a few distinct samples.",  # terse, but a sentence
    "The ELBO is a lower bound on log p(x), tight when q equals the true posterior.",
    "It adds noise, step by step, over many steps, and then a network learns to remove it.",
    "VAE, GAN, flow.",  # three pieces: too few to call a list
    "",
    "x, y, z, w, v, u",
])
def test_sentences_and_short_answers_are_not(text):
    assert reads_as_term_list(text) is (text == "x, y, z, w, v, u")
