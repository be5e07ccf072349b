"""The reliability and security battery (../shared/BATTERY.md): markers and the long-run switch.

`battery` tests are fast and run in `make test`; `battery_long` ones (fuzzing for minutes) run only when
selected with `-m battery_long` (`make battery`) and are skipped otherwise.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Registered here as well as in pyproject.toml, so --strict-markers accepts them either way.
    config.addinivalue_line("markers", "battery: a fast test of ../shared/BATTERY.md, run in make test")
    config.addinivalue_line("markers", "battery_long: a long battery run (fuzzing), run by make battery")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "battery_long" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="long battery run: select it with -m battery_long (make battery)")
    for item in items:
        if "battery_long" in item.keywords:
            item.add_marker(skip)
