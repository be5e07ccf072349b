"""Settings: defaults overridden by NARRASCOPE_* environment variables."""

from __future__ import annotations

from narrascope.config import Settings


def test_config_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.db == "narrascope.db"
    assert settings.models.embedding_model == "minilm-int8"


def test_config_environment_overrides_each_section() -> None:
    settings = Settings.from_env({
        "NARRASCOPE_DB": "/tmp/x.db",
        "NARRASCOPE_NARRATIVES_SAME_STORY": "0.6",
        "NARRASCOPE_INGEST_MAX_PAGE_BYTES": "2048",
        "NARRASCOPE_MODELS_SPACY_MODEL": "/models/spacy",
    })
    assert settings.db == "/tmp/x.db"
    assert settings.narratives.same_story == 0.6
    assert settings.ingest.max_page_bytes == 2048
    assert settings.models.spacy_model == "/models/spacy"


def test_config_every_setting_is_documented_in_readme() -> None:
    from dataclasses import fields
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for section in ("ingest", "models", "narratives"):
        for option in fields(getattr(Settings(), section)):
            assert f"NARRASCOPE_{section}_{option.name}".upper() in readme, option.name


def test_config_booleans_and_bad_values() -> None:
    import pytest

    from narrascope.errors import NarrascopeError

    assert Settings.from_env({"NARRASCOPE_INGEST_ISOLATE": "0"}).ingest.isolate is False
    assert Settings.from_env({"NARRASCOPE_INGEST_ISOLATE": "yes"}).ingest.isolate is True
    with pytest.raises(NarrascopeError, match="NARRASCOPE_INGEST_ISOLATE"):
        Settings.from_env({"NARRASCOPE_INGEST_ISOLATE": "maybe"})
    with pytest.raises(NarrascopeError, match="expected a float"):
        Settings.from_env({"NARRASCOPE_NARRATIVES_SAME_STORY": "high"})
