"""Exports: CSV and JSON Lines of claims and articles, GEXF of the speaker-outlet-narrative graph, and a
narrative dossier (Markdown, HTML) citing every claim's article, outlet, date and character span.

Example:
    >>> with Store("narrascope.db", read_only=True) as store:  # doctest: +SKIP
    ...     text = export(store, "dossier-md", narrative_id="…")
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from narrascope import views
from narrascope.errors import NarrascopeError
from narrascope.store import Store

Record = dict[str, Any]
CLAIM_FIELDS = ("id", "article_id", "speaker_id", "speaker", "speaker_mention", "speaker_kind", "cue", "text",
                "kind", "section", "start", "end", "cited_source", "cluster_id", "narrative_id", "article_title",
                "outlet", "published", "language")
ARTICLE_FIELDS = ("id", "source", "url", "title", "outlet", "published", "author", "language", "body")
# Media types and file name suffixes of each export kind.
KINDS: dict[str, tuple[str, str]] = {
    "claims-csv": ("text/csv; charset=utf-8", "claims.csv"),
    "claims-jsonl": ("application/x-ndjson", "claims.jsonl"),
    "articles-csv": ("text/csv; charset=utf-8", "articles.csv"),
    "articles-jsonl": ("application/x-ndjson", "articles.jsonl"),
    "gexf": ("application/gexf+xml", "graph.gexf"),
    "dossier-md": ("text/markdown; charset=utf-8", "dossier.md"),
    "dossier-html": ("text/html; charset=utf-8", "dossier.html"),
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def claim_rows(store: Store, narrative_id: str | None = None, limit: int = 10_000_000) -> list[Record]:
    """Claims (all, or one narrative's) with speaker, cluster and their article's metadata."""
    rows = store.claim_rows(narrative_id=narrative_id, limit=limit) if narrative_id else store.claim_rows(limit=limit)
    return [views.claim_detail_record(row) for row in rows]


def article_rows(store: Store, narrative_id: str | None = None, limit: int = 10_000_000) -> list[Record]:
    """Articles (all, or those a narrative draws on) with their clean bodies."""
    if narrative_id is None:
        return store.article_rows(limit=limit, with_body=True)[0]
    narrative = store.narrative_row(narrative_id)
    if narrative is None:
        raise NarrascopeError(f"no narrative {narrative_id!r}; list them with `narrascope narratives`")
    found = [store.article_row(article_id) for article_id in narrative.article_ids[:limit]]
    return [{key: row[key] for key in ARTICLE_FIELDS} for row in found if row]


def _spreadsheet_safe(value: Any) -> Any:
    # A cell starting with = + - @ runs as a formula in spreadsheets (OWASP "CSV injection").
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(records: list[Record], fields: tuple[str, ...]) -> str:
    """Records as CSV with a header row; text cells that a spreadsheet would run as formulas are quoted."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _spreadsheet_safe(record.get(key)) for key in fields})
    return out.getvalue()


def to_jsonl(records: list[Record], fields: tuple[str, ...]) -> str:
    """Records as JSON Lines, one object per line."""
    return "".join(json.dumps({key: record.get(key) for key in fields}, ensure_ascii=False) + "\n"
                   for record in records)


def _xml(value: object) -> str:
    return html.escape(_XML_INVALID.sub("", str(value)), quote=True)


def graph_gexf(store: Store, narrative_id: str | None = None) -> str:
    """The speaker-outlet-narrative graph as GEXF 1.3 (Gephi): edges weighted by claim counts."""
    nodes: dict[str, tuple[str, str]] = {}
    edges: dict[tuple[str, str], int] = {}
    for row in store.graph_rows(narrative_id):
        ends = []
        if row["speaker_id"]:
            nodes[f"speaker:{row['speaker_id']}"] = (row["speaker"] or row["speaker_id"], "speaker")
            ends.append(f"speaker:{row['speaker_id']}")
        if row["outlet"]:
            nodes[f"outlet:{row['outlet']}"] = (row["outlet"], "outlet")
            ends.append(f"outlet:{row['outlet']}")
        if row["narrative_id"]:
            nodes[f"narrative:{row['narrative_id']}"] = (row["narrative"] or row["narrative_id"], "narrative")
            ends.append(f"narrative:{row['narrative_id']}")
        for index, left in enumerate(ends):
            for right in ends[index + 1:]:
                edges[(left, right)] = edges.get((left, right), 0) + int(row["claims"])
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
             '  <meta><creator>narrascope</creator><description>speakers, outlets and narratives; edge weight ='
             ' claims</description></meta>',
             '  <graph mode="static" defaultedgetype="undirected">',
             '    <attributes class="node"><attribute id="kind" title="kind" type="string"/></attributes>',
             "    <nodes>"]
    lines += [f'      <node id="{_xml(key)}" label="{_xml(label)}"><attvalues><attvalue for="kind" value="{kind}"/>'
              "</attvalues></node>" for key, (label, kind) in sorted(nodes.items())]
    lines.append("    </nodes>\n    <edges>")
    lines += [f'      <edge id="{index}" source="{_xml(left)}" target="{_xml(right)}" weight="{weight}"/>'
              for index, ((left, right), weight) in enumerate(sorted(edges.items()))]
    lines.append("    </edges>\n  </graph>\n</gexf>\n")
    return "\n".join(lines)


def _md(value: object) -> str:
    """Scraped text made inert in Markdown: markup characters escaped, HTML brackets as entities."""
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return _MARKDOWN_LINE_START.sub(r"\\\1", text)


def _dossier(store: Store, narrative_id: str | None) -> Record:
    if not narrative_id:
        raise NarrascopeError("a dossier is about one narrative: pass --narrative ID (see `narrascope narratives`)")
    record = views.narrative_detail(store, narrative_id)
    if record is None:
        raise NarrascopeError(f"no narrative {narrative_id!r}; list them with `narrascope narratives`")
    return record


def _citation(claim: Record) -> str:
    return (f"{claim['outlet'] or 'unknown outlet'}, {claim['published'] or 'undated'}, article {claim['article_id']},"
            f" {claim['section']} characters {claim['start']}-{claim['end']}")


def _citation_md(claim: Record) -> str:
    return (f"{_md(claim['outlet'] or 'unknown outlet')}, {claim['published'] or 'undated'}, article "
            f"`{claim['article_id']}`, {claim['section']} characters {claim['start']}–{claim['end']}")


def dossier_markdown(record: Record) -> str:
    """A narrative dossier in Markdown: every claim quoted with its speaker and full citation."""
    lines = [f"# Narrative dossier: {_md(record['label'])}", "",
             f"- Narrative id: `{record['id']}`",
             f"- Seen: {record['first_seen'] or 'undated'} to {record['last_seen'] or 'undated'}",
             f"- Claims: {record['claim_count']} in {len(record['article_ids'])} articles",
             f"- Key terms: {_md(', '.join(record['key_terms']))}",
             f"- Speakers: {_md(', '.join(str(s['name']) for s in record['speakers']))}",
             f"- Outlets: {_md(', '.join(o['name'] for o in record['outlets']))}", ""]
    for number, cluster in enumerate(record["clusters"], 1):
        lines += [f"## Statement {number}: {_md(cluster['label'])}", ""]
        for claim in cluster["claims"]:
            lines += [f"> {_md(claim['text'])}", "",
                      f"— {_md(claim['speaker'] or 'unattributed')} ({_md(claim['cue'])}), in "
                      f"*{_md(claim['article_title'] or 'untitled')}*: {_citation_md(claim)}"
                      + (f"; relayed from {_md(claim['cited_source'])}" if claim["cited_source"] else ""), ""]
    lines += ["## Timeline", ""]
    lines += [f"{index}. {claim['published'] or 'undated'} — {_md(claim['outlet'] or '-')} — "
              f"{_md(claim['speaker'] or '-')}: {_md(claim['text'])} ({_citation_md(claim)})"
              for index, claim in enumerate(record["timeline"], 1)]
    return "\n".join(lines) + "\n"


_DOSSIER_ENVIRONMENT = Environment(loader=PackageLoader("narrascope.web", "templates"), autoescape=True,
                                   undefined=StrictUndefined)


def dossier_html(record: Record) -> str:
    """A narrative dossier as one self-contained HTML file (autoescaped, no scripts)."""
    return _DOSSIER_ENVIRONMENT.get_template("dossier.html").render(data=record, citation=_citation)


def export(store: Store, kind: str, *, narrative_id: str | None = None, limit: int = 10_000_000) -> str:
    """Render one export kind (see KINDS) over the whole database or one narrative.

    Raises:
        NarrascopeError: unknown kind, missing or unknown narrative.
    """
    builders: dict[str, Callable[[], str]] = {
        "claims-csv": lambda: to_csv(claim_rows(store, narrative_id, limit), CLAIM_FIELDS),
        "claims-jsonl": lambda: to_jsonl(claim_rows(store, narrative_id, limit), CLAIM_FIELDS),
        "articles-csv": lambda: to_csv(article_rows(store, narrative_id, limit), ARTICLE_FIELDS),
        "articles-jsonl": lambda: to_jsonl(article_rows(store, narrative_id, limit), ARTICLE_FIELDS),
        "gexf": lambda: graph_gexf(store, narrative_id),
        "dossier-md": lambda: dossier_markdown(_dossier(store, narrative_id)),
        "dossier-html": lambda: dossier_html(_dossier(store, narrative_id)),
    }
    if kind not in builders:
        raise NarrascopeError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    return builders[kind]()
