"""Records the CLI, the API and exports show: plain dicts built from the store, every figure with its evidence."""

from __future__ import annotations

from typing import Any

from narrascope.store import Store

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
    records: list[Record] = []
    for claim in store.claims():
        speaker_id, cluster_id, narrative_id = links.get(claim.id, (None, None, None))
        records.append({
            "id": claim.id, "article_id": claim.article_id, "speaker_id": speaker_id,
            "speaker": names.get(speaker_id or "", claim.speaker), "speaker_mention": claim.speaker_mention,
            "speaker_kind": claim.speaker_kind, "cue": claim.cue, "text": claim.text, "kind": claim.kind,
            "section": claim.section, "start": claim.start, "end": claim.end, "cited_source": claim.cited_source,
            "cluster_id": cluster_id, "narrative_id": narrative_id,
        })
    return records


def speaker_records(store: Store) -> list[Record]:
    """Speakers with aliases, role, kind and how many claims they made."""
    counts: dict[str, int] = {}
    for speaker_id, _, _ in store.claim_links().values():
        if speaker_id:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    return [
        {"id": s.id, "name": s.name, "aliases": list(s.aliases), "role": s.role, "kind": s.kind,
         "claims": counts.get(s.id, 0)}
        for s in store.speakers()
    ]


def cluster_records(store: Store) -> list[Record]:
    """Claim clusters (the same statement reported again)."""
    return [{"id": c.id, "label": c.label, "claim_ids": list(c.claim_ids)} for c in store.clusters()]


def narrative_records(store: Store) -> list[Record]:
    """Narratives with label, members, outlets, first/last seen, and a dated timeline of evidence."""
    articles = {a.id: a for a in store.articles()}
    claims = {c.id: c for c in store.claims()}
    links = store.claim_links()
    speakers = {s.id: s.name for s in store.speakers()}
    clusters = {c.id: c for c in store.clusters()}
    records: list[Record] = []
    for narrative in store.narratives():
        timeline = []
        for claim_id in narrative.claim_ids:
            claim = claims[claim_id]
            article = articles[claim.article_id]
            speaker_id = links.get(claim_id, (None, None, None))[0]
            timeline.append({
                "claim_id": claim_id, "article_id": claim.article_id, "published": article.published,
                "outlet": article.outlet, "speaker": speakers.get(speaker_id or "", claim.speaker),
                "text": claim.text, "section": claim.section, "start": claim.start, "end": claim.end,
            })
        timeline.sort(key=lambda item: (item["published"] is None, item["published"] or "", item["article_id"]))
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
        })
    return records
