"""Checks made at startup: the libraries narrascope's safety promises rest on are the versions it was tested with."""

from __future__ import annotations

from narrascope.errors import NarrascopeError

# BATTERY.md H3: the XXE and entity-expansion behaviour was verified against lxml 6.1.3 (libxml2 2.14);
# an older lxml may resolve external entities or expand them differently.
MINIMUM_LXML = (6, 1, 3)


def check_runtime() -> None:
    """Raise a clear error when a dependency is older than the safety tests assumed.

    Raises:
        NarrascopeError: lxml is older than `MINIMUM_LXML`.
    """
    from lxml import etree

    found = tuple(int(part) for part in etree.LXML_VERSION[:3])
    if found < MINIMUM_LXML:
        wanted = ".".join(map(str, MINIMUM_LXML))
        raise NarrascopeError(f"lxml {'.'.join(map(str, found))} is installed, but narrascope needs lxml >= {wanted} "
                              f"(BATTERY.md H3: XXE and entity expansion were verified with it); "
                              f"run `pip install -r requirements.txt`")
