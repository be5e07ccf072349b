"""Plain-text renderings of the records the CLI prints (its `--json` output is the records themselves)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, TextIO

from narrascope.models import GroupChange

_COLUMNS: dict[str, tuple[tuple[str, int], ...]] = {
    "articles": (("id", 16), ("published", 10), ("outlet", 22), ("title", 70)),
    "claims": (("speaker", 28), ("cue", 12), ("kind", 8), ("text", 90)),
    "speakers": (("name", 34), ("kind", 12), ("claims", 6), ("role", 40)),
    "narratives": (("first_seen", 10), ("last_seen", 10), ("articles", 8), ("outlets", 40), ("label", 80)),
    "reuse": (("words", 6), ("source_id", 16), ("outlet_a", 22), ("outlet_b", 22), ("text", 80)),
    "outlets": (("outlet", 30), ("articles", 8), ("first_published", 15), ("stance_mix", 36), ("narratives", 60)),
}


def print_history(changes: Sequence[GroupChange], out: TextIO) -> None:
    """`narrascope narratives history`: one line per recorded split, merge or dissolution."""
    for change in changes:
        out.write(f"{change.recorded_at}  {change.level:9} {change.kind:9} {', '.join(change.old_ids) or '-'}"
                  f" -> {', '.join(change.new_ids) or '-'}  ({change.claims} claims)\n")
    out.write(f"({len(changes)} changes)\n")


def print_timeline(record: dict[str, Any], out: TextIO) -> None:
    """`narrascope timeline`: articles, statements by when made, relays, reuse and counter-claims."""
    out.write(f"{record['label']}\nfirst seen {record['first_seen'] or '-'}, last seen {record['last_seen'] or '-'}\n"
              "\nARTICLES\n")
    for article in record["articles"]:
        out.write(f"  {article['published'] or 'undated':10}  {article['outlet'] or '-':22.22}  "
                  f"{article['title'] or '-'}\n")
    out.write("\nSTATEMENTS (when made)\n")
    for item in record["statements"]:
        flag = "?" if item["stated_flagged"] else " "
        where = f" at {item['event']}" if item["event"] else ""
        out.write(f"  {item['stated_on'] or 'undated':10}{flag} {item['speaker'] or '-':22.22} "
                  f"{' '.join(item['text'].split())[:70]}{where[:60]}\n")
    out.write("\nRELAYS (speaker -> cited source -> outlet)\n")
    for relay in record["relays"]:
        out.write(f"  {relay['speaker']} -> {relay['cited_source']} -> {relay['outlet'] or '-'} "
                  f"({relay['published'] or 'undated'})\n")
    out.write("\nTEXT REUSE\n")
    for reuse in record["reuse"]:
        out.write(f"  {reuse['words']} words: {reuse['a']['outlet'] or reuse['a']['article_id']} "
                  f"({reuse['a']['published'] or 'undated'}) ~ {reuse['b']['outlet'] or reuse['b']['article_id']} "
                  f"({reuse['b']['published'] or 'undated'}): {' '.join(reuse['a']['text'].split())[:70]}\n")
    out.write("\nCOUNTER-CLAIMS\n")
    for item in record["counter_claims"]:
        out.write(f"  {item['speaker'] or '-'}: {' '.join(item['text'].split())[:80]} ({item['counter']})\n")


def _cell(record: dict[str, Any], column: str) -> str:
    value = record.get(column)
    if column in {"outlet_a", "outlet_b"}:
        value = record[column[-1]]["outlet"] or record[column[-1]]["article_id"]
    if column == "text" and "a" in record:
        value = record["a"]["text"]
    if column == "narratives" and isinstance(value, list):
        value = [f"{n['label'][:40]} ({'first' if n['is_first'] else _days_late(n['days_after_first_seen'])})"
                 for n in value]
    if column == "stance_mix" and isinstance(value, dict):
        value = ", ".join(f"{count} {label.replace('_', ' ')}" for label, count in value.items())
    if column == "articles" and "article_ids" in record:
        value = len(record["article_ids"])
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return "-" if value is None or value == "" else " ".join(str(value).split())


def _days_late(days: int | None) -> str:
    return "undated" if days is None else f"+{days} days"


def print_table(kind: str, records: list[dict[str, Any]], out: TextIO) -> None:
    """A list command's records as a fixed-width table (narratives also with timeline and stance)."""
    columns = _COLUMNS[kind]
    width = os.get_terminal_size(out.fileno()).columns if out.isatty() else 10_000
    out.write("  ".join(name.upper().ljust(size) for name, size in columns)[:width].rstrip() + "\n")
    for record in records:
        cells = []
        for name, size in columns:
            text = _cell(record, name)
            cells.append((text if len(text) <= size else text[: size - 1] + "…").ljust(size))
        out.write("  ".join(cells).rstrip()[:width] + "\n")
    if kind == "narratives":
        for record in records:
            out.write(f"\n{record['label']}\n  terms: {', '.join(record['key_terms'])}\n"
                      f"  speakers: {', '.join(record['speakers'])}\n"
                      "  statements by when they were made (? = year inferred or no date to anchor it):\n")
            for item in record["timeline"]:
                mark = "counter " if item["counter"] else ""
                when = (item["stated_on"] or "undated") + ("?" if item["stated_flagged"] else "")
                out.write(f"  {when:11} {item['outlet'] or '-':20.20}  "
                          f"{item['speaker'] or '-':22.22}  {mark}{' '.join(item['text'].split())[:80]}\n")
            out.write("  stance of each article (deciding sentences):\n")
            for stance in record["stance"]:
                room = ", gives counter-claims room" if stance["counter_room"] else ""
                out.write(f"  {stance['article_id'][:16]}  {stance['stance']}{room}\n")
                for item in stance["evidence"]:
                    out.write(f"      {item['role']:9} [{item['start']}:{item['end']}] "
                              f"{' '.join(item['text'].split())[:90]}\n")
    out.write(f"({len(records)} {kind})\n")
