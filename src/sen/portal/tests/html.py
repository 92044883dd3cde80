"""Reading rendered pages in assertions."""

import re
from html import unescape


def text_of(html: str) -> str:
    """Return the words a reader sees, tags removed and whitespace collapsed to single spaces."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(without_tags).split())


def inline_code(html: str) -> list[str]:
    """Return what a strict Content-Security-Policy would block: inline styles and scripts."""
    return re.findall(r"<style|\sstyle=|<script|\son[a-z]+=", html)


def unlabelled_inputs(html: str) -> list[str]:
    """Return the visible inputs, selects and text areas that no ``<label for>`` names."""
    fields = r"<(?:input|select|textarea)(?![^>]*type=\"hidden\")[^>]*>"
    missing = []
    for tag in re.findall(fields, html):
        found = re.search(r'\sid="([^"]+)"', tag)
        if found is None or not re.search(rf'<label[^>]*\sfor="{re.escape(found[1])}"', html):
            missing.append(tag)
    return missing
