"""Records the CLI, the API and exports show: plain dicts built from the store, every figure with its evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from narrascope.models import Article, Claim
from narrascope.narratives.counter import counter_reason
from narrascope.stance.view import days_between, stance_by_narrative, stance_mix, stance_record
from narrascope.store import Store
from narrascope.timeline.context import ClaimContext

Record = dict[str, Any]


def article_records(store: Store) -> list[Record]:
    """Articles with their metadata and clean body."""
    return [
        {"id": a.id, "source": a.source, "url": a.url, "title": a.title, "outlet": a.outlet,
         "published": a.published, "author": a.author, "language": a.language, "body": a.body}
        for a in store.articles()
    ]


def claim_records(store: Store) -> list[Record]:
    """Claims with their resolved speaker, cluster, narrative and evidence span.

    `start`/`end` index the article's `body`, or its `title` when `section` is "title".
    """
    links = store.claim_links()
    names = {speaker.id: speaker.name for speaker in store.speakers()}
    contexts = store.claim_contexts()
    records: list[Record] = []
    for claim in store.claims():
        speaker_id, cluster_id, narrative_id = links.get(claim.id, (None, None, None))
        records.append({
            "id": claim.id, "article_id": claim.article_id, "speaker_id": speaker_id,
            "speaker": names.get(speaker_id or "", claim.speaker), "speaker_mention": claim.speaker_mention,
            "speaker_kind": claim.speaker_kind, "cue": claim.cue, "text": claim.text, "kind": claim.kind,
            "section": claim.section, "start": claim.start, "end": claim.end, "cited_source": claim.cited_source,
            "answers_claim_id": claim.answers_claim_id,
            "cluster_id": cluster_id, "narrative_id": narrative_id, "counter": counter_reason(claim),
            **_context_fields(contexts.get(claim.id)),
        })
    return records


def _context_fields(context: ClaimContext | None) -> Record:
    """When and where a statement was made, with the evidence spans of the date and event."""
    if context is None:
        return {"stated_on": None, "stated_precision": "unknown", "stated_flagged": True, "stated_note": None,
                "date_span": None, "event": None, "event_span": None}
    return {
        "stated_on": context.date, "stated_precision": context.date_precision,
        "stated_flagged": context.date_is_flagged, "stated_note": context.date_note,
        "date_span": None if context.date_start is None else [context.date_start, context.date_end],
        "event": context.event,
        "event_span": None if context.event_start is None else [context.event_start, context.event_end],
    }


def speaker_records(store: Store) -> list[Record]:
    """Speakers with aliases, role, kind and how many claims they made."""
    counts: dict[str, int] = {}
    for speaker_id, _, _ in store.claim_links().values():
        if speaker_id:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    return [
        {"id": s.id, "name": s.name, "aliases": list(s.aliases), "role": s.role, "kind": s.kind,
         "roles": [asdict(role) for role in s.roles], "claims": counts.get(s.id, 0)}
        for s in store.speakers()
    ]


def cluster_records(store: Store) -> list[Record]:
    """Claim clusters (the same statement reported again)."""
    return [{"id": c.id, "label": c.label, "claim_ids": list(c.claim_ids)} for c in store.clusters()]


def narrative_records(store: Store, id_prefix: str = "") -> list[Record]:
    """Narratives with label, members, outlets, first/last seen, and a dated timeline of evidence.

    With `id_prefix`, only the narratives whose id starts with it.
    """
    articles = {a.id: a for a in store.articles()}
    claims = {c.id: c for c in store.claims()}
    links = store.claim_links()
    speakers = {s.id: s.name for s in store.speakers()}
    clusters = {c.id: c for c in store.clusters()}
    contexts = store.claim_contexts()
    stances = stance_by_narrative(store)
    records: list[Record] = []
    for narrative in (n for n in store.narratives() if n.id.startswith(id_prefix)):
        timeline = []
        for claim_id in narrative.claim_ids:
            claim = claims[claim_id]
            article = articles[claim.article_id]
            speaker_id = links.get(claim_id, (None, None, None))[0]
            timeline.append({
                "claim_id": claim_id, "article_id": claim.article_id, "published": article.published,
                "outlet": article.outlet, "speaker": speakers.get(speaker_id or "", claim.speaker),
                "cited_source": claim.cited_source, "text": claim.text, "section": claim.section,
                "start": claim.start, "end": claim.end, "counter": counter_reason(claim),
                **_context_fields(contexts.get(claim_id)),
            })
        # Statements in the order they were made; the article's date stands in where the text gives none.
        timeline.sort(key=lambda item: (item["stated_on"] is None, item["stated_on"] or "", item["article_id"],
                                        item["start"]))
        records.append({
            "id": narrative.id, "label": narrative.label, "key_terms": list(narrative.key_terms),
            "representative_claim_id": narrative.representative_claim_id,
            "claim_ids": list(narrative.claim_ids), "article_ids": list(narrative.article_ids),
            "speaker_ids": list(narrative.speaker_ids),
            "speakers": sorted({speakers[s] for s in narrative.speaker_ids if s in speakers}),
            "outlets": list(narrative.outlets), "first_seen": narrative.first_seen,
            "last_seen": narrative.last_seen,
            "clusters": [
                {"id": cid, "label": clusters[cid].label, "claim_ids": list(clusters[cid].claim_ids)}
                for cid in narrative.cluster_ids if cid in clusters
            ],
            "timeline": timeline,
            "counter_claims": [item for item in timeline if item["counter"]],
            "stance": stances.get(narrative.id, []),
        })
    return records


# -- paginated records for the web UI, the HTTP API and exports (one function per page) ---------------

MAX_PAGE_SIZE = 500
NARRATIVE_CLAIM_CAP = 2000
NARRATIVE_REUSE_CAP = 100
SORTABLE_CLAIMS = 2000  # a speaker with more claims lists them in stored order (sorting by date costs a join each)


def paged(items: list[Record], total: int | None, limit: int, offset: int) -> Record:
    """A page of items with its position; `total` is None where counting would cost a full scan."""
    has_more = offset + len(items) < total if total is not None else len(items) == limit
    return {"items": items, "total": total, "limit": limit, "offset": offset, "has_more": has_more}


def overview_record(store: Store, size: int = 10) -> Record:
    """Counts, the largest, newest and fastest-growing narratives, and ingestion status with rejections."""
    return {
        "counts": store.counts(),
        "largest_narratives": store.narrative_rows(sort="size", limit=size)[0],
        "newest_narratives": store.narrative_rows(sort="recent", limit=size)[0],
        "growing_narratives": store.growing_narratives(limit=size),
        "rejections": store.rejection_rows(limit=size),
        "rejection_reasons": store.rejection_reasons(),
        "unindexed_articles": store.unindexed_articles(),
        "date_range": dict(zip(("first", "last"), store.date_range(), strict=True)),
    }


def rejections_page(store: Store, *, limit: int = 50, offset: int = 0) -> Record:
    """Rejected pages, latest first, with the count of each reason."""
    rows = store.rejection_rows(limit=limit, offset=offset)
    reasons = store.rejection_reasons()  # one count per reason; counts() would count every table
    return paged(rows, sum(r["pages"] for r in reasons), limit, offset) | {"reasons": reasons}


def narratives_page(
    store: Store, *, sort: str = "size", outlet: str | None = None, speaker: str | None = None,
    language: str | None = None, min_articles: int | None = None, since: str | None = None, limit: int = 50,
    offset: int = 0,
) -> Record:
    """Narratives sorted by size, recency or age, filtered by outlet, speaker id, article language, size
    (at least `min_articles`) and recency (last seen `since` a date)."""
    rows, total = store.narrative_rows(sort=sort, outlet=outlet, speaker_id=speaker, language=language,
                                       min_articles=min_articles, since=since, limit=limit, offset=offset)
    speaker_row = store.speaker_row(speaker) if speaker else None
    return paged(rows, total, limit, offset) | {
        "sort": sort, "outlet": outlet, "speaker": speaker, "language": language, "min_articles": min_articles,
        "since": since, "speaker_name": speaker_row["name"] if speaker_row else None}


def claim_detail_record(row: Record) -> Record:
    """A claim row of `Store.claim_rows` as a record: evidence span, speaker, cluster, article metadata."""
    speaker = row.get("speaker_name") or row.get("speaker")
    return {key: row[key] for key in (
        "id", "article_id", "speaker_id", "speaker_mention", "speaker_kind", "cue", "text", "kind", "section",
        "start", "end", "cited_source", "answers_claim_id", "cluster_id", "narrative_id", "article_title", "outlet",
        "published", "language")} | {"speaker": speaker, "counter": _counter_reason(row)}


def _counter_reason(row: Record) -> str | None:
    """Why a claim row is a denial or rebuttal (see narratives.counter), or None."""
    claim = Claim(id=row["id"], article_id=row["article_id"], speaker=row.get("speaker"),
                  speaker_mention=row.get("speaker_mention"), speaker_kind=row.get("speaker_kind"),
                  speaker_role=row.get("speaker_role"), cue=row["cue"], text=row["text"], kind=row["kind"],
                  start=row["start"], end=row["end"], section=row["section"], cited_source=row.get("cited_source"))
    return counter_reason(claim)


def _tally(values: list[str | None]) -> list[Record]:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return [{"name": name, "claims": count} for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def narrative_detail(store: Store, narrative_id: str) -> Record | None:
    """A narrative with its timeline, speakers, outlets, relays, claim clusters with evidence, counter-claims
    and the passages its articles share (text reuse, both spans)."""
    narrative = store.narrative_row(narrative_id)
    if narrative is None:
        return None
    rows = store.claim_rows(narrative_id=narrative_id, limit=NARRATIVE_CLAIM_CAP)
    claims = [claim_detail_record(row) for row in rows]
    speakers: dict[str, Record] = {}
    for claim in claims:
        if claim["speaker_id"]:
            entry = speakers.setdefault(claim["speaker_id"], {"id": claim["speaker_id"], "name": claim["speaker"],
                                                              "claims": 0})
            entry["claims"] += 1
    by_cluster: dict[str, list[Record]] = {}
    for claim in claims:
        by_cluster.setdefault(claim["cluster_id"] or "", []).append(claim)
    clusters = [
        {"id": row["id"], "label": row["label"], "claims": by_cluster.get(row["id"], []),
         "articles": len({c["article_id"] for c in by_cluster.get(row["id"], [])})}
        for row in store.cluster_rows(list(narrative.cluster_ids))
    ]
    clusters.sort(key=lambda c: (-c["articles"], -len(c["claims"]), c["id"]))
    titles = {claim["article_id"]: (claim["outlet"], claim["article_title"]) for claim in claims}
    return {
        "id": narrative.id, "label": narrative.label, "key_terms": list(narrative.key_terms),
        "representative_claim_id": narrative.representative_claim_id, "first_seen": narrative.first_seen,
        "last_seen": narrative.last_seen, "article_ids": list(narrative.article_ids),
        "claim_count": len(narrative.claim_ids), "claims_shown": len(claims),
        "speakers": sorted(speakers.values(), key=lambda s: (-s["claims"], s["name"] or "")),
        "outlets": _tally([c["outlet"] for c in claims]), "relays": _tally([c["cited_source"] for c in claims]),
        "clusters": clusters, "timeline": claims,
        "stance": [stance | {"outlet": titles.get(stance["article_id"], (None, None))[0],
                             "article_title": titles.get(stance["article_id"], (None, None))[1]}
                   for stance in stance_by_narrative(store, narrative.id).get(narrative.id, [])],
        "counter_claims": [claim for claim in claims if claim["counter"]],
        "reuse": store.reuse_among(list(narrative.article_ids), limit=NARRATIVE_REUSE_CAP),
    }


def articles_page(
    store: Store, *, outlet: str | None = None, language: str | None = None, limit: int = 50, offset: int = 0,
) -> Record:
    """Articles newest first, filtered by outlet or language."""
    rows, total = store.article_rows(outlet=outlet, language=language, limit=limit, offset=offset)
    return paged(rows, total, limit, offset) | {"outlet": outlet, "language": language}


def article_detail(store: Store, article_id: str) -> Record | None:
    """An article with its page, its claims, and for each claim the same statement in other articles."""
    article = store.article_row(article_id)
    if article is None:
        return None
    claims = [claim_detail_record(row) for row in store.claim_rows(article_id=article_id, limit=MAX_PAGE_SIZE)]
    cluster_ids = sorted({c["cluster_id"] for c in claims if c["cluster_id"]})
    members = {row["id"]: row["claim_ids"] for row in store.cluster_rows(cluster_ids)} if cluster_ids else {}
    own = {claim["id"] for claim in claims}
    elsewhere_ids = [cid for ids in members.values() for cid in ids if cid not in own]
    elsewhere = [claim_detail_record(row) for row in store.claim_rows(claim_ids=elsewhere_ids[:MAX_PAGE_SIZE])]
    for claim in claims:
        claim["same_statement"] = [
            {"claim_id": other["id"], "article_id": other["article_id"], "outlet": other["outlet"],
             "published": other["published"], "article_title": other["article_title"]}
            for other in elsewhere if other["cluster_id"] == claim["cluster_id"] and other["article_id"] != article_id
        ]
    return article | {"claims": claims, "catalogue_matches": store.article_catalogue_matches(article_id)}


def speakers_page(store: Store, *, limit: int = 50, offset: int = 0) -> Record:
    """Speakers by name with aliases, role and claim counts."""
    rows, total = store.speaker_rows(limit=limit, offset=offset)
    return paged(rows, total, limit, offset)


def speaker_detail(store: Store, speaker_id: str, *, limit: int = 50, offset: int = 0) -> Record | None:
    """A speaker's aliases, roles with dates, the words used for them, claims per month, one page of claims.

    `merge_candidates` are speakers with a similar name, offered on the page for a merge.
    """
    speaker = store.speaker_row(speaker_id)
    if speaker is None:
        return None
    by_date = speaker["claims"] <= SORTABLE_CLAIMS
    rows = store.claim_rows(speaker_id=speaker_id, limit=limit, offset=offset, by_date=by_date)
    claims = [claim_detail_record(row) for row in rows]
    return speaker | store.speaker_profile(speaker_id) | {
        "merge_candidates": store.merge_candidates(speaker_id, speaker["name"]),
        "claims_order": "published" if by_date else "stored",
        "claims_page": paged(claims, speaker["claims"], limit, offset)}


def outlets_page(store: Store, *, limit: int = 50, offset: int = 0) -> Record:
    """Outlets by article count."""
    rows, total = store.outlet_rows(limit=limit, offset=offset)
    return paged(rows, total, limit, offset)


def outlet_detail(store: Store, name: str, *, limit: int = 50, offset: int = 0) -> Record | None:
    """An outlet's profile: dates, languages, speakers it quotes, narratives it carries, its articles."""
    outlet = store.outlet_row(name)
    if outlet is None:
        return None
    outlet_stances = store.stances(outlet=name)
    labels = store.narrative_labels({s.narrative_id for s in outlet_stances})
    stances = [stance_record(s) | {"narrative_label": labels.get(s.narrative_id)} for s in outlet_stances]
    return outlet | {
        "stance": stances, "stance_mix": stance_mix(stances),
        "speakers": store.outlet_speakers(name),
        "narratives": store.narrative_rows(outlet=name, limit=20)[0],
        "per_month": store.claims_per_month(outlet=name),
        "articles_page": articles_page(store, outlet=name, limit=limit, offset=offset),
    }


def reuse_records(store: Store) -> list[Record]:
    """Passages shared by two articles, with both spans and texts, the direction and the claims they carry."""
    articles = {a.id: a for a in store.articles()}
    claims_by_article: dict[str, list[Claim]] = {}
    for claim in store.claims():
        if claim.section == "body":
            claims_by_article.setdefault(claim.article_id, []).append(claim)

    def side(article_id: str, start: int, end: int) -> Record:
        article = articles[article_id]
        overlapping = [c.id for c in claims_by_article.get(article_id, []) if c.start < end and start < c.end]
        return {"article_id": article_id, "outlet": article.outlet, "published": article.published,
                "start": start, "end": end, "text": article.body[start:end], "claim_ids": overlapping}

    return [
        {"words": p.words, "source_id": p.source_id, "a": side(p.article_a, p.start_a, p.end_a),
         "b": side(p.article_b, p.start_b, p.end_b)}
        for p in store.text_reuse()
    ]


def outlet_records(store: Store) -> list[Record]:
    """Per outlet: articles (near-duplicates counted once), the narratives it carries and how early."""
    articles = store.articles()
    duplicates = store.duplicate_groups()
    narratives = store.narratives()
    stances = stance_by_narrative(store)
    by_outlet: dict[str, list[Article]] = {}
    for article in articles:
        by_outlet.setdefault(article.outlet or "(unnamed outlet)", []).append(article)
    records: list[Record] = []
    for outlet, items in sorted(by_outlet.items()):
        ids = {a.id for a in items}
        carried: list[Record] = []
        for narrative in narratives:
            own = sorted(a.published for a in items if a.id in narrative.article_ids and a.published)
            if ids & set(narrative.article_ids):
                mine = [s for s in stances.get(narrative.id, []) if s["article_id"] in ids]
                carried.append({
                    "narrative_id": narrative.id, "label": narrative.label,
                    "articles": len(ids & set(narrative.article_ids)),
                    "first_here": own[0] if own else None, "first_seen": narrative.first_seen,
                    "is_first": bool(own) and own[0] == narrative.first_seen,
                    "days_after_first_seen": days_between(narrative.first_seen, own[0] if own else None),
                    "stance_mix": stance_mix(mine), "stance": mine,
                })
        records.append({
            "outlet": outlet, "articles": len({duplicates.get(a.id, a.id) for a in items}),
            "first_published": min((a.published for a in items if a.published), default=None),
            "last_published": max((a.published for a in items if a.published), default=None),
            "narratives": carried,
            "stance_mix": stance_mix([s for n in carried for s in n["stance"]]),
        })
    return records


def timeline_record(store: Store, narrative_id: str) -> Record | None:
    """One narrative's timeline: statements in order, articles by date, relays and text reuse among them."""
    found = narrative_records(store, narrative_id)
    narrative = next((n for n in found if n["id"] == narrative_id), found[0] if found else None)
    if narrative is None:
        return None
    members = set(narrative["article_ids"])
    articles = sorted((a for a in store.articles() if a.id in members),
                      key=lambda a: (a.published is None, a.published or "", a.source))
    relays = [
        {"speaker": item["speaker"], "cited_source": item["cited_source"], "outlet": item["outlet"],
         "article_id": item["article_id"], "claim_id": item["claim_id"], "published": item["published"]}
        for item in narrative["timeline"] if item["cited_source"]
    ]
    reuse = [r for r in reuse_records(store) if r["a"]["article_id"] in members and r["b"]["article_id"] in members]
    return {
        "id": narrative["id"], "label": narrative["label"], "first_seen": narrative["first_seen"],
        "last_seen": narrative["last_seen"],
        "articles": [{"id": a.id, "published": a.published, "outlet": a.outlet, "title": a.title,
                      "source": a.source, "is_undated": a.published is None} for a in articles],
        "statements": narrative["timeline"], "relays": relays, "reuse": reuse,
        "counter_claims": narrative["counter_claims"],
    }


# The listings the CLI prints and the tests read, by name.
LISTINGS: dict[str, Callable[[Store], list[Record]]] = {
    "articles": article_records, "claims": claim_records, "speakers": speaker_records,
    "narratives": narrative_records, "reuse": reuse_records, "outlets": outlet_records,
}
