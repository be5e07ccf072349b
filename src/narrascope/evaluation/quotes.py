"""Score quote and speaker extraction against PolNeAR (Newell et al., LREC 2018).

Reads the brat standoff files straight from the tar.gz (nothing is extracted), runs
`extract_claims` on each article and reports content-span precision/recall/F1 (a claim
matches a gold Content when the words they share cover at least half of the longer of the
two; one-to-one, greedy) and speaker accuracy on matched pairs, for all attributions and
for speech attributions (cue a verb of saying or "according to"), direct and reported.
"""

from __future__ import annotations

import logging
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.claims.cues import is_speech_cue
from narrascope.models import Article, Claim

logger = logging.getLogger(__name__)

DEFAULT_TAR = Path(__file__).resolve().parents[4] / "shared/data/quotes/polnear/polnear_train_dev.tar.gz"
_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset(
    ("he", "she", "they", "it", "i", "we", "him", "her", "them", "his", "their", "its", "who", "which", "that")
)
_QUOTE_MARKS = "\"“”«»‘’'"
_STOP = frozenset(("the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "jr", "sr"))


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: content spans, source text (with antecedent for pronouns), cue."""

    spans: tuple[tuple[int, int], ...]
    source: str
    antecedent: str
    cue: str

    @property
    def start(self) -> int:
        """Return the first offset of the content."""
        return self.spans[0][0]

    @property
    def end(self) -> int:
        """Return the last offset of the content."""
        return self.spans[-1][1]


@dataclass(frozen=True)
class GoldArticle:
    """One PolNeAR article and its attributions."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


@dataclass
class Counts:
    """Matched and total counts for one slice of the data."""

    predicted: int = 0
    gold: int = 0
    matched_predicted: int = 0
    matched_gold: int = 0
    speaker_checked: int = 0
    speaker_right: int = 0

    def scores(self) -> dict[str, float]:
        """Return precision, recall, F1 and speaker accuracy."""
        precision = self.matched_predicted / self.predicted if self.predicted else 0.0
        recall = self.matched_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = self.speaker_right / self.speaker_checked if self.speaker_checked else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "speaker_accuracy": round(accuracy, 4),
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched_gold,
        }


@dataclass
class QuoteScores:
    """Counts per slice: all, speech, direct, reported (speech slices for the last two)."""

    slices: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name in ("all", "speech", "direct", "reported")}
    )
    articles: int = 0

    def report(self) -> dict[str, dict[str, float]]:
        """Return the scores of every slice."""
        return {name: counts.scores() for name, counts in self.slices.items()}


def _parse_ann(text: str, body: str) -> tuple[GoldAttribution, ...]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offsets = parts[1].partition(" ")
            pairs = []
            for piece in offsets.split(";"):
                numbers = piece.split()
                if len(numbers) == 2:
                    pairs.append((int(numbers[0]), int(numbers[1])))
            spans[parts[0]] = (kind, tuple(pairs))
        elif line.startswith("E") and len(parts) >= 2:
            roles: dict[str, list[str]] = {}
            for item in parts[1].split():
                role, _, ref = item.partition(":")
                roles.setdefault(role, []).append(ref)
            events.append(roles)
    sources: list[tuple[int, str]] = []
    for roles in events:
        for ref in roles.get("Source", []):
            if ref in spans:
                start = spans[ref][1][0][0]
                sources.append((start, " ".join(body[s:e] for s, e in spans[ref][1])))
    sources.sort()
    gold: list[GoldAttribution] = []
    for roles in events:
        content = [p for ref in roles.get("Content", []) if ref in spans for p in spans[ref][1]]
        if not content:
            continue
        source = " ".join(body[s:e] for ref in roles.get("Source", []) if ref in spans for s, e in spans[ref][1])
        cue = " ".join(body[s:e] for ref in roles.get("Cue", []) if ref in spans for s, e in spans[ref][1])
        antecedent = source
        if source and all(w.lower() in _PRONOUNS for w in _WORD.findall(source)):
            # No coreference is annotated: take the latest named source before it.
            before = [text for start, text in sources if start < content[0][0] and _is_named(text)]
            antecedent = before[-1] if before else source
        gold.append(GoldAttribution(tuple(sorted(content)), source, antecedent, cue))
    return tuple(gold)


def _is_named(text: str) -> bool:
    return any(word[:1].isupper() and word.lower() not in _PRONOUNS for word in _WORD.findall(text))


def load_polnear(split: str = "dev", tar_path: Path = DEFAULT_TAR, limit: int | None = None) -> list[GoldArticle]:
    """Return PolNeAR articles of a split (one annotator's file per article), in name order."""
    texts: dict[str, str] = {}
    annotations: dict[str, str] = {}
    with tarfile.open(tar_path, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or f"/{split}/" not in member.name:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            content = handle.read().decode("utf-8")
            stem = Path(member.name).stem
            if "/text/" in member.name:
                texts[stem] = content
            elif "/attributions/" in member.name and member.name.endswith(".ann"):
                article = stem.rsplit("_", 1)[0]
                if article not in annotations or stem < annotations[article].split("\n", 1)[0]:
                    annotations[article] = f"{stem}\n{content}"
    names = sorted(name for name in texts if name in annotations)[:limit]
    return [
        GoldArticle(name, texts[name], _parse_ann(annotations[name].split("\n", 1)[1], texts[name])) for name in names
    ]


def _words(text: str, start: int, end: int) -> set[int]:
    return {m.start() + start for m in _WORD.finditer(text[start:end])}


def _is_direct(text: str, gold: GoldAttribution) -> bool:
    inner = " ".join(text[s:e] for s, e in gold.spans).strip(" ,.;:")
    return bool(inner) and inner[0] in _QUOTE_MARKS and inner[-1] in _QUOTE_MARKS


def _has_proper_name(text: str) -> bool:
    words = _WORD.findall(text)
    return any(w[:1].isupper() for w in words[1:]) or bool(words and words[0][:1].isupper() and len(words) == 1)


def speaker_matches(speaker: str | None, gold: GoldAttribution, mention: str | None = None) -> bool:
    """Return whether a resolved speaker names the gold source (or a pronoun's antecedent).

    A gold source without a proper name ("the judge", "a news report") cannot check a name
    the extractor resolved it to, so there the extractor's mention must be the same words.
    """
    source_is_pronoun = all(w.lower() in _PRONOUNS for w in _WORD.findall(gold.source))
    if mention and not source_is_pronoun and not _has_proper_name(gold.source):
        said = {w.lower() for w in _WORD.findall(mention)} - _STOP
        annotated = {w.lower() for w in _WORD.findall(gold.source)} - _STOP
        if annotated and len(said & annotated) >= 0.5 * len(annotated):
            return True
    if not speaker:
        return False
    wanted = {w.lower() for w in _WORD.findall(speaker)} - _STOP
    if not wanted:
        return False
    names = [w.lower() for w in _WORD.findall(speaker) if w.lower() not in _STOP]
    surname = names[-1]
    source_words = {w.lower() for w in _WORD.findall(f"{gold.source} {gold.antecedent}")}
    return surname in source_words or len(wanted & source_words) >= max(1, len(wanted) // 2 + 1)


def _match(text: str, claims: list[Claim], gold: tuple[GoldAttribution, ...]) -> list[tuple[int, int]]:
    predicted = [_words(text, c.start, c.end) for c in claims]
    expected = [set().union(*(_words(text, s, e) for s, e in g.spans)) for g in gold]
    pairs: list[tuple[float, int, int]] = []
    for i, words in enumerate(predicted):
        for j, gold_words in enumerate(expected):
            shared = len(words & gold_words)
            longer = max(len(words), len(gold_words))
            if longer and shared >= 0.5 * longer:
                pairs.append((shared / longer, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matches.append((i, j))
    return matches


def score_article(gold_article: GoldArticle, claims: list[Claim], scores: QuoteScores) -> None:
    """Add one article's predictions to the running counts."""
    text = gold_article.text
    body = [c for c in claims if c.section == "body"]
    # PolNeAR texts start with the headline, so a headline claim's offsets are text offsets too.
    headline = [
        c for c in claims if c.section == "title" and not any(b.start < c.end and c.start < b.end for b in body)
    ]
    claims = headline + body
    gold = gold_article.attributions
    matches = dict(_match(text, claims, gold))
    matched_gold = {j: i for i, j in matches.items()}
    for slice_name, counts in scores.slices.items():
        for i, claim in enumerate(claims):
            if _in_slice(slice_name, claim.kind == "direct", is_speech_cue(claim.cue)):
                counts.predicted += 1
                counts.matched_predicted += i in matches
        for j, attribution in enumerate(gold):
            if not _in_slice(slice_name, _is_direct(text, attribution), is_speech_cue(attribution.cue)):
                continue
            counts.gold += 1
            if j in matched_gold:
                counts.matched_gold += 1
                if attribution.source:
                    counts.speaker_checked += 1
                    predicted = claims[matched_gold[j]]
                    counts.speaker_right += speaker_matches(predicted.speaker, attribution, predicted.speaker_mention)
    scores.articles += 1


def _in_slice(name: str, is_direct: bool, is_speech: bool) -> bool:
    if name == "all":
        return True
    if not is_speech:
        return False
    return name == "speech" or (name == "direct") == is_direct


def iter_claims(articles: list[GoldArticle], nlp: Language) -> Iterator[tuple[GoldArticle, list[Claim]]]:
    """Yield each gold article with the claims extracted from its text."""
    for gold in articles:
        title = gold.text.split("\n", 1)[0]
        article = Article(gold.name, gold.name, None, title, None, None, None, "en", gold.text, gold.text)
        yield gold, extract_claims(article, nlp)


def evaluate(articles: list[GoldArticle], nlp: Language) -> QuoteScores:
    """Return the scores of `extract_claims` over gold articles.

    Example:
        >>> evaluate(load_polnear("dev", limit=60), load_nlp()).report()  # doctest: +SKIP
    """
    scores = QuoteScores()
    for gold, claims in iter_claims(articles, nlp):
        score_article(gold, claims, scores)
    logger.info("scored %d articles", scores.articles)
    return scores
