"""Title, author and date signals of an HTML page's own markup, to combine with trafilatura's.

- Title: the page's visible headline is its <h1>; of several, the one that the <title>, Open
  Graph or JSON-LD headline agree with. Without an agreeing <h1>, the JSON-LD headline, then
  og:title, then <title>, each with a trailing " | Site name" cut off.
- Author: JSON-LD authors that are people (not the publisher), then `<meta name="author">`,
  then an element marked as the author (itemprop/rel/class "author", "byline"), all as printed.
- Date: JSON-LD datePublished, then article:published_time and the other publication <meta>
  tags, then a <time> marked as the publication time.
"""

from __future__ import annotations

import html as html_text
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from narrascope.clean.lines import fold
from narrascope.metadata.dates import find_dates, is_plausible_published

logger = logging.getLogger(__name__)

_SITE_SUFFIX = re.compile(r"\s+[|–—·•:»-]\s+[^|–—·•»]{1,60}$")
_MAX_TITLE_WORDS = 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_METAS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publish_date",
               "publish-date", "article.published", "dc.date.issued", "dc.date", "date", "sailthru.date",
               "parsely-pub-date", "cxenseparse:recs:publishtime")
_AUTHOR_XPATH = (
    "//*[@itemprop='author']//*[@itemprop='name']", "//*[@itemprop='author']", "//a[@rel='author']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[contains(@class, 'author') and not(contains(@class, 'authority'))]",
)


@dataclass
class MarkupFields:
    """What the markup says, each None where it says nothing."""

    title: str | None = None
    author: str | None = None
    date: str | None = None


def markup_fields(html: str) -> MarkupFields:
    """Read the signals of one HTML page (all None when it cannot be parsed)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError, etree.LxmlError) as error:  # an empty or broken document
        logger.debug("markup metadata: cannot parse: %s", error)
        return MarkupFields()
    metas: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        if name and name not in metas and element.get("content", "").strip():
            metas[name] = " ".join(element.get("content").split())
    objects = _json_ld(tree)
    return MarkupFields(
        title=_title(tree, metas, objects), author=_author(tree, metas, objects), date=_date(tree, metas, objects),
    )


def _text(element: Any) -> str:
    # Child elements' texts joined by spaces: "Jane Doe<span>May 2</span>" is two words, not "DoeMay".
    return " ".join(" ".join(str(part) for part in element.itertext()).split())


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(value for key, value in item.items() if key == "@graph")
    return found


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report", "TechArticle", "ScholarlyArticle",
                  "OpinionNewsArticle", "AnalysisNewsArticle", "ReportageNewsArticle", "MedicalWebPage",
                  "WebPage", "HowTo", "Recipe", "Review", "LiveBlogPosting"}


def _articles(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-LD objects that describe the article, article types first."""
    articles = [item for item in objects if _types(item) & _ARTICLE_TYPES]
    return sorted(articles, key=lambda item: "WebPage" in _types(item))


def _title(tree: Any, metas: dict[str, str], objects: list[dict[str, Any]]) -> str | None:
    headlines = [str(item["headline"]).strip() for item in _articles(objects) if isinstance(item.get("headline"), str)]
    references = [*headlines, metas.get("og:title", ""), metas.get("twitter:title", "")]
    references += [_text(element) for element in tree.xpath("//title")[:1]]
    references = [html_text.unescape(reference) for reference in references if reference]
    folded_references = [fold(reference) for reference in references]
    agreeing: list[tuple[int, str]] = []
    for element in tree.xpath("//h1"):
        text = _text(element)
        key = fold(text)
        if not key or len(key.split()) > _MAX_TITLE_WORDS:
            continue
        if any(key == reference or (len(key) >= 12 and key in reference) for reference in folded_references):
            agreeing.append((len(key), text))
    if agreeing:
        # The longest agreeing <h1>: a site name is also inside "Headline | Site name".
        return max(agreeing)[1]
    site = fold(metas.get("og:site_name", ""))
    for element in tree.xpath("//h1"):
        # No headline agrees with the <title>: the first <h1> of a few words that is not the site's name.
        text = _text(element)
        if 3 <= len(text.split()) <= _MAX_TITLE_WORDS and fold(text) != site:
            return text
    for reference in references:
        cut = _SITE_SUFFIX.sub("", reference).strip()
        if cut:
            return cut
    return None


def _person_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for item in value for name in _person_names(item)]
    if isinstance(value, dict) and "Organization" not in _types(value) and isinstance(value.get("name"), str):
        return [value["name"]]
    return []


_BY = re.compile(r"^(?:by|written by|posted by|authored by|author)\s*:?\s*(?=[A-Z])", re.IGNORECASE)
_NAME_END = re.compile(r"\s*(?:[|•·]|\s[-–—]\s|-\s*\d|\bpublished\b|\bupdated\b|\bposted\b|\bon\s+\w+\s+\d).*$",
                       re.IGNORECASE)


def _clean_name(text: str) -> str | None:
    """A byline's name: "By" and what follows the name (date, reading time, "Published") removed."""
    text = " ".join(html_text.unescape(text).split())
    if not text or "http" in text or len(text) > 120:
        return None
    text = _BY.sub("", text)
    dates = find_dates(text)
    if dates:
        text = text[: dates[0].start]
    text = _NAME_END.sub("", text).strip(" ,|-–:")
    return text or None


def _author(tree: Any, metas: dict[str, str], objects: list[dict[str, Any]]) -> str | None:
    for item in _articles(objects):
        names = [html_text.unescape(name).strip() for name in _person_names(item.get("author")) if name.strip()]
        names = [name for name in names if "http" not in name]
        if names:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
        name = _clean_name(metas.get(key, ""))
        if name:
            return name
    for path in _AUTHOR_XPATH:
        for element in tree.xpath(path)[:3]:
            name = _clean_name(_text(element))
            if name and 1 <= len(name.split()) <= 8:
                return name
    return None


def _date(tree: Any, metas: dict[str, str], objects: list[dict[str, Any]]) -> str | None:
    """The first plausible date of the markup (a placeholder such as 0001-01-01 gives way to the next)."""
    candidates = [str(item.get("datePublished") or "") for item in _articles(objects)]
    candidates += [metas.get(key, "") for key in _DATE_METAS]
    candidates += [element.get("datetime", "") for element in tree.xpath("//time[@datetime]")[:1]]
    for candidate in candidates:
        match = _DATE.match(candidate)
        if match and is_plausible_published(match.group()):
            return match.group()
    return None

