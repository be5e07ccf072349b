"""Typed records passed between pipeline stages.

Every stage after ingest is a pure function over these frozen dataclasses; only
`ingest` and `store` do I/O. Offsets (`start`, `end`) are character offsets into
`Article.body` unless a record says otherwise, so every figure traces to the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PageKind = Literal["text", "html"]
ClaimKind = Literal["direct", "reported"]
SpeakerKind = Literal["person", "organization"]
ClaimSection = Literal["body", "title"]


@dataclass(frozen=True)
class RawPage:
    """One page as the user collected it, decoded to text.

    `id` is the sha256 of the page's bytes (after gzip decompression), so the
    same page ingested twice gets the same id.
    """

    id: str
    source: str
    kind: PageKind
    text: str
    url: str | None = None
    fetched_at: str | None = None
    encoding: str = "utf-8"
    encoding_confidence: float | None = None  # 1.0: BOM or valid UTF-8; else charset detection's (1 - chaos)


@dataclass(frozen=True)
class CleanedPage:
    """The article body cut out of a page, with the page text around it.

    `header` is the page text above the body (where titles, bylines and dates
    usually are); `footer` is the text below it. For HTML pages both hold the
    page rendered as text lines.
    """

    body: str
    header: str = ""
    footer: str = ""


@dataclass(frozen=True)
class Metadata:
    """What a page says about its article."""

    title: str | None
    outlet: str | None
    published: str | None  # ISO YYYY-MM-DD, only when the page gives it
    author: str | None
    language: str | None


@dataclass(frozen=True)
class Article:
    """A cleaned article with its metadata; `page_text` is the page as ingested."""

    id: str
    source: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    author: str | None
    language: str | None
    body: str
    page_text: str


@dataclass(frozen=True)
class Claim:
    """Something a speaker said, with the evidence span it was read from.

    `speaker` is the resolved name inside the article ("Pavel Ivanov" for a
    "he added"); `speaker_mention` is the words that point at the speaker in
    the sentence ("he", "the Russian top defense official"). `start`/`end`
    index `Article.body`, or `Article.title` when `section == "title"`.
    `cited_source` is a relay the article names ("Interfax", "Channel Nine"), kept
    apart from the speaker.
    """

    id: str
    article_id: str
    speaker: str | None
    speaker_mention: str | None
    speaker_kind: SpeakerKind | None
    speaker_role: str | None
    cue: str
    text: str
    kind: ClaimKind
    start: int
    end: int
    section: ClaimSection = "body"
    cited_source: str | None = None
    answers_claim_id: str | None = None  # the earlier claim in the article that this denial or rebuttal answers


@dataclass(frozen=True)
class SpeakerRole:
    """A title or role the articles give a speaker, with the dates of the articles that state it."""

    role: str
    first_seen: str | None  # ISO date of the earliest dated article stating it
    last_seen: str | None
    claims: int


@dataclass(frozen=True)
class Speaker:
    """One person or organisation across articles."""

    id: str
    name: str
    aliases: tuple[str, ...]
    role: str | None
    kind: SpeakerKind
    roles: tuple[SpeakerRole, ...] = ()  # every role seen, oldest first (a minister's role changes)


@dataclass(frozen=True)
class ClaimCluster:
    """The same statement reported again, possibly in other words."""

    id: str
    label: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class Narrative:
    """Claims that tell one story across speakers, outlets and time."""

    id: str
    label: str
    key_terms: tuple[str, ...]
    claim_ids: tuple[str, ...]
    cluster_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    speaker_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    representative_claim_id: str | None = None


@dataclass(frozen=True)
class GroupChange:
    """A split, merge or dissolution of claim clusters or narratives between two runs (level: cluster|narrative)."""

    level: str
    kind: str  # split | merge | dissolved
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    claims: int  # claims that moved between the groups named
    recorded_at: str | None = None


@dataclass(frozen=True)
class ForeignEvidence:
    """A sentence of an article in a language without claims that joins a narrative through an English claim."""

    narrative_id: str
    article_id: str
    start: int  # character span in the article body
    end: int
    claim_id: str
    similarity: float


@dataclass(frozen=True)
class Rejection:
    """A page that could not be stored, with a typed reason and a human message."""

    source: str
    reason: str
    message: str


@dataclass(frozen=True)
class SpeakerResolution:
    """Speakers across articles and which speaker each claim belongs to."""

    speakers: tuple[Speaker, ...]
    speaker_of_claim: dict[str, str] = field(default_factory=dict)
