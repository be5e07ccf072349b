"""A user's catalogue of known narratives (TOML or YAML), matched against claims and articles.

Analysts keep their own list of known narratives, as EUvsDisinfo and NewsGuard do by hand (issue 9).
A catalogue file lists entries with a name, a description, example claims and an optional parent::

    threshold = 0.45          # optional: cosine at which an entry matches (confidence 0.5)

    [[narratives]]
    name = "Discrediting Ukraine"
    description = "Ukraine, its government or its army are portrayed as corrupt, criminal or hopeless."
    examples = ["Kyiv is run by a corrupt clique", "Ukraine's army is collapsing"]

    [[narratives]]
    name = "Ukraine is associated with nazism"
    parent = "Discrediting Ukraine"
    examples = ["The Kyiv regime glorifies Nazi collaborators"]

The same structure works in YAML (a top-level ``narratives:`` list). Matching embeds every probe of an
entry (its name, description and examples) and every passage of a text, and keeps the best pair: the
evidence says which probe matched which words, and with what similarity.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from narrascope.errors import NarrascopeError
from narrascope.narratives.passages import split_passages

Vectors = npt.NDArray[np.float32]
EmbedFunction = Callable[[list[str]], Vectors]
ProbeKind = Literal["name", "description", "example"]

# Cosine of all-MiniLM-L6-v2 at which a probe and a passage say the same kind of thing: on SemEval-2025
# Task 10 label texts against article sentences, true pairs mostly sit above 0.45 (bench/eval_narratives.py).
DEFAULT_THRESHOLD = 0.45
# Width of the logistic that turns a cosine into a confidence: 0.05 cosine above the threshold is ~0.73.
CONFIDENCE_SCALE = 0.05
_ENTRY_KEYS = frozenset({"name", "description", "examples", "parent", "id"})
_TOP_KEYS = frozenset({"narratives", "threshold", "model"})


class CatalogueError(NarrascopeError):
    """A catalogue file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One known narrative."""

    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    parent: str | None = None

    def probes(self) -> list[tuple[ProbeKind, str]]:
        """Texts that stand for this entry: its name (last part), description and examples."""
        short_name = self.name.rsplit(": ", 1)[-1].strip()
        probes: list[tuple[ProbeKind, str]] = [("name", short_name)] if short_name else []
        if self.description:
            probes.append(("description", self.description))
        probes.extend(("example", example) for example in self.examples)
        return probes


@dataclass(frozen=True)
class Catalogue:
    """Entries in file order; parents always name another entry."""

    entries: tuple[CatalogueEntry, ...]
    source: str = "<memory>"
    threshold: float = DEFAULT_THRESHOLD
    model: str | None = None

    def entry(self, name: str) -> CatalogueEntry:
        """The entry called `name` (KeyError when absent)."""
        for candidate in self.entries:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def ancestors(self, name: str) -> list[str]:
        """Parent, grandparent, ... of an entry."""
        chain: list[str] = []
        parent = self.entry(name).parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.entry(parent).parent
        return chain

    def children(self, name: str) -> list[str]:
        """Entries whose parent is `name`."""
        return [entry.name for entry in self.entries if entry.parent == name]


@dataclass(frozen=True)
class Evidence:
    """Why an entry matched: which words of which text met which probe of the entry."""

    text_index: int
    passage: str
    probe: str
    probe_kind: ProbeKind
    similarity: float
    via: str | None = None  # the child entry that matched, when a parent is matched through it


@dataclass(frozen=True)
class CatalogueMatch:
    """An entry matched by a text (or an article), with a confidence in [0, 1] and its evidence."""

    name: str
    confidence: float
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and check a catalogue file.

    Args:
        path: a ``.toml`` file, or ``.yaml``/``.yml`` (needs PyYAML).

    Returns:
        The catalogue, entries in file order.

    Raises:
        CatalogueError: the file is missing, unparsable or malformed; the message names the file and says
            what to fix (for example ``narratives.toml: entry 3 ("Foo"): parent "Bar" is not in the catalogue``).

    Example:
        >>> catalogue = load_catalogue("narratives.toml")  # doctest: +SKIP
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise CatalogueError(f"{file}: cannot read the catalogue: {error.strerror or error}") from error
    suffix = file.suffix.lower()
    data: Any
    if suffix == ".toml":
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise CatalogueError(f"{file}: not valid TOML: {error}") from error
    elif suffix in {".yaml", ".yml"}:
        data = _load_yaml(file, raw)
    else:
        raise CatalogueError(f"{file}: unknown catalogue format {suffix or '(no suffix)'!r}: use .toml, .yaml or .yml")
    return catalogue_from_mapping(data, source=str(file))


def _load_yaml(file: Path, raw: bytes) -> Any:
    try:
        import yaml
    except ImportError as error:  # pragma: no cover - PyYAML is installed here
        raise CatalogueError(f"{file}: YAML catalogues need PyYAML (pip install PyYAML), or write TOML") from error
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{file}: not valid YAML: {error}") from error


def catalogue_from_mapping(data: Any, source: str = "<memory>") -> Catalogue:
    """Check parsed TOML/YAML data and build a Catalogue; errors name `source` and the entry."""
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{source}: the catalogue must be a table/mapping with a 'narratives' list")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise CatalogueError(f"{source}: unknown top-level key(s) {unknown}: expected {sorted(_TOP_KEYS)}")
    items = data.get("narratives")
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{source}: no narratives: add a non-empty 'narratives' list ([[narratives]] in TOML)")
    threshold = data.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not -1.0 <= threshold <= 1.0:
        raise CatalogueError(f"{source}: 'threshold' must be a number between -1 and 1, not {threshold!r}")
    model = data.get("model")
    if model is not None and not isinstance(model, str):
        raise CatalogueError(f"{source}: 'model' must be a string naming the embedding model")
    entries = [_entry(item, number, source) for number, item in enumerate(items, start=1)]
    _check_names(entries, source)
    return Catalogue(tuple(entries), source=source, threshold=float(threshold), model=model)


def _entry(item: Any, number: int, source: str) -> CatalogueEntry:
    where = f"{source}: entry {number}"
    if not isinstance(item, Mapping):
        raise CatalogueError(f"{where}: must be a table/mapping with at least a 'name'")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CatalogueError(f"{where}: 'name' is missing or empty")
    where = f"{where} ({name.strip()!r})"
    unknown = sorted(set(item) - _ENTRY_KEYS)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {unknown}: expected {sorted(_ENTRY_KEYS)}")
    description = item.get("description", "")
    if not isinstance(description, str):
        raise CatalogueError(f"{where}: 'description' must be a string")
    examples = item.get("examples", [])
    if isinstance(examples, str) or not isinstance(examples, list) or not all(
        isinstance(example, str) and example.strip() for example in examples
    ):
        raise CatalogueError(f"{where}: 'examples' must be a list of non-empty strings")
    parent = item.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise CatalogueError(f"{where}: 'parent' must be the name of another entry")
    return CatalogueEntry(
        name=name.strip(),
        description=" ".join(description.split()),
        examples=tuple(" ".join(example.split()) for example in examples),
        parent=parent.strip() if parent else None,
    )


def _check_names(entries: list[CatalogueEntry], source: str) -> None:
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if entry.name in seen:
            raise CatalogueError(f"{source}: entry {number}: name {entry.name!r} appears twice")
        seen.add(entry.name)
    parents = {entry.name: entry.parent for entry in entries}
    for number, entry in enumerate(entries, start=1):
        if entry.parent is None:
            continue
        if entry.parent not in parents:
            raise CatalogueError(
                f"{source}: entry {number} ({entry.name!r}): parent {entry.parent!r} is not in the catalogue"
            )
        chain = [entry.name]
        parent: str | None = entry.parent
        while parent is not None:
            if parent in chain:
                raise CatalogueError(f"{source}: entry {number} ({entry.name!r}): parents form a cycle: "
                                     + " -> ".join([*chain, parent]))
            chain.append(parent)
            parent = parents[parent]


def confidence(similarity: float, threshold: float) -> float:
    """A cosine turned into a confidence in [0, 1]: 0.5 at the threshold, logistic around it."""
    return 1.0 / (1.0 + math.exp(-(similarity - threshold) / CONFIDENCE_SCALE))


def match_catalogue(
    texts: Sequence[str], catalogue: Catalogue, embed: EmbedFunction, threshold: float | None = None
) -> list[list[CatalogueMatch]]:
    """Match each text (a claim, a sentence) against every catalogue entry.

    Each text is split into passages (whole text, sentences, clause windows) so that one clause of a long
    quote can match an example; an entry's score is its best passage-probe cosine. A matched entry also
    matches its ancestors (through it), so a sub-narrative always comes with its narrative.

    Args:
        texts: claims or sentences.
        catalogue: the known narratives.
        embed: texts -> unit vectors (the same model for probes and texts).
        threshold: cosine at which an entry matches; defaults to the catalogue's.

    Returns:
        For each text, the matched entries by decreasing confidence (empty when nothing matched).

    Example:
        >>> match_catalogue(["Kyiv glorifies Nazi collaborators"], catalogue, embed)  # doctest: +SKIP
        [[CatalogueMatch(name='Ukraine is associated with nazism', confidence=0.93, evidence=(...))]]
    """
    cut = catalogue.threshold if threshold is None else threshold
    scores = score_texts(texts, catalogue, embed)
    return [_matches(row, catalogue, cut) for row in scores]


@dataclass(frozen=True)
class EntryScore:
    """The best passage-probe pair of one text for one entry."""

    similarity: float
    evidence: Evidence


def score_texts(texts: Sequence[str], catalogue: Catalogue, embed: EmbedFunction) -> list[dict[str, EntryScore]]:
    """For each text, every entry's best similarity and the evidence for it (no threshold applied)."""
    if not texts:
        return []
    probes = [(entry.name, kind, text) for entry in catalogue.entries for kind, text in entry.probes()]
    probe_vectors = embed([text for _, _, text in probes])
    passages = split_passages([" ".join(text.split()) for text in texts])
    passage_vectors = embed([passage.text for passage in passages])
    similarity = passage_vectors @ probe_vectors.T
    rows: list[dict[str, EntryScore]] = [{} for _ in texts]
    for passage_number, passage in enumerate(passages):
        row = rows[passage.claim_index]
        best_of_entry: dict[str, int] = {}
        for probe_number, (name, _, _) in enumerate(probes):
            current = best_of_entry.get(name)
            if current is None or similarity[passage_number, probe_number] > similarity[passage_number, current]:
                best_of_entry[name] = probe_number
        for name, probe_number in best_of_entry.items():
            value = float(similarity[passage_number, probe_number])
            if name not in row or value > row[name].similarity:
                _, kind, probe_text = probes[probe_number]
                row[name] = EntryScore(value, Evidence(passage.claim_index, passage.text, probe_text, kind, value))
    return rows


def _matches(row: Mapping[str, EntryScore], catalogue: Catalogue, threshold: float) -> list[CatalogueMatch]:
    found: dict[str, CatalogueMatch] = {}
    for name, score in row.items():
        if score.similarity < threshold:
            continue
        found[name] = _better(found.get(name), CatalogueMatch(name, confidence(score.similarity, threshold),
                                                              (score.evidence,)))
        for ancestor in catalogue.ancestors(name):
            inherited = Evidence(score.evidence.text_index, score.evidence.passage, score.evidence.probe,
                                 score.evidence.probe_kind, score.similarity, via=name)
            found[ancestor] = _better(found.get(ancestor), CatalogueMatch(
                ancestor, confidence(score.similarity, threshold), (inherited,)))
    return sorted(found.values(), key=lambda match: (-match.confidence, match.name))


def _better(current: CatalogueMatch | None, candidate: CatalogueMatch) -> CatalogueMatch:
    return candidate if current is None or candidate.confidence > current.confidence else current


def match_article(
    sentences: Sequence[str], catalogue: Catalogue, embed: EmbedFunction, threshold: float | None = None,
    evidence_per_entry: int = 3,
) -> list[CatalogueMatch]:
    """Article-level labels from its claims or sentences.

    An entry's article confidence is its best text's confidence; the evidence keeps the
    `evidence_per_entry` strongest texts, so a reader sees every sentence that carried the narrative.

    Args:
        sentences: the article's claims or sentences (title first, if it has one).
        catalogue: the known narratives.
        embed: texts -> unit vectors.
        threshold: cosine at which an entry matches; defaults to the catalogue's.
        evidence_per_entry: how many supporting texts to keep per entry.

    Returns:
        The matched entries by decreasing confidence.
    """
    pooled: dict[str, list[CatalogueMatch]] = {}
    for matches in match_catalogue(sentences, catalogue, embed, threshold):
        for match in matches:
            pooled.setdefault(match.name, []).append(match)
    result: list[CatalogueMatch] = []
    for name, matches in pooled.items():
        matches.sort(key=lambda match: -match.confidence)
        evidence = tuple(item for match in matches[:evidence_per_entry] for item in match.evidence)
        result.append(CatalogueMatch(name, matches[0].confidence, evidence))
    return sorted(result, key=lambda match: (-match.confidence, match.name))
