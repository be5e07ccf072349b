"""Print the attribution errors on PolNeAR (train by default): misses and false claims with context.

Parses each article once and keeps the parses in a DocBin cache file, so rule changes can be
re-checked in seconds. Develop on train; dev is for reporting only.

Usage: .venv/bin/python bench/quote_errors.py [--split train] [--limit 120] [--show fn,fp,speaker]
       [--only direct|reported] [--cache /tmp/polnear_train.spacy] [--max 80]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from narrascope.claims import extract_claims, load_nlp
from narrascope.claims.cues import is_speech_cue
from narrascope.claims.normalise import parser_text
from narrascope.evaluation.quotes import (
    DEFAULT_TAR,
    GoldArticle,
    QuoteScores,
    _is_direct,
    _match,
    load_polnear,
    score_article,
    speaker_matches,
)
from narrascope.models import Article, Claim


class CachedNlp:
    """A stand-in for the pipeline that answers texts parsed before from a cache."""

    def __init__(self, nlp: Language, docs: dict[str, Doc]) -> None:
        self.nlp = nlp
        self.docs = docs

    def __call__(self, text: str) -> Doc:
        doc = self.docs.get(text)
        if doc is None:
            doc = self.nlp(text)
            self.docs[text] = doc
        return doc

    def __getattr__(self, name: str) -> object:
        return getattr(self.nlp, name)


def cached_docs(nlp: Language, texts: list[str], cache: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    if cache.is_file():
        for doc in DocBin().from_disk(cache).get_docs(nlp.vocab):
            docs[doc.text] = doc
    missing = [t for t in texts if t not in docs]
    if missing:
        for doc in nlp.pipe(missing, batch_size=8):
            docs[doc.text] = doc
        store = DocBin(attrs=["ORTH", "LEMMA", "TAG", "POS", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"])
        for doc in docs.values():
            store.add(doc)
        store.to_disk(cache)
    return docs


def _context(text: str, start: int, end: int, width: int = 120) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"...{left}[[{text[start:end]}]]{right}..."


def _print_article(gold: GoldArticle, claims: list[Claim], show: set[str], only: str | None) -> None:
    text = gold.text
    body = [c for c in claims if c.section == "body"]
    headline = [
        c for c in claims if c.section == "title" and not any(b.start < c.end and c.start < b.end for b in body)
    ]
    claims = headline + body
    matches = dict(_match(text, claims, gold.attributions))
    matched_gold = {j: i for i, j in matches.items()}
    for j, attribution in enumerate(gold.attributions):
        is_direct = _is_direct(text, attribution)
        if not is_speech_cue(attribution.cue) or (only and (only == "direct") != is_direct):
            continue
        if j not in matched_gold and "fn" in show:
            overlapping = [c for c in claims if c.start < attribution.end and attribution.start < c.end]
            print(f"FN {gold.name} cue={attribution.cue!r} src={attribution.source!r}")
            print("   " + _context(text, attribution.start, attribution.end, 80))
            for claim in overlapping:
                print(f"   pred: cue={claim.cue!r} {text[claim.start : claim.end]!r}")
        elif j in matched_gold and "speaker" in show and attribution.source:
            claim = claims[matched_gold[j]]
            if not speaker_matches(claim.speaker, attribution, claim.speaker_mention):
                print(
                    f"SPK {gold.name} pred={claim.speaker!r} mention={claim.speaker_mention!r} "
                    f"gold={attribution.source!r} ante={attribution.antecedent!r}"
                )
                print("   " + _context(text, claim.start, claim.end, 60)[:400])
    if "fp" in show:
        for i, claim in enumerate(claims):
            is_direct = claim.kind == "direct"
            if i in matches or not is_speech_cue(claim.cue) or (only and (only == "direct") != is_direct):
                continue
            print(f"FP {gold.name} cue={claim.cue!r} speaker={claim.speaker!r} kind={claim.kind}")
            print("   " + _context(text, claim.start, claim.end, 80))
            nearby = [g for g in gold.attributions if g.start < claim.end and claim.start < g.end]
            for attribution in nearby:
                spans = " | ".join(text[s:e] for s, e in attribution.spans)
                print(f"   gold: cue={attribution.cue!r} {spans!r}")


def main() -> int:
    """Print errors and the scores of the articles looked at."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="train")
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("--show", default="fn,fp")
    parser.add_argument("--only", choices=["direct", "reported"], default=None)
    parser.add_argument("--cache", default=None)
    parser.add_argument("--quiet", action="store_true", help="scores only")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    articles = load_polnear(arguments.split, tar_path=DEFAULT_TAR, limit=arguments.limit)
    nlp = load_nlp()
    cache = Path(arguments.cache or f"/tmp/polnear_{arguments.split}_{arguments.limit}.spacy")
    docs = cached_docs(nlp, [parser_text(a.text) for a in articles], cache)
    cached = CachedNlp(nlp, docs)
    scores = QuoteScores()
    show = set(arguments.show.split(","))
    for gold in articles:
        title = gold.text.split("\n", 1)[0]
        article = Article(gold.name, gold.name, None, title, None, None, None, "en", gold.text, gold.text)
        claims = extract_claims(article, cached)  # type: ignore[arg-type]
        score_article(gold, claims, scores)
        if not arguments.quiet:
            _print_article(gold, claims, show, arguments.only)
    for name, values in scores.report().items():
        print(name, values)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
