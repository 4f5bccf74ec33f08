"""Hostile: sympy expressions that take (practically) forever to evaluate, sent as answers.

Attack: the child builds unevaluated expressions (evaluate=False) whose evaluation in the grader
would take minutes or exhaust memory: q2b = 7**Max(z, 10**7) (an exact 8-million-digit power at
every test input), q2d = erf(exp(exp(exp(12)))), q4d_mean = a product of three thousand 59-digit
integers, q2c = a tower of powers.

Expected: the grader's checkers evaluate under a time limit and refuse absurd sizes, so each part
is "invalid format" (too complex to check) and the whole grading finishes within a fixed bound.
"""
# ATTACKED: q2b q2d q4d_mean q2c
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import sympy as sp

q1a = "Normalizing flows"
q2a = sp.log(sp.Rational(1, 2))
q4c_alpha1 = sp.Rational(9, 10)
q4c_alpha2 = sp.Float(0.8)

z = sp.Symbol("z", real=True)
q2b = sp.Pow(sp.Integer(7), sp.Max(z, sp.Integer(10**7)), evaluate=False)
q2d = sp.erf(sp.exp(sp.exp(sp.exp(12))))
q4d_mean = sp.Mul(*[sp.Integer(10**58 + i) for i in range(3000)], evaluate=False)
q2c = sp.Pow(sp.Integer(10), sp.Pow(sp.Integer(10), sp.Pow(sp.Integer(10), sp.Integer(10), evaluate=False),
                                    evaluate=False), evaluate=False)
