"""Reading back the text of the PDFs the dossiers' tests render."""

import re


def codes_joined(text: str) -> str:
    """Return the text of a register with its dossier codes whole again: the register breaks
    each code after its agency's part ("000.00.01.H22-" / "261121-0001")."""
    return re.sub(r"(\.H\d\d-) (\d{6}-\d{4})", r"\1\2", text)
