"""Fetch axe-core (the accessibility rules the browser tests run) from the npm registry, without npm.

    python scripts/fetch_axe.py [--version 4.11.0]

Downloads the package's tarball named by the registry, checks it against the registry's sha512
integrity, and writes axe.min.js to .cache/npm/node_modules/axe-core/ (where tests/browser looks,
as `npm install --prefix .cache/npm axe-core` would put it). Does nothing if it is already there.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
REGISTRY = "https://registry.npmjs.org/axe-core/"


def fetch(version: str) -> bytes:
    with urllib.request.urlopen(REGISTRY + version, timeout=60) as response:
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=120) as response:
        tarball = response.read()
    algorithm, _, expected = dist["integrity"].partition("-")
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != expected:
        raise SystemExit(f"axe-core {version}: the tarball does not match the registry's integrity")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        if member is None:
            raise SystemExit(f"axe-core {version}: no axe.min.js in the package")
        return member.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="4.11.0")
    args = parser.parse_args()
    if TARGET.is_file():
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(fetch(args.version))
    print(f"axe-core {args.version} → {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
