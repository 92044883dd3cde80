"""Reading rendered pages in assertions."""

import re
from html import unescape


def text_of(html: str) -> str:
    """Return the words a reader sees, tags removed and whitespace collapsed to single spaces."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(without_tags).split())
