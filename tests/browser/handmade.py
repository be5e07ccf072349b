"""Databases built by hand for the web and export tests: a seed-like corpus and a stored-XSS corpus.

Records are built directly (no models), saved with `Store.save_article` and `Store.replace_derived`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from narrascope.models import Article, Claim, ClaimCluster, Narrative, RawPage, Rejection, Speaker
from narrascope.store import Store

KABULOV_QUOTE = "the Anglo-Saxons secretly sponsor the Daesh"
KABULOV_QUOTE_2 = "the Anglo-Saxons are covertly sponsoring Daesh"

# Stored-XSS payloads (BATTERY.md W1): script, event handlers, javascript: URLs, SVG/MathML script,
# <base>, attribute break-outs and already-escaped entities that must stay visible as typed.
XSS_PAYLOADS = (
    "<script>window.__pwned='script'</script>",
    '<img src=x onerror="window.__pwned=\'onerror\'">',
    '<a href="javascript:window.__pwned=\'jsurl\'">click me</a>',
    "<svg><script>window.__pwned='svg'</script></svg>",
    "<svg onload=\"window.__pwned='svgonload'\"></svg>",
    '<math><mtext><a xlink:href="javascript:window.__pwned=\'math\'">m</a></mtext></math>',
    '<base href="javascript:window.__pwned=\'base\'//">',
    "&lt;script&gt;window.__pwned='entity'&lt;/script&gt;",
    "\"><script>window.__pwned='attr'</script>",
    "'><img src=x onerror=window.__pwned='single'>",
    "<iframe srcdoc=\"<script>parent.__pwned='srcdoc'</script>\"></iframe>",
    "<style>@import 'javascript:window.__pwned=1'</style>{{7*7}}",
)
XSS_URL = "javascript:window.__pwned='url'"


@dataclass(frozen=True)
class Seedlike:
    """Ids of the hand-built seed-like corpus."""

    narrative_id: str
    kabulov_id: str
    kabulov_claims: tuple[str, str]
    kabulov_articles: tuple[str, str]
    article_ids: tuple[str, ...]


def _page(source: str, text: str, *, kind: str = "text", url: str | None = None) -> RawPage:
    return RawPage(id=hashlib.sha256(text.encode()).hexdigest(), source=source, kind=kind,  # type: ignore[arg-type]
                   text=text, url=url)


def _claim(article: Article, number: int, text: str, speaker: str, *, section: str = "body",
           cue: str = "said", cited_source: str | None = None) -> Claim:
    field = article.title if section == "title" else article.body
    assert field is not None
    start = field.index(text)
    return Claim(id=f"{article.id[:12]}-{number}", article_id=article.id, speaker=speaker, speaker_mention=speaker,
                 speaker_kind="person", speaker_role=None, cue=cue, text=text, kind="direct", start=start,
                 end=start + len(text), section=section, cited_source=cited_source)  # type: ignore[arg-type]


_ARTICLES = (
    ("000_seed.txt", "Russia accuses US of sponsoring ISIS in Afghanistan", "Al Mayadeen English", "2023-02-12",
     [("Kabulov", f"Zamir Kabulov said that {KABULOV_QUOTE}, undermining the stability of Central Asia. ", 1),
      ("Sergey Lavrov", "Sergey Lavrov said the US wants to return its military to Central Asia. ", 2)]),
    ("001_seed.txt", "Russia Claims US Interference in Afghanistan's Fragile Stability", "AT News", "2023-04-10",
     [("Sergey Lavrov", "Sergey Lavrov said the US and its allies want to interfere in Afghanistan. ", 2)]),
    ("002_seed.txt", "Russian Defense Minister: Security threats originate from Afghanistan", "Bayan News",
     "2023-04-28",
     [("Sergei Shoigu", "Sergei Shoigu stated that threats to the SCO stem from Afghanistan. ", 3)]),
    ("003_seed.txt", "US and its allies are against the stability of Afghanistan, says Russia", "AT News",
     "2023-05-26",
     [("Sergey Shoigu", "Sergey Shoigu said the main threats to the region come from Afghanistan. ", 3)]),
    ("004_seed.txt", "Russian envoy to Afghanistan alleges US support for ISIS-K", "Al Mayadeen English",
     "2023-02-13",
     [("Kabulov", f"Kabulov further said that with the armed opposition {KABULOV_QUOTE_2}, aimed at Russia. ", 1)]),
)


def build_seedlike(path: str) -> Seedlike:
    """Five articles in three outlets, one narrative over all five, Kabulov's statement in two of them."""
    speakers = {
        "Kabulov": Speaker("spk-kabulov", "Zamir Kabulov", ("Kabulov", "Zamir Kabulov"),
                           "Russian presidential envoy to Afghanistan", "person"),
        "Sergey Lavrov": Speaker("spk-lavrov", "Sergey Lavrov", ("Lavrov", "Sergey Lavrov"),
                                 "Foreign Minister", "person"),
        "Sergei Shoigu": Speaker("spk-shoigu", "Sergey Shoigu", ("Sergei Shoigu", "Sergey Shoigu"),
                                 "Defense Minister", "person"),
    }
    speakers["Sergey Shoigu"] = speakers["Sergei Shoigu"]
    links: dict[str, tuple[str | None, str | None, str | None]] = {}
    cluster_members: dict[int, list[str]] = {}
    articles: list[Article] = []
    claims_by_speaker: dict[str, list[str]] = {}
    with Store(path) as store:
        for source, title, outlet, published, sentences in _ARTICLES:
            body = "Intro paragraph of the article.\n\n" + "\n\n".join(text for _, text, _ in sentences) + \
                "\n\nClosing paragraph."
            page = _page(source, f"{title}\n{outlet}\n{published}\n\n{body}\nFooter menu")
            article = Article(id=page.id, source=source, url=f"https://example.org/{source}", title=title,
                              outlet=outlet, published=published, author="News Desk", language="en", body=body,
                              page_text=page.text)
            claims = []
            for number, (speaker, text, cluster) in enumerate(sentences):
                quote = text.strip()
                claim = _claim(article, number, quote, speaker)
                claims.append(claim)
                cluster_members.setdefault(cluster, []).append(claim.id)
                claims_by_speaker.setdefault(speakers[speaker].id, []).append(claim.id)
                links[claim.id] = (speakers[speaker].id, f"cluster-{cluster}", "narr-afghanistan")
            store.save_article(page, article, claims)
            articles.append(article)
        clusters = [ClaimCluster(f"cluster-{number}", label, tuple(cluster_members[number])) for number, label in
                    ((1, "Anglo-Saxons sponsor Daesh"), (2, "US wants to return to Central Asia"),
                     (3, "Threats originate from Afghanistan"))]
        narrative = Narrative(
            id="narr-afghanistan", label="The US destabilises Afghanistan and sponsors ISIS",
            key_terms=("afghanistan", "isis", "us"), claim_ids=tuple(links), cluster_ids=tuple(c.id for c in clusters),
            article_ids=tuple(a.id for a in articles), speaker_ids=("spk-kabulov", "spk-lavrov", "spk-shoigu"),
            outlets=("Al Mayadeen English", "AT News", "Bayan News"), first_seen="2023-02-12", last_seen="2023-05-26",
            representative_claim_id=cluster_members[1][0])
        store.replace_derived(list({s.id: s for s in speakers.values()}.values()), clusters, [narrative], links, "x")
        store.record_rejection(Rejection("../seeds/broken.bin", "binary", "the file is not text"))
        store.sync_search_index()
    kabulov = cluster_members[1]
    return Seedlike(narrative_id="narr-afghanistan", kabulov_id="spk-kabulov",
                    kabulov_claims=(kabulov[0], kabulov[1]),
                    kabulov_articles=(articles[0].id, articles[4].id), article_ids=tuple(a.id for a in articles))


@dataclass(frozen=True)
class XssCorpus:
    """Ids of the stored-XSS corpus."""

    article_ids: tuple[str, ...]
    html_article_id: str
    narrative_id: str
    speaker_id: str


def build_xss(path: str) -> XssCorpus:
    """One article per payload with the payload in title, body, author, quote, outlet, speaker, labels."""
    article_ids: list[str] = []
    links: dict[str, tuple[str | None, str | None, str | None]] = {}
    claim_ids: list[str] = []
    with Store(path) as store:
        for index, payload in enumerate(XSS_PAYLOADS):
            quote = f"quote {payload} end"
            body = f"Body before {payload} middle. He said {quote}. After."
            page = _page(f"xss-{index}-{payload}.html", f"<html><body>{payload}<p>{body}</p></body></html>",
                         kind="html", url=XSS_URL)
            article = Article(id=page.id, source=page.source, url=XSS_URL if index % 2 else payload,
                              title=f"Title {payload}", outlet=f"Outlet {payload}",
                              published=f"2024-01-{index + 1:02d}",
                              author=f"Author {payload}", language="en", body=body, page_text=page.text)
            claim = _claim(article, 0, quote, f"Speaker {payload}", cited_source=f"Relay {payload}", cue=payload[:20])
            title_claim = _claim(article, 1, payload, f"Speaker {payload}", section="title")
            store.save_article(page, article, [claim, title_claim])
            article_ids.append(article.id)
            for cid in (claim.id, title_claim.id):
                links[cid] = ("spk-xss", "cluster-xss", "narr-xss")
                claim_ids.append(cid)
        payloads = " ".join(XSS_PAYLOADS)
        speaker = Speaker("spk-xss", f"Speaker {XSS_PAYLOADS[0]}", XSS_PAYLOADS[:4], f"Role {XSS_PAYLOADS[1]}",
                          "person")
        cluster = ClaimCluster("cluster-xss", f"Cluster {payloads}", tuple(claim_ids))
        narrative = Narrative(id="narr-xss", label=f"Narrative {payloads}", key_terms=XSS_PAYLOADS[:5],
                              claim_ids=tuple(claim_ids), cluster_ids=("cluster-xss",), article_ids=tuple(article_ids),
                              speaker_ids=("spk-xss",), outlets=tuple(f"Outlet {p}" for p in XSS_PAYLOADS),
                              first_seen="2024-01-01", last_seen="2024-01-12")
        store.replace_derived([speaker], [cluster], [narrative], links, "x")
        store.record_rejection(Rejection(f"bad {XSS_PAYLOADS[1]}", "binary", f"message {XSS_PAYLOADS[0]}"))
        store.sync_search_index()
    return XssCorpus(article_ids=tuple(article_ids), html_article_id=article_ids[0], narrative_id="narr-xss",
                     speaker_id="spk-xss")
