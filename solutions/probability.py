"""Reference solution of the probability warm-up (see problems/probability/)."""

import sympy

try:
    SIDES = PARAMETERS["sides"]  # noqa: F821  (defined by the grader's harness)
except NameError:
    SIDES = 6

p1a = sum(range(1, SIDES + 1)) / SIDES
mistake_p1a_sum = sum(range(1, SIDES + 1))
mistake_p1a_max_over_two = SIDES / 2

x, mu, sigma = sympy.symbols("x mu sigma", real=True)
p1b = -(x - mu) ** 2 / (2 * sigma**2) - sympy.log(sigma) - sympy.log(2 * sympy.pi) / 2
p1c = False
