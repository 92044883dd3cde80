"""Reading back the text of the PDFs the dossiers' tests render (slips, the register)."""

import io
import re

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """Return each page's text with runs of whitespace collapsed to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    """Return the whole document's text, whitespace collapsed."""
    return " ".join(pdf_pages(pdf))


def codes_joined(text: str) -> str:
    """Return the text of a register with its dossier codes whole again: the register breaks
    each code after its agency's part ("000.00.01.H22-" / "261121-0001")."""
    return re.sub(r"(\.H\d\d-) (\d{6}-\d{4})", r"\1\2", text)
