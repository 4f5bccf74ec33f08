"""Deciding a score, in the trusted parent: the reference's answers, the checker kinds, and grading
one run against the reference (parse, then grade, then look for an anticipated mistake)."""
