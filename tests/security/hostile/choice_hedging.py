"""Hostile: game the choice and free-text checkers by naming every option and stuffing keywords.

Attack: q1a names every model class at once; q1c selects every option; q3h_model and q4f list
everything; q3a is a keyword salad built from the rubric's vocabulary.

Expected: a single choice that names several options is refused ("name exactly one"); "select all"
loses what the wrong options cost (right minus wrong: 0 here); q4f and q3h_model earn nothing; the
keyword salad gets at most a provisional score that is flagged for review by course staff.
"""
# ATTACKED: q1a q1c q3h_model q4f q3a
# HONEST: q2a q4c_alpha1 q4c_alpha2 q1b

import math

q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q1b = "GANs"

q1a = "Normalizing flows, VAE, GAN, autoregressive models, diffusion models"
q1c = ["a", "b", "c", "d"]
q3h_model = "VAE, GAN, normalizing flow, autoregressive model, diffusion model"
q4f = "N(0, I), the data distribution p_data(x0), the prior, the posterior, a uniform distribution"
q3a = ("p(x) p(x, y) p_data p_theta data distribution joint distribution generate new samples "
       "p(y | x) conditional distribution decision boundary predict labels classify inputs to labels")
