"""The child side of the trust boundary: runs ONE submission and reports its answers as tagged JSON.

This file is executed as a script (`python -I harness.py ANSWER_FD`) in a separate process, and
imports nothing from the grader: only the standard library. It receives on stdin a plan holding
the submission's file name, the problem's public parameters and the requests (names to fetch,
inputs to call them with) — never an expected answer. It writes one JSON line per event to the
answer channel (file descriptor ANSWER_FD):

  {"event": "stmt", "line": 12}                   about to run the top-level statement at line 12
  {"event": "loaded", "problems": [...]}          the submission ran; syntax/runtime problems found
  {"event": "start", "id": "q2a"}                 about to compute the answer to request "q2a"
  {"event": "answer", "id": "q2a", "value": V}    ... one of: value, missing, raised, not_implemented
  {"event": "done"}

Values V use the tagged encoding documented in `grader/sandbox/wire.py`, which decodes them in the parent.
Nothing the submission prints to stdout or stderr is ever read as an answer.

It is one file of over 400 lines on purpose: bubblewrap mounts this single file into a fresh
sandbox, which runs it as a script.
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import os
import re
import signal
import socket
import sys
import traceback
import types
from collections.abc import Callable  # loaded by inspect anyway (typing is not: it stays unimported)

MAX_NODES = 20_000  # values, list items and sympy nodes in one answer
MAX_DEPTH = 40
MAX_STR = 20_000
MAX_INT_DIGITS = 1000  # also each of a Fraction's two parts, and a Decimal's digits
MAX_DECIMAL_EXPONENT = 100_000  # a Decimal (or mpf) beyond 10**±this is refused
MAX_SET_ITEMS = 1000
MAX_DICT_ITEMS = 1000
SUBMISSION_MODULE = "answers"

_write = os.write
_dumps = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode


class AnswerTimeout(BaseException):
    """Raised inside the student's code when one answer takes longer than allowed."""


class EncodingLimit(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Encoding of values (the parent's decoder in grader/sandbox/wire.py mirrors this)
# --------------------------------------------------------------------------------------------


def _exact_float(x: float) -> object:
    value = float.__float__(x)
    if math.isfinite(value):
        return value
    return {"$float": "nan" if value != value else ("inf" if value > 0 else "-inf")}


def _int_digits(value: int, what: str = "an integer") -> str:
    digits = int.__repr__(value) if value.bit_length() < 3400 else None
    if digits is None or len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise EncodingLimit(f"the answer is {what} with more than {MAX_INT_DIGITS} digits")
    return digits


def _opaque(x: object) -> dict:
    return {"$object": {"type": f"{type(x).__module__}.{type(x).__qualname__}"[:200], "repr": _safe_repr(x)}}


def _fraction(x, fraction_type) -> object:
    """A Fraction's own numerator and denominator, read from its slots: a subclass's properties
    (`numerator`, `_numerator`) cannot change what is sent."""
    try:
        slots = vars(fraction_type)
        numerator = int.__index__(slots["_numerator"].__get__(x, fraction_type))
        denominator = int.__index__(slots["_denominator"].__get__(x, fraction_type))
    except (AttributeError, KeyError, TypeError):
        return _opaque(x)
    if denominator <= 0:
        return _opaque(x)
    what = "a fraction whose numerator or denominator is an integer"
    return {"$fraction": [_int_digits(numerator, what), _int_digits(denominator, what)]}


def _decimal_text(x, decimal_type) -> str:
    """A Decimal's value as text, read through the base class's methods. NaN drops its sign and
    payload, a zero its exponent; more than 1000 digits or a magnitude beyond 10**±100000 is refused."""
    if decimal_type.is_nan(x):
        return "NaN"
    negative = decimal_type.is_signed(x)
    if decimal_type.is_infinite(x):
        return "-Infinity" if negative else "Infinity"
    if decimal_type.is_zero(x):
        return "-0" if negative else "0"
    if abs(decimal_type.adjusted(x)) > MAX_DECIMAL_EXPONENT:
        raise EncodingLimit(f"the answer is a decimal number beyond 10**±{MAX_DECIMAL_EXPONENT}")
    if len(decimal_type.as_tuple(x).digits) > MAX_INT_DIGITS:
        raise EncodingLimit(f"the answer is a decimal number with more than {MAX_INT_DIGITS} digits")
    return decimal_type.__str__(x)


def _mpf_decimal(raw, mpmath):
    """An mpmath mpf (its raw (sign, mantissa, exponent, bits) tuple) as a Decimal, converted by
    mpmath itself with as many digits as its mantissa holds (at most 1000)."""
    import decimal

    _, mantissa, exponent, bits = raw  # |x| = mantissa * 2**exponent < 2**(exponent + bits)
    if mantissa and abs(int(exponent) + int(bits)) * math.log10(2) > MAX_DECIMAL_EXPONENT + 1:
        raise EncodingLimit(f"the answer is an mpmath number beyond 10**±{MAX_DECIMAL_EXPONENT}")
    digits = min(MAX_INT_DIGITS, mpmath.libmp.repr_dps(max(int(bits), 53)))
    text = str(mpmath.libmp.to_str(raw, digits))
    text = {"+inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(text, text)
    if len(text) > MAX_INT_DIGITS + 40:
        raise EncodingLimit("the answer is an mpmath number too long to send")
    return decimal.Decimal(text)


def _decodes_hashable(tagged: object) -> bool:
    """Whether the parent's decoding of `tagged` can be an item of a frozenset (no list, no dict)."""
    if isinstance(tagged, list):
        return False
    if not isinstance(tagged, dict):
        return True
    ((tag, body),) = tagged.items()
    if tag in ("$tuple", "$set"):
        return all(_decodes_hashable(v) for v in body)
    if tag == "$namedtuple":
        return all(_decodes_hashable(v) for v in body["values"])
    if tag == "$numpy_scalar":
        return _decodes_hashable(body["value"])
    return tag != "$dict"  # $ndarray data are scalars; $sympy, $callable, $object: text


def _namedtuple_fields(cls: type, count: int) -> list | None:
    """A namedtuple class's field names (read without running the class's code), if they are
    `count` distinct identifiers; None for any other tuple subclass."""
    fields = inspect.getattr_static(cls, "_fields", None)
    if type(fields) is not tuple or len(fields) != count:
        return None
    names = [str.__getitem__(f, slice(0, 101)) if isinstance(f, str) else "" for f in fields]
    if not all(n.isidentifier() and len(n) <= 100 for n in names) or len(set(names)) != count:
        return None
    return names


class Encoder:
    """A value as tagged JSON (see grader/sandbox/wire.py). Values are read through the base
    classes' own methods (`int.__index__`, `tuple.__iter__`, `dict.items`, ...), so that a subclass
    cannot make the parent read something other than what the value holds."""

    def __init__(self) -> None:
        self.nodes = 0

    def _count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise EncodingLimit(f"the answer has more than {MAX_NODES} values")

    def encode(self, x: object, depth: int = 0) -> object:
        self._count()
        if depth > MAX_DEPTH:
            raise EncodingLimit(f"the answer is nested more than {MAX_DEPTH} levels deep")
        if x is None or x is True or x is False:
            return x
        # numpy first: numpy.float64 is also a float, and its origin is worth reporting
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            if isinstance(x, numpy.ndarray):
                return self._ndarray(x, numpy, depth)
            if isinstance(x, numpy.generic):
                return {"$numpy_scalar": {"dtype": str(x.dtype), "value": self.encode(x.item(), depth + 1)}}
        if isinstance(x, int):
            value = int.__index__(x)
            if abs(value) < 2**53:
                return value
            return {"$int": _int_digits(value)}
        if isinstance(x, float):
            return _exact_float(x)
        if isinstance(x, complex):
            c = complex.__complex__(x)
            return {"$complex": [_exact_float(c.real), _exact_float(c.imag)]}
        if isinstance(x, str):
            return self._text(x)
        if type(x) is list or type(x) is tuple:
            items = [self.encode(v, depth + 1) for v in x]
            return items if type(x) is list else {"$tuple": items}
        if isinstance(x, list):
            return [self.encode(v, depth + 1) for v in list.__iter__(x)]
        if isinstance(x, tuple):
            return self._tuple(x, depth)
        if isinstance(x, (set, frozenset)):
            return self._set(x, depth)
        if isinstance(x, dict):
            return self._dict(x, depth)
        exact = self._exact_number(x)
        if exact is not None:
            return exact
        sympy = sys.modules.get("sympy")
        if sympy is not None and isinstance(x, sympy.Basic):
            text = str(x)
            return {"$sympy": {"tree": self._sympy(x, sympy, depth + 1), "text": text[:500]}}
        if callable(x):
            return {"$callable": {"name": getattr(x, "__name__", type(x).__name__)[:100],
                                  "signature": _signature_text(x)}}
        return _opaque(x)

    def _text(self, x: str) -> str:
        s = str.__getitem__(x, slice(0, MAX_STR + 1))
        if len(s) > MAX_STR:
            raise EncodingLimit(f"the answer is a string longer than {MAX_STR} characters")
        return s

    def _tuple(self, x: tuple, depth: int) -> object:
        """A tuple subclass: its true items; a namedtuple's names and type name as well."""
        items = [self.encode(v, depth + 1) for v in tuple.__iter__(x)]
        fields = _namedtuple_fields(type(x), len(items))
        if fields is None:
            return {"$tuple": items}
        name = type.__dict__["__name__"].__get__(type(x))
        return {"$namedtuple": {"type": str.__getitem__(name, slice(0, 100)), "fields": fields, "values": items}}

    def _set(self, x: set | frozenset, depth: int) -> object:
        """Items sorted by their JSON text, so that a set is sent the same way every time."""
        members = list(set.__iter__(x)) if isinstance(x, set) else list(frozenset.__iter__(x))
        if len(members) > MAX_SET_ITEMS:
            raise EncodingLimit(f"the answer is a set of more than {MAX_SET_ITEMS} values")
        items = [self.encode(v, depth + 1) for v in members]
        if not all(_decodes_hashable(v) for v in items):
            return _opaque(x)  # e.g. a hashable list subclass: the parent could not put it in a set
        texts = sorted({_dumps(v): v for v in items}.items())  # identical encodings sent once
        return {"$set": [v for _, v in texts]}

    def _dict(self, x: dict, depth: int) -> object:
        """A dict with string keys, in its own order; any other key makes it an opaque object."""
        entries = list(dict.items(x))
        if len(entries) > MAX_DICT_ITEMS:
            raise EncodingLimit(f"the answer is a dict of more than {MAX_DICT_ITEMS} entries")
        if not all(isinstance(k, str) for k, _ in entries):
            return _opaque(x)
        pairs = []
        for key, value in entries:
            self._count()
            pairs.append([self._text(key), self.encode(value, depth + 1)])
        return {"$dict": pairs}

    def _exact_number(self, x: object) -> object:
        """Fraction, Decimal and mpmath's mpf/mpc (their modules are never imported here: a value
        of one exists only once its module is loaded). None for anything else."""
        fractions = sys.modules.get("fractions")
        if fractions is not None and isinstance(x, fractions.Fraction):
            return _fraction(x, fractions.Fraction)
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(x, decimal.Decimal):
            return {"$decimal": _decimal_text(x, decimal.Decimal)}
        mpmath = sys.modules.get("mpmath")
        base = sys.modules.get("mpmath.ctx_mp_python")
        if mpmath is None or base is None:
            return None
        try:
            if isinstance(x, base._mpf):
                value = _mpf_decimal(vars(base._mpf)["_mpf_"].__get__(x, base._mpf), mpmath)
                return {"$decimal": _decimal_text(value, type(value))}
            if isinstance(x, base._mpc):
                real, imag = vars(base._mpc)["_mpc_"].__get__(x, base._mpc)
                parts = []
                for raw in (real, imag):
                    value = _mpf_decimal(raw, mpmath)
                    part = float(value)
                    if value.is_finite() and not math.isfinite(part):
                        raise EncodingLimit("the answer is an mpmath complex number beyond the range of a float")
                    parts.append(_exact_float(part))
                return {"$complex": parts}
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError):
            return _opaque(x)  # an mpmath whose internals differ, or a value that is not what it claims
        return None

    def _ndarray(self, x, numpy, depth: int) -> object:
        if x.size > MAX_NODES:
            raise EncodingLimit(f"the answer is an array of {x.size} values (more than {MAX_NODES})")
        if x.dtype.kind not in "biufc":
            return {"$object": {"type": f"numpy.ndarray[{x.dtype}]", "repr": _safe_repr(x)}}
        flat = [self.encode(v, depth + 1) for v in numpy.asarray(x).ravel().tolist()]
        return {"$ndarray": {"dtype": str(x.dtype), "shape": list(x.shape), "data": flat}}

    def _sympy(self, node, sympy, depth: int) -> object:
        self._count()
        if depth > MAX_DEPTH * 3:
            raise EncodingLimit("the sympy expression is nested too deeply")
        name = type(node).__name__
        if isinstance(node, sympy.Integer):
            return {"f": "Integer", "v": str(int(node))}
        if isinstance(node, sympy.Rational):
            return {"f": "Rational", "v": [str(int(node.p)), str(int(node.q))]}
        if isinstance(node, sympy.Float):
            return {"f": "Float", "v": repr(float(node))}
        if isinstance(node, sympy.Symbol):
            return {"f": "Symbol", "v": str(node.name)[:100]}
        if isinstance(node, sympy.core.function.AppliedUndef):
            name = "UndefinedFunction:" + name  # f(x) of an undefined f: the parent refuses it
        return {"f": name, "a": [self._sympy(a, sympy, depth + 1) for a in node.args]}


def _signature_text(fn: Callable[..., object]) -> str:
    try:
        return str(inspect.signature(fn))[:200]
    except (TypeError, ValueError):
        return "(...)"


def _safe_repr(x: object) -> str:
    try:
        return repr(x)[:300]
    except BaseException as exc:  # a hostile __repr__ must not stop the harness
        return f"<unprintable {type(x).__name__}: {type(exc).__name__}>"


# --------------------------------------------------------------------------------------------
# Arguments the grader passes in
# --------------------------------------------------------------------------------------------


def _decode_arg(x: object) -> object:
    if isinstance(x, list):
        return [_decode_arg(v) for v in x]
    if isinstance(x, dict):
        if "$float" in x:
            return float(x["$float"])
        if "$grader_function" in x:
            return _grader_function(x["$grader_function"])
        if "$tuple" in x:
            return tuple(_decode_arg(v) for v in x["$tuple"])
    return x


GRADER_FUNCTION_FAMILIES = {"affine": lambda z: z, "tanh": math.tanh}
"""The families of grader functions, (x, t) ↦ family(scale·x + shift·t). A spec's
`grader_function: {family: ...}` is checked against these names when it is loaded."""


def _grader_function(spec: dict) -> object:
    """A deterministic stand-in for a trained network, e.g. eps_model(x_t, t) in DDPM questions.

    Accepts a float, a list or a numpy array and returns the same kind of value.
    """
    squash = GRADER_FUNCTION_FAMILIES[spec["family"]]  # the spec allows no other family
    scale, shift = float(spec["scale"]), float(spec["shift"])

    def one(v: float, t: float) -> float:
        return squash(scale * float(v) + shift * float(t))

    def eps_model(x_t, t):
        numpy = sys.modules.get("numpy")
        if numpy is not None and isinstance(x_t, numpy.ndarray):
            return numpy.array([one(v, t) for v in x_t.ravel().tolist()], dtype=float).reshape(x_t.shape)
        if isinstance(x_t, (list, tuple)):
            return [one(v, t) for v in x_t]
        return one(x_t, t)

    eps_model.__name__ = "eps_model"
    return eps_model


# --------------------------------------------------------------------------------------------
# Running the submission
# --------------------------------------------------------------------------------------------


class Channel:
    """The answer channel: an inherited pipe (POSIX), or a loopback connection (elsewhere)."""

    def __init__(self, fd: int, connection: socket.socket | None = None):
        self.fd = fd
        # Bound now, before the submission runs: patching os.write or socket later changes nothing.
        self._sendall = connection.sendall if connection is not None else None

    def send(self, message: dict) -> None:
        data = (_dumps(message) + "\n").encode("ascii")
        if self._sendall is not None:
            self._sendall(data)
            return
        view = memoryview(data)
        while view:
            written = _write(self.fd, view)
            view = view[written:]


_ALARM = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
_use_alarm = _ALARM


def _set_timer(seconds: float) -> None:
    """The per-answer timer, where the platform has one; elsewhere the parent's deadline decides."""
    if _use_alarm:
        signal.setitimer(signal.ITIMER_REAL, seconds)


def _student_frames(tb, filename: str) -> list[dict]:
    frames = []
    for frame in traceback.extract_tb(tb):
        if frame.filename == filename:
            frames.append({"line": frame.lineno, "function": frame.name, "code": (frame.line or "")[:200]})
    return frames


def _problem(exc: BaseException, filename: str) -> dict:
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    else:
        message = _safe_repr_message(exc)
    return {"type": type(exc).__name__, "message": message[:1000],
            "frames": _student_frames(exc.__traceback__, filename)}


def _safe_repr_message(exc: BaseException) -> str:
    try:
        return str(exc)
    except BaseException:
        return "<the exception's message could not be printed>"


def _chunks_of_broken_source(source: str) -> list[tuple[int, str]]:
    """Top-level blocks of a file that does not parse, so that the blocks that do still count."""
    chunks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        starts_block = bool(line[:1].strip()) and not line.startswith("#")
        continues = stripped.startswith(("else", "elif", "except", "finally", ")", "]", "}"))
        if starts_block and not continues and not (chunks and chunks[-1][1][-1].lstrip().startswith("@")):
            chunks.append((number, [line]))
        elif chunks:
            chunks[-1][1].append(line)
        else:
            chunks.append((number, [line]))
    return [(start, "".join(lines)) for start, lines in chunks]


# The names a piece of source that cannot be parsed seems to define (also used by the parent for a
# notebook cell that cannot be parsed: grader/notebook/script.py).
DEFINED_IN_TEXT = re.compile(r"^(?:def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=(?!=)", re.M)


def _defined_names(unit: ast.Module) -> list[str]:
    """Names a top-level statement would bind: when it fails, answers by those names are missing."""
    names = []
    for node in ast.walk(unit):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
        elif isinstance(node, ast.alias):
            names.append((node.asname or node.name).split(".")[0])
    return names


def _blank_before(line: int) -> str:
    return "\n" * (line - 1)


def _cell_units(source: str, path: str, cells: list) -> tuple[list, list[dict]]:
    """A notebook's cells (line ranges of `source`), each parsed on its own as Jupyter compiles
    them: a cell that is not Python does not run at all, and cannot swallow the next one."""
    lines = [line + "\n" for line in source.split("\n")]  # as the parent counted: not at U+2028
    units: list = []
    problems: list[dict] = []
    for first, last in cells:
        text = "".join(lines[first - 1:last])
        try:
            tree = ast.parse(_blank_before(first) + text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", None) or first
            message = (str(exc.msg) if isinstance(exc, SyntaxError) else
                       "nested too deeply to be read" if isinstance(exc, (RecursionError, MemoryError)) else str(exc))
            code = lines[line - 1].rstrip()[:200] if 0 < line <= len(lines) else ""
            names = list(dict.fromkeys(a or b for a, b in DEFINED_IN_TEXT.findall(text)))
            problems.append({"type": "SyntaxError", "message": message[:500], "line": line, "code": code,
                             "frames": [], "defines": names[:50]})
            continue
        units += [(stmt.lineno, ast.Module(body=[stmt], type_ignores=[])) for stmt in tree.body]
    return units, problems


def _cells_of(plan: dict) -> list | None:
    """The plan's notebook cells as [first, last] line pairs, or None for a plain file."""
    cells = plan.get("cells")
    if not isinstance(cells, list):
        return None
    return [(c[0], c[1]) for c in cells if isinstance(c, list) and len(c) == 2
            and all(type(n) is int and n > 0 for n in c)]


def load_submission(path: str, parameters: dict, skip_lines: set[int], channel: Channel,
                    cells: list | None = None) -> tuple[dict, list]:
    """Execute the submission statement by statement, so one failing statement costs only itself.
    `cells`: a notebook's cells as line ranges, each parsed on its own."""
    problems: list[dict] = []
    with open(path, encoding="utf-8") as f:
        source = f.read()
    module = types.ModuleType(SUBMISSION_MODULE)
    module.__file__ = path
    module.__dict__["PARAMETERS"] = parameters
    sys.modules[SUBMISSION_MODULE] = module
    namespace = module.__dict__
    try:
        if cells is not None:
            units, problems = _cell_units(source, path, cells)
        else:
            tree = ast.parse(source, filename=path)
            units = [(stmt.lineno, ast.Module(body=[stmt], type_ignores=[])) for stmt in tree.body]
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        # Not Python as a whole (or nested past the parser's depth): what can be read still runs.
        broken: list[str] = []
        first_broken = None
        units = []
        for start, text in _chunks_of_broken_source(source):
            try:
                units.append((start, ast.parse(_blank_before(start) + text, filename=path)))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                broken += [a or b for a, b in DEFINED_IN_TEXT.findall(text)]
                first_broken = first_broken or start
        if isinstance(exc, SyntaxError):
            line, message, code = exc.lineno, str(exc.msg), (exc.text or "").rstrip()[:200]
        else:
            line, message, code = first_broken or 1, "nested too deeply to be read, or not text", ""
        problems.append({"type": "SyntaxError", "message": message, "line": line, "code": code,
                         "frames": [], "defines": broken[:50]})
    for line, unit in units:
        if line in skip_lines:
            continue
        channel.send({"event": "stmt", "line": line})
        try:
            exec(compile(unit, path, "exec"), namespace)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included: keep going
            problem = _problem(exc, path)
            problem.setdefault("line", line)
            problem["defines"] = _defined_names(unit)[:50]
            problems.append(problem)
    return namespace, problems


def _takes_no_arguments(fn: Callable[..., object]) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in sig.parameters.values())


def _alarm(signum, frame):
    raise AnswerTimeout()


def answer(namespace: dict, request: dict, path: str, seconds: float) -> dict:
    name = request["name"]
    if name not in namespace:
        return {"missing": True}
    target = namespace[name]
    args = request.get("args")
    _set_timer(seconds)
    try:
        if args is None:
            if callable(target) and not isinstance(target, type) and _takes_no_arguments(target):
                result = target()
            else:
                result = target
        elif callable(target) and not isinstance(target, type):
            result = target(*[_decode_arg(a) for a in args])
        else:
            return {"noncallable": Encoder().encode(target)}
        return {"value": Encoder().encode(result)}
    except AnswerTimeout:
        return {"timed_out": True}
    except NotImplementedError as exc:
        return {"not_implemented": True, "message": _safe_repr_message(exc)[:300]}
    except EncodingLimit as exc:
        return {"too_large": str(exc)}
    except BaseException as exc:
        return {"raised": _problem(exc, path)}
    finally:
        _set_timer(0)


def main() -> None:
    """Fresh-exec entry point: the answer channel in argv (a descriptor, or "connect"), the plan on
    stdin (with the address and token of the loopback channel, where there is one)."""
    plan = json.loads(sys.stdin.read())
    os.close(0)
    if sys.argv[1] == "connect":
        address = plan["channel"]
        connection = socket.create_connection(("127.0.0.1", int(address["port"])), timeout=30)
        connection.settimeout(None)
        connection.sendall(str(address["token"]).encode("ascii") + b"\n")
        run(plan, -1, connection)
    run(plan, int(sys.argv[1]))


def run(plan: dict, answer_fd: int, connection: socket.socket | None = None) -> None:
    """Run the plan's submission and report on `answer_fd`; never returns (the process exits).

    Also the entry point of a warm-forked child (grader/sandbox/warm.py), already confined.
    """
    global _use_alarm
    _use_alarm = _ALARM and bool(plan.get("alarm", True))
    channel = Channel(answer_fd, connection)
    path = os.path.abspath(plan["submission"])
    if _use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    sys.setrecursionlimit(3000)
    sys.argv = [path]
    skip = set(plan.get("skip_lines", []))
    _set_timer(0)
    namespace, problems = load_submission(path, plan.get("parameters", {}), skip, channel, _cells_of(plan))
    channel.send({"event": "loaded", "problems": problems[:20]})
    seconds = float(plan.get("answer_seconds", 3))
    timed_out: set[str] = set()
    for request in plan["requests"]:
        channel.send({"event": "start", "id": request["id"]})
        reply: dict[str, object]
        if request["name"] in timed_out:
            # One timeout per name is enough: other inputs to an endless function would only
            # multiply the wait.
            reply = {"timed_out": True}
        else:
            try:
                reply = answer(namespace, request, path, seconds)
            except BaseException as exc:  # e.g. an AnswerTimeout landing between try blocks
                reply = {"raised": _problem(exc, path)}
            if reply.get("timed_out"):
                timed_out.add(request["name"])
        reply.update(event="answer", id=request["id"])
        channel.send(reply)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    channel.send({"event": "done"})
    # Leave at once: no atexit handler, thread or finaliser of the submission runs after this.
    os._exit(0)


if __name__ == "__main__":
    main()
