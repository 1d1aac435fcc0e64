"""Options shared by every suite. Fixtures live next to the suites that use them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "samples" / "itplr-48-2025-11-26-protokoll.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# A test that skips because a tool is missing (Chromium, a font, the conformance script) must
# not pass silently in CI, where `make test-slow` installs those tools: there it fails.
_MISSING_TOOL = ("make browser", "apt-get install", "not installed", "conformance script not found",
                 "no Chromium")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and call.excinfo is not None:
        reason = str(call.excinfo.value)
        if any(marker in reason for marker in _MISSING_TOOL):
            report.outcome = "failed"
            report.longrepr = f"skipped in CI because a required tool is missing: {reason}"
