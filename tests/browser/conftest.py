"""Pages as a reader sees them: headless Chromium (skipped, saying why, where it is missing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cdp import AXE


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    pytest.importorskip("websocket", reason="websocket-client is not installed (pip install -e '.[test]')")
    from cdp import Browser, find_chromium

    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium here: as root, scripts/test.sh installs Debian's chromium package")
    page = Browser(executable)
    yield page
    page.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is missing ({AXE}): scripts/test.sh installs it from the npm registry "
                    "(python scripts/fetch_axe.py)")
    return AXE.read_text(encoding="utf-8")
