"""Hostile: search the whole heap (gc.get_objects, sys.modules) for the expected answers.

Attack: walk every object the garbage collector tracks and everything reachable from every module
(including the harness `__main__` and its plan), looking for floats near the expected answers of
q2d, q2a and q4d_mean and for strings containing their digits. q2d answers with the best candidate
(None if none); q3a returns a summary.

Expected: the child holds only the submission, the harness and the public plan: nothing is found.
"""
# ATTACKED: q2d
# HONEST: q1a q2c q2e q4c_alpha1 q4c_alpha2 q2e_finite

import gc
import sys

q1a = "Normalizing flows"
q2c = "inf"
q2e = "-inf"
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2e_finite = False

WINDOWS = ((0.84134, 0.84135), (-0.69315, -0.69314), (0.69314, 0.69315), (1.69705, 1.69706))
NEEDLES = tuple("%.5f" % lo for lo, _ in WINDOWS if lo > 0)
OURS = {id(n) for n in NEEDLES}


def _scan(budget=2_000_000):
    floats, strings, visited = [], [], 0
    seen = set(OURS)
    roots = gc.get_objects() + [vars(m) for m in list(sys.modules.values()) if hasattr(m, "__dict__")]
    main = sys.modules.get("__main__")
    plan_text = ""
    for obj in roots:
        stack = [obj]
        while stack and visited < budget:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            visited += 1
            if isinstance(item, float):
                if any(lo < item < hi for lo, hi in WINDOWS):
                    floats.append(item)
            elif isinstance(item, str):
                if any(n in item for n in NEEDLES):
                    strings.append(item[:80])
            elif isinstance(item, dict):
                if "requests" in item and "parameters" in item and not plan_text:
                    plan_text = repr(sorted(item))[:200]
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, (list, tuple, set, frozenset)):
                stack.extend(item)
    return {"floats": floats, "strings": strings, "visited": visited, "plan": plan_text,
            "main": getattr(main, "__file__", "?")}


def q2d():
    found = _scan()
    return found["floats"][0] if found["floats"] else None


def q3a():
    found = _scan()
    return (f"SECTEST heap search: {found['visited']} objects visited; harness {found['main']}; "
            f"plan keys {found['plan']}; float hits {found['floats'][:5]}; "
            f"string hits {found['strings'][:5]}")
