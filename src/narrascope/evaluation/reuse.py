"""Score text reuse on labelled page pairs built from real renderings, nothing copied into the repository.

- copy: the same page rendered by two tools (inscriptis `text/` and w3m `text-w3m/`): true reuse;
- lifted: a page with one paragraph of another page appended: true reuse, and the found passage
  must cover the lifted paragraph (span check on both sides);
- unrelated: two different pages: no reuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrascope.ingest import page_from_text
from narrascope.models import Article
from narrascope.reuse import shared_passages

_LIFT_MIN_WORDS = 40


@dataclass(frozen=True)
class ReusePair:
    """Two texts and whether they share a passage; `lifted` is the span of the lifted paragraph in `b`."""

    kind: str
    name_a: str
    name_b: str
    a: str
    b: str
    reused: bool
    lifted: tuple[int, int] | None = None
    lifted_from: tuple[int, int] | None = None


def _article(name: str, text: str) -> Article:
    page = page_from_text(name, text)
    return Article(page.id, name, None, None, None, None, None, "en", text, text)


def _longest_paragraph(text: str) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    offset = 0
    for block in text.split("\n\n"):
        start = offset + len(block) - len(block.lstrip())
        if len(block.split()) >= _LIFT_MIN_WORDS and (best is None or len(block.strip()) > best[1] - best[0]):
            best = (start, start + len(block.strip()))
        offset += len(block) + 2
    return best


def reuse_pairs(folder: Path, limit: int) -> list[ReusePair]:
    """Labelled pairs from the first `limit` pages (by name) of an extraction folder with text/ and text-w3m/."""
    names = sorted(p.name for p in (folder / "text").glob("*.txt") if (folder / "text-w3m" / p.name).is_file())[:limit]
    texts = {name: (folder / "text" / name).read_text(encoding="utf-8", errors="replace") for name in names}
    pairs: list[ReusePair] = []
    for index, name in enumerate(names):
        other = names[(index + 1) % len(names)]
        w3m = (folder / "text-w3m" / name).read_text(encoding="utf-8", errors="replace")
        pairs.append(ReusePair("copy", f"text/{name}", f"text-w3m/{name}", texts[name], w3m, True))
        pairs.append(ReusePair("unrelated", f"text/{name}", f"text/{other}", texts[name], texts[other], False))
        paragraph = _longest_paragraph(texts[other])
        if paragraph:
            host = texts[name].rstrip() + "\n\n"
            lifted = texts[other][paragraph[0]:paragraph[1]]
            pairs.append(ReusePair("lifted", f"text/{other}", f"text/{name}+lifted", texts[other], host + lifted,
                                   True, (len(host), len(host) + len(lifted)), paragraph))
    return pairs


def _covers(found: tuple[int, int], wanted: tuple[int, int], share: float = 0.8) -> bool:
    overlap = max(0, min(found[1], wanted[1]) - max(found[0], wanted[0]))
    return overlap >= share * (wanted[1] - wanted[0])


def score_reuse(pairs: list[ReusePair]) -> dict[str, Any]:
    """Pair-level precision/recall/F1 of "shares a passage", and span coverage of lifted paragraphs."""
    tp = fp = fn = tn = spans_ok = lifted = 0
    by_kind: dict[str, list[int]] = {}
    for pair in pairs:
        a, b = _article(pair.name_a, pair.a), _article(pair.name_b, pair.b)
        passages = shared_passages([a, b]) if a.id != b.id else []
        found = bool(passages)
        by_kind.setdefault(pair.kind, [0, 0])[0] += int(found == pair.reused)
        by_kind[pair.kind][1] += 1
        tp, fp = tp + int(found and pair.reused), fp + int(found and not pair.reused)
        fn, tn = fn + int(not found and pair.reused), tn + int(not found and not pair.reused)
        if pair.lifted and pair.lifted_from:
            lifted += 1
            sides = [((p.start_a, p.end_a), (p.start_b, p.end_b)) if p.article_a == a.id
                     else ((p.start_b, p.end_b), (p.start_a, p.end_a)) for p in passages]
            spans_ok += int(any(_covers(on_a, pair.lifted_from) and _covers(on_b, pair.lifted) for on_a, on_b in sides))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "pairs": len(pairs), "precision": round(precision, 3), "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "correct_by_kind": {kind: f"{ok}/{total}" for kind, (ok, total) in sorted(by_kind.items())},
        "lifted_spans_covered": f"{spans_ok}/{lifted}",
    }
