"""Structural checks of rendered HTML: what an XSS payload would need in order to run."""

from __future__ import annotations

from html.parser import HTMLParser

_DANGEROUS_TAGS = {"script", "base", "iframe", "object", "embed", "math", "frame", "frameset", "meta", "style"}
_OURS = {("meta", "charset"), ("meta", "name")}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        is_our_script = tag == "script" and (dict(attrs).get("src") or "").startswith("/static/")
        if tag in _DANGEROUS_TAGS and not is_our_script and not any((tag, name) in _OURS for name in names):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "xlink:href", "formaction", "srcdoc") and value is not None:
                lowered = "".join(value.split()).lower()
                if name == "srcdoc" or lowered.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r} on <{tag}>")


def dangerous_markup(html: str) -> list[str]:
    """Script elements, event handlers, script URLs, <base> and frames found in `html` (ours excluded)."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems
