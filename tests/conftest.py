"""Fixtures shared across test modules."""

from __future__ import annotations

import pytest
from spacy.language import Language

from narrascope.claims import load_nlp
from tests.postgres_server import db_target, postgres_cluster

__all__ = ["db_target", "nlp", "postgres_cluster"]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once per test session."""
    return load_nlp()
