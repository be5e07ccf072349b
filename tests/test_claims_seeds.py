"""Claims on the five seed pages: what a reader of each article expects to find."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.clean import clean_page
from narrascope.ingest import page_from_text
from narrascope.metadata import extract_metadata
from narrascope.models import Article, Claim

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}"),
]



def seed_article(prefix: str) -> Article:
    """Build a seed article the way the pipeline does: page -> clean -> metadata."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    page = page_from_text(str(path), path.read_text(encoding="utf-8"))
    cleaned = clean_page(page)
    meta = extract_metadata(page, cleaned)
    return Article(
        id=page.id,
        source=page.source,
        url=None,
        title=meta.title,
        outlet=meta.outlet,
        published=meta.published,
        author=meta.author,
        language=meta.language,
        body=cleaned.body,
        page_text=page.text,
    )


@pytest.fixture(scope="session")
def seed_claims(nlp: Language) -> dict[str, tuple[Article, list[Claim]]]:
    result = {}
    for prefix in ("000", "001", "002", "003", "004"):
        article = seed_article(prefix)
        result[prefix] = (article, extract_claims(article, nlp))
    return result


def one(claims: list[Claim], fragment: str) -> Claim:
    """Return the claim whose text contains `fragment` (exactly one must)."""
    found = [c for c in claims if fragment in c.text]
    assert len(found) == 1, f"{len(found)} claims contain {fragment!r}: {[c.text[:60] for c in claims]}"
    return found[0]


def test_claims_seeds_spans_index_the_text(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    for article, claims in seed_claims.values():
        assert claims
        for claim in claims:
            source = article.body if claim.section == "body" else article.title or ""
            assert source[claim.start : claim.end] == claim.text
            assert claim.article_id == article.id


def test_claims_seeds_ids_are_stable(nlp: Language, seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    article, claims = seed_claims["000"]
    again = extract_claims(article, nlp)
    assert [c.id for c in again] == [c.id for c in claims]
    assert len({c.id for c in claims}) == len(claims)


def test_claims_seeds_000_shoigu(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    _, claims = seed_claims["000"]
    lead = one(claims, "wants to destabilize Central Asia")
    assert (lead.speaker, lead.kind, lead.cue) == ("Sergey Shoigu", "reported", "said")
    assert lead.speaker_role == "Russian Defense Minister"
    for fragment, mention, cue in [
        ("intends to use the potential of these terrorist", "the Russian top defense official", "underlined"),
        ("redeployment of fighters from the controlled gangs", "he", "added"),
        ("it is important to coordinate efforts on the Afghan track", "he", "concluded"),
        ("their infiltration into neighboring countries is possible", "Shoigu", "underlined"),
    ]:
        claim = one(claims, fragment)
        assert claim.speaker == "Sergey Shoigu", fragment
        assert (claim.kind, claim.speaker_mention, claim.cue) == ("direct", mention, cue)
        assert claim.speaker_kind == "person"
    warned = one(claims, "could soon start making their way into neighboring states")
    assert (warned.speaker, warned.kind, warned.cue) == ("Sergey Shoigu", "reported", "warned")
    hotbed = one(claims, "Afghanistan remains a hotbed of instability")
    assert (hotbed.speaker, hotbed.kind, hotbed.cited_source) == ("Sergey Shoigu", "direct", "TASS")
    assert "The main threat comes from illegal armed groups" in hotbed.text


def test_claims_seeds_000_kabulov(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    _, claims = seed_claims["000"]
    quote = one(claims, "the Anglo-Saxons secretly sponsor the Daesh")
    assert (quote.speaker, quote.kind, quote.cue, quote.speaker_mention) == (
        "Zamir Kabulov",
        "direct",
        "stated",
        "Kabulov",
    )
    assert quote.text.startswith("Yes, there is such data")
    evidence = one(claims, "there was evidence showing that the US was attempting")
    assert (evidence.speaker, evidence.kind) == ("Zamir Kabulov", "reported")
    assert evidence.speaker_role is not None and "envoy" in evidence.speaker_role
    assert all(c.cited_source is None for c in claims if c is not one(claims, "hotbed of instability"))


def test_claims_seeds_001_lavrov_and_others(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    _, claims = seed_claims["001"]
    for fragment, kind in [
        ("the US and its allies are seeking to interfere", "reported"),
        ("the US allies are looking for excuses", "reported"),
        ("After fleeing Afghanistan following a twenty-year occupation", "direct"),
    ]:
        claim = one(claims, fragment)
        assert (claim.speaker, claim.kind) == ("Sergey Lavrov", kind), fragment
    said = one(claims, "After fleeing Afghanistan")
    assert (said.speaker_mention, said.cue) == ("The Russian Foreign Minister", "said")
    threat = one(claims, "remains undiminished")
    assert (threat.speaker, threat.cue) == ("Imangali Tasmagambetov", "claimed")
    water = one(claims, "could lead to inter-state conflicts")
    assert (water.speaker, water.kind) == ("Imangali Tasmagambetov", "direct")
    zazai = one(claims, "Terrorism is an international problem")
    assert (zazai.speaker, zazai.kind, zazai.speaker_role) == ("Edris Mohammadi Zazai", "direct", "a political analyst")
    assert "combated more effectively" in zazai.text
    dismissal = one(claims, "concerns about terrorism and narcotics")
    assert (dismissal.speaker, dismissal.speaker_kind, dismissal.cue) == (
        "Islamic Emirate",
        "organization",
        "dismissed",
    )


def test_claims_seeds_002_shoigu_and_taliban(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    article, claims = seed_claims["002"]
    for fragment, cue in [
        ("the main source of threats against member countries", "stated"),
        ("terrorist groups take refuge in Afghanistan", "stated"),
        ("the deployment of US military infrastructure in the region", "according to"),
        ("Washington is imposing a new security system", "highlighted"),
    ]:
        claim = one(claims, fragment)
        assert (claim.speaker, claim.cue, claim.kind) == ("Sergei Shoigu", cue, "reported"), fragment
    lead = one(claims, "the main source of threats against member countries")
    assert lead.speaker_mention == "Sergei Shoigu, the Defense Minister of Russia"  # not the dateline
    assert lead.speaker_role == "Defense Minister of Russia"
    headline = [c for c in claims if c.section == "title"]
    assert len(headline) == 1
    assert headline[0].text == "Security threats against regional countries originate from Afghanistan"
    assert (headline[0].speaker, headline[0].cue) == ("Sergei Shoigu", ":")
    assert article.title is not None and article.title[headline[0].start : headline[0].end] == headline[0].text
    mujahid = one(claims, "ISIS has no physical presence in Afghanistan")
    assert mujahid.speaker == "Mawlawi Mohammad Yaqoob Mujahid"
    denial = one(claims, "the presence of armed groups")
    assert (denial.speaker, denial.speaker_kind, denial.cue) == ("Taliban", "organization", "denies")


def test_claims_seeds_003_intelligence_service(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    _, claims = seed_claims["003"]
    service = "Russian Foreign Intelligence Service"
    statement = one(claims, "The emerging developments in the direction of normalizing")
    assert (statement.speaker, statement.speaker_kind, statement.cue) == (service, "organization", "said")
    adds = one(claims, "the long-term presence of Western countries")
    assert (adds.speaker, adds.speaker_mention, adds.cue) == (service, "the statement", "adds")
    framework = one(claims, "in the framework of the global confrontation with Russia")
    assert (framework.speaker, framework.kind) == (service, "direct")
    result = one(claims, "refusal to coordinate international cooperation")
    assert result.speaker == service


def test_claims_seeds_004_kabulov_relay_and_others(seed_claims: dict[str, tuple[Article, list[Claim]]]) -> None:
    _, claims = seed_claims["004"]
    supporting = one(claims, "US planners have been supporting Islamic State-Khorasan")
    assert (supporting.speaker, supporting.cue, supporting.kind) == ("Zamir Kabulov", "claimed", "reported")
    relay = one(claims, "the US has been reaching out to the Taliban")
    assert (relay.speaker, relay.cited_source, relay.cue) == ("Zamir Kabulov", "Press TV", "according to")
    daesh = one(claims, "the Anglo-Saxons are covertly sponsoring Daesh")
    assert (daesh.speaker, daesh.kind) == ("Zamir Kabulov", "direct")
    kirby = one(claims, "the prisoners were released by the Taliban")
    assert (kirby.speaker, kirby.cue, kirby.speaker_role) == ("John Kirby", "claimed", "US State Department spokesman")
    watchdog = one(claims, "A string of attacks has targeted foreigners")
    assert (watchdog.speaker, watchdog.speaker_kind) == ("Action on Armed Violence", "organization")
    isolated = one(claims, "Russia does not want Afghanistan to be isolated")
    assert (isolated.speaker, isolated.kind) == ("Zamir Kabulov", "direct")
    unsafe = one(claims, "The enemies are trying to make Afghanistan unsafe")
    assert (unsafe.speaker, unsafe.speaker_mention) == ("Zamir Kabulov", "he")
    stressed = one(claims, "Afghanistan can play an important role")
    assert (stressed.speaker, stressed.speaker_mention) == ("Zamir Kabulov", "The Russian envoy")
    headline = [c for c in claims if c.section == "title"]
    assert [(c.speaker, c.text) for c in headline] == [("Zamir Kabulov", "US support for ISIS-K")]
