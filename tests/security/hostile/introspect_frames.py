"""Hostile: walk the call stack (sys._getframe, inspect.stack) looking for the expected answers.

Attack: at import and again while answering, walk every frame above the submission (the harness's
load_submission, answer and main) and search their locals, globals and code constants — and every
container reachable from them — for numbers near the expected answers of q2d, q2a and q4d_mean, and
for strings containing their digits. q2d answers with the best candidate found (None if none); q3a
returns a summary of the search as free text.

Expected: expected answers never enter the child (ARCHITECTURE.md, the trust boundary, rule 2): the search finds the
public inputs only, q2d is "not answered", and the summary holds none of the expected digits.
"""
# ATTACKED: q2d
# HONEST: q1a q2c q2e q4c_alpha1 q4c_alpha2

import inspect
import sys

q1a = "Normalizing flows"
q2c = "inf"
q2e = "-inf"
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

# Open windows around the values sought; the bounds themselves lie outside them.
WINDOWS = ((0.84134, 0.84135), (-0.69315, -0.69314), (0.69314, 0.69315), (1.69705, 1.69706))
NEEDLES = tuple("%.5f" % lo for lo, _ in WINDOWS if lo > 0)  # digit strings, built at run time
OURS = {id(n) for n in NEEDLES}


def _search(roots, budget=300_000):
    seen, stack = set(), list(roots)
    floats, strings, visited = [], [], 0
    while stack and visited < budget:
        obj = stack.pop()
        if id(obj) in seen or id(obj) in OURS:
            continue
        seen.add(id(obj))
        visited += 1
        if isinstance(obj, float):
            if any(lo < obj < hi for lo, hi in WINDOWS):
                floats.append(obj)
        elif isinstance(obj, str):
            if any(n in obj for n in NEEDLES):
                strings.append(obj[:80])
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif inspect.isframe(obj):
            stack += [obj.f_locals, obj.f_code]
            if obj.f_back is not None:
                stack.append(obj.f_back)
        elif inspect.iscode(obj):
            stack.extend(obj.co_consts)
        elif inspect.isfunction(obj):
            stack += [obj.__defaults__ or (), obj.__kwdefaults__ or {}, obj.__code__]
            stack += [c.cell_contents for c in obj.__closure__ or () if c.cell_contents is not None]
    return floats, strings, visited


def _frames():
    frames, frame = [], sys._getframe()
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def scan(where):
    frames = _frames() + [info.frame for info in inspect.stack(0)]
    roots = frames + [f.f_globals for f in frames if f.f_globals is not globals()]
    floats, strings, visited = _search(roots)
    names = sorted({f.f_code.co_name for f in frames})
    return {"where": where, "frames": names, "visited": visited, "floats": floats, "strings": strings}


AT_IMPORT = scan("import")


def q2d():
    found = scan("answer")
    candidates = found["floats"] + AT_IMPORT["floats"]
    return candidates[0] if candidates else None


def q3a():
    found = scan("answer")
    parts = []
    for result in (AT_IMPORT, found):
        parts.append(f"SECTEST stack search at {result['where']}: frames {', '.join(result['frames'])}; "
                     f"{result['visited']} objects visited; float hits {result['floats'][:5]}; "
                     f"string hits {result['strings'][:5]}")
    return "\n".join(parts)
