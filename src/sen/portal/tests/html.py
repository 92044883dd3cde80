"""Reading rendered pages in assertions."""

import re
from html import unescape
from html.parser import HTMLParser


def text_of(html: str) -> str:
    """Return the words a reader sees, tags removed and whitespace collapsed to single spaces."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(without_tags).split())


def inline_code(html: str) -> list[str]:
    """Return what a strict Content-Security-Policy would block: inline styles and scripts
    (a script from the site's own file, ``<script src=…>``, is allowed)."""
    return re.findall(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", html)


def unlabelled_inputs(html: str) -> list[str]:
    """Return the visible inputs, selects and text areas that no ``<label for>`` names."""
    fields = r"<(?:input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>"
    missing = []
    for tag in re.findall(fields, html):
        found = re.search(r'\sid="([^"]+)"', tag)
        if found is None or not re.search(rf'<label[^>]*\sfor="{re.escape(found[1])}"', html):
            missing.append(tag)
    return missing


class _LanguageOfText(HTMLParser):
    """Follow the language in force (the nearest ``lang`` attribute) through a page."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.open: list[tuple[str, str]] = []  # (tag, language in force inside it)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        inherited = self.open[-1][1] if self.open else ""
        self.open.append((tag, dict(attrs).get("lang") or inherited))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        # The <title> takes the page's language: no element inside it can say otherwise.
        if any(tag == "head" for tag, _lang in self.open):
            return
        if self.text in " ".join(data.split()):
            self.found.append(self.open[-1][1] if self.open else "")


def languages_of(html: str, text: str) -> list[str]:
    """Return the language a reader's voice takes at each place ``text`` appears in the
    body of ``html`` (the ``lang`` of its nearest element that has one), so that a test can
    ask that Vietnamese content on an English page is read as Vietnamese."""
    parser = _LanguageOfText(text)
    parser.feed(html)
    return parser.found
