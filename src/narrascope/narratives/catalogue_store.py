"""A catalogue given as text (an upload, the web editor, a file) checked, matched and kept in the database."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from narrascope.narratives.catalogue import Catalogue, CatalogueError, EmbedFunction, catalogue_from_mapping
from narrascope.narratives.catalogue_view import catalogue_matches
from narrascope.store import Store

TextFormat = Literal["toml", "yaml"]
MAX_CATALOGUE_CHARS = 1_000_000


@dataclass(frozen=True)
class StoredCatalogue:
    """What saving a catalogue did: its entries, and how many articles were read and matched."""

    entries: int
    articles_read: int
    articles_total: int
    articles_matched: int


def text_format_of(path: str | Path) -> TextFormat:
    """`toml` or `yaml` from a file name.

    Raises:
        CatalogueError: the suffix is neither.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    raise CatalogueError(f"{path}: unknown catalogue format {suffix or '(no suffix)'!r}: use .toml, .yaml or .yml")


def parse_catalogue_text(text: str, text_format: str, source: str = "catalogue") -> Catalogue:
    """Check a catalogue written as TOML or YAML text.

    Raises:
        CatalogueError: unparsable or malformed; the message names `source`, the entry and what to fix.
    """
    if len(text) > MAX_CATALOGUE_CHARS:
        raise CatalogueError(f"{source}: {len(text):,} characters is over the {MAX_CATALOGUE_CHARS:,} cap")
    data: Any
    if text_format == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CatalogueError(f"{source}: not valid TOML: {error}") from error
    elif text_format == "yaml":
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise CatalogueError(f"{source}: not valid YAML: {error}") from error
    else:
        raise CatalogueError(f"{source}: unknown catalogue format {text_format!r}: use toml or yaml")
    return catalogue_from_mapping(data, source=source)


def save_catalogue(store: Store, text: str, text_format: str, embed: EmbedFunction, model_id: str, *,
                   article_limit: int | None = None, source: str = "catalogue") -> StoredCatalogue:
    """Check the catalogue, match it against the stored articles and keep both in the database.

    Args:
        store: a writable store.
        text: the catalogue as TOML or YAML (kept as written, comments included).
        text_format: "toml" or "yaml".
        embed: texts -> unit vectors (the pipeline's embedding model).
        model_id: that model's id, kept with the matches.
        article_limit: match only the most recently published articles (a web request has little time);
            None matches every article.
        source: the name errors give the catalogue.

    Raises:
        CatalogueError: the catalogue is malformed; nothing is changed.
    """
    catalogue = parse_catalogue_text(text, text_format, source)
    articles, claims = store.articles_for_matching(article_limit)
    records = catalogue_matches(articles, claims, catalogue, embed)
    total = store.counts()["articles"]
    store.save_catalogue(text, text_format, catalogue, records, model=model_id, articles_read=len(articles),
                         articles_total=total)
    return StoredCatalogue(entries=len(catalogue.entries), articles_read=len(articles), articles_total=total,
                           articles_matched=len(records))


def catalogue_page(store: Store, *, limit: int = 50, offset: int = 0, matches_per_entry: int = 5) -> dict[str, Any]:
    """The stored catalogue: its text, when and how far it was matched, and one page of entries with
    each one's best matches (`items`, `total`, `has_more` as every list)."""
    stored = store.catalogue_row()
    entries = store.catalogue_entry_rows(limit=limit, offset=offset) if stored else []
    for entry in entries:
        entry["matches"] = store.catalogue_match_rows(entry["name"], limit=matches_per_entry)
    total = store.catalogue_entry_count() if stored else 0
    return {"catalogue": stored, "entries": entries, "items": entries, "total": total, "limit": limit,
            "offset": offset, "has_more": offset + len(entries) < total}


def catalogue_entry_page(store: Store, name: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any] | None:
    """One entry with one page of the articles it matched (most confident first) and their evidence."""
    entry = store.catalogue_entry_row(name)
    if entry is None:
        return None
    rows = store.catalogue_match_rows(name, limit=limit, offset=offset)
    total = int(entry["articles"])
    return entry | {"matches_page": {"items": rows, "total": total, "limit": limit, "offset": offset,
                                     "has_more": offset + len(rows) < total}}
