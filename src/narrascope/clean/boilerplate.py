"""Generic lexicons and patterns of page furniture that is not article text.

Nothing here names a site: the headings, credits and labels are the ones news sites share
(collected from common CMS themes - WordPress/Jannah/Newspaper, Drupal, Arc - and the
boilerplate lists of jusText and Boilerpipe). Each pattern is matched on a whole line.
"""

from __future__ import annotations

import re

from narrascope.clean.lines import Line

# Headings that open a sidebar, a list of other articles, comments or the site footer: once the
# article has started, nothing after one of these is article text (the region decoder treats them
# as a wall it does not cross). Matched on the folded line, optionally followed by a count.
_END_HEADINGS = {
    "most read", "most popular", "most viewed", "most shared", "most commented", "popular", "popular posts",
    "popular stories", "trending", "trending now", "trending stories", "read next", "read more", "read also",
    "also read", "see also", "related", "related articles", "related posts", "related news", "related stories",
    "related content", "related topics", "related coverage", "more stories", "more news", "more from", "more on this",
    "more on this story", "recommended", "recommended for you", "recommended stories", "you may also like",
    "you might also like", "you may be interested in", "check also", "don t miss", "editor s picks",
    "editors picks", "top stories", "latest stories", "latest posts", "recent posts", "comments", "comment",
    "leave a comment", "leave a reply", "post a comment", "add a comment", "join the conversation",
    "comment this post", "share this post", "share this article", "share this story", "share this", "share",
    "share on", "tags", "topics", "filed under", "about the author", "newsletter", "sign up for our newsletter",
    "subscribe to our newsletter", "back to top", "back to top button", "coverage",
    "follow us", "connect with us", "all rights reserved", "previous article", "next article", "previous post",
    "next post", "you may have missed", "more in", "in other news", "latest news", "breaking news",
    "what to read next", "further reading", "sponsored content", "from our partners", "around the web",
}
_COUNTED_HEADING = re.compile(r"^(?:\d+\s+)?(comments?|responses?|replies|reactions)(?:\s+\d+)?$")
# An author box ("About admin", "About Jane Doe") follows the article in most blog themes.
_ABOUT_AUTHOR = re.compile(r"^about\s+\w+(?:\s+\w+){0,2}$")

# A ticker heading announces a run of one-line news flashes (no blank lines between them).
_TICKER_HEADINGS = {"breaking", "breaking news", "just in", "live", "live updates", "news ticker", "ticker",
                    "latest", "flash", "urgent", "headlines", "top headlines"}

# Single-word labels of images whose picture did not render: the alt text a browser copies.
_THUMBNAIL_WORDS = {"thumbnail", "thumbnail image", "image", "photo", "picture", "img", "icon", "logo",
                    "تصویر بندانگشتی", "تصویر", "صورة", "صورة مصغرة", "miniatura", "vorschaubild", "miniature",
                    "миниатюра", "изображение", "фото", "loading", "play", "play video", "video"}

# Lines of page chrome that can sit inside the article region (between paragraphs).
_CHROME = {"advertisement", "advertisements", "ad", "ads", "sponsored", "skip to main content", "skip to content",
           "continue reading", "print", "email", "tweet", "share", "facebook", "twitter", "whatsapp", "telegram",
           "linkedin", "pinterest", "reddit", "copy link", "x", "close", "menu", "search", "listen",
           "listen to this article", "save", "subscribe", "sign in", "log in", "login", "register",
           "scroll to continue", "story continues below", "story continues below advertisement",
           "article continues below", "report an error", "font size", "view comments", "show comments",
           "hide caption", "toggle caption", "enlarge this image", "click to enlarge", "view gallery",
           "open gallery", "watch", "read more", "loading", "back to top"}

# "3 Min Read", "5 minute read", "Reading time: 4 minutes".
_READING_TIME = re.compile(r"^(?:reading time\s*)?\d+\s*(?:min|mins|minutes?)(?:\s+read(?:ing)?)?(?:\s+time)?$")
# Photo credits at the end of a caption, as agencies and CMSs print them: "(AP)", "(Reuters)",
# "(... via AP)", "(Photo Credit: AP)", "Photo: Jane Doe/Getty Images".
_CREDIT_END = re.compile(
    r"(?:\((?:[^()]*\b(?:via|photo|photos|image|images|credit|credits|courtesy|file|illustrated|illustration)"
    r"\b[^()]*|AP|AFP|Reuters|EPA|Getty(?: Images)?|Shutterstock|Xinhua|Anadolu|TASS|IRNA|dpa)\)"
    r"|(?:Photo|Image|Credit|Photograph|Picture)s?\s*(?:credit)?\s*:\s*[^.]{1,60}"
    r"|\b(?:Getty Images|Shutterstock|AP Photo|Reuters|AFP|EPA)(?:/[^.]{1,40})?)\s*$",
    re.IGNORECASE,
)
_CREDIT_ONLY = re.compile(r"^\(?\s*(?:photo|image|picture|credit|photograph)s?\b[^()]{0,60}\)?$", re.IGNORECASE)
# Breadcrumbs: "Home / Latest / Title", "Home > World > Asia", "News » Politics".
_CRUMB_SEPARATOR = re.compile(r"\s+[/>|]\s+|\s*[»›]\s*")
_CRUMB_MARK = re.compile(r"[/>|»›]")
_BYLINE = re.compile(r"^(?:by|written by|posted by|author|reported by)\s*:?\s+\S", re.IGNORECASE)


def is_end_heading(line: Line) -> bool:
    """A heading after which the page holds no more article text (sidebars, comments, footers)."""
    if line.words > 6 or line.is_sentence:
        return False
    key = line.key
    return key in _END_HEADINGS or bool(_COUNTED_HEADING.match(key)) or bool(_ABOUT_AUTHOR.match(key))


_COMMENT_HEADINGS = {"comments", "comment", "leave a comment", "leave a reply", "post a comment", "add a comment",
                     "join the conversation", "discussion", "reader comments", "responses", "replies"}


def is_comments_heading(line: Line) -> bool:
    """A heading that opens the readers' comments."""
    key = line.key
    return line.words <= 6 and (key in _COMMENT_HEADINGS or bool(_COUNTED_HEADING.match(key)))


def is_ticker_heading(line: Line) -> bool:
    """A heading such as "BREAKING" that opens a run of news flashes."""
    return line.key in _TICKER_HEADINGS


def is_thumbnail(line: Line) -> bool:
    """The alt text of an image that did not render ("thumbnail" in the page's UI language)."""
    return line.key in _THUMBNAIL_WORDS or line.text.strip().casefold() in _THUMBNAIL_WORDS


def is_chrome(line: Line) -> bool:
    """A control or label of the page (share buttons, "Advertisement", reading time), not text."""
    key = line.key
    return not key or key in _CHROME or bool(_READING_TIME.match(key)) or is_thumbnail(line)


def is_caption(line: Line) -> bool:
    """A photo caption or a bare credit: the line ends with a photo credit."""
    # A credit is at most a few words at the end: searching the tail keeps the regex linear.
    tail = line.text[-100:]
    if _may_end_with_credit(tail) and _CREDIT_END.search(tail):
        return True
    return bool(_CREDIT_ONLY.match(line.text.strip()))


def _may_end_with_credit(tail: str) -> bool:
    """False when `tail` cannot match _CREDIT_END: no closing bracket at its end, no colon and no
    agency name of its last branch (Getty Images, Shutterstock, AP Photo, Reuters, AFP, EPA).
    Most lines are ruled out by this before the (slower) regex search."""
    if tail.rstrip().endswith(")") or ":" in tail:
        return True
    folded = tail.casefold()
    return ("reuters" in folded or "afp" in folded or "epa" in folded or "getty images" in folded
            or "shutterstock" in folded or "ap photo" in folded)


def is_breadcrumb(text: str) -> bool:
    """A breadcrumb trail ("Home / News / Title")."""
    if not _CRUMB_MARK.search(text):
        return False  # no separator: one part (the split below is the cost of every line)
    parts = _CRUMB_SEPARATOR.split(text.strip())
    if len(parts) < 3 or text.rstrip().endswith((".", "?", "!")):
        return False
    # The trail's first steps are short section names; only the last may be a long title.
    return all(0 < len(part) <= 40 for part in parts[:-1])


def is_byline(text: str) -> bool:
    """A byline ("By Jane Doe", "Written by ...")."""
    return bool(_BYLINE.match(text.strip())) and len(text) < 120

