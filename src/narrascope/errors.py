"""Errors narrascope raises; messages say what happened and how to fix it."""

from __future__ import annotations


class NarrascopeError(Exception):
    """Base class of every error narrascope raises on purpose."""


class PageError(NarrascopeError):
    """A page cannot be processed; `reason` is a short typed code.

    Reasons: too_small, too_large, binary, unreadable, encoding_suspect,
    empty_extraction, depth_truncated, bad_json, unsupported (README lists them all).
    """

    def __init__(self, source: str, reason: str, message: str) -> None:
        super().__init__(f"{source}: {reason}: {message}")
        self.source = source
        self.reason = reason
        self.message = message


class StoreError(NarrascopeError):
    """The database cannot be opened, migrated or written."""


class DiskFullError(StoreError):
    """The disk (or the database's size cap) is full; the transaction in progress was rolled back."""


class ModelError(NarrascopeError):
    """A configured model cannot be loaded."""
