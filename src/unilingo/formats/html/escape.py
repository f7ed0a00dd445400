"""HTML: a translation lands as text, never as markup."""

from __future__ import annotations

from ..._lines import open_reference_before


def escape_text(output: str, before: str = "") -> str:
    """Translated text as it must land in HTML text, after ``before``: read as exactly these characters, never as markup."""
    escaped = output.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if escaped[:1].isascii() and (escaped[:1].isalnum() or escaped[:1] == ";") and open_reference_before(before, len(before)):
        # "&#xf" then "Admission" reads as "&#xfA": the reference would take the translation's first character.
        return f"&#{ord(escaped[0])};{escaped[1:]}"
    return escaped


def escape_attribute(output: str, original: str) -> str:
    """A translated attribute value, quoted as the original was (double quotes for an unquoted one)."""
    quote = "'" if original.startswith("'") else '"'
    escaped = escape_text(" ".join(output.split()))
    return quote + escaped.replace(quote, "&#39;" if quote == "'" else "&quot;") + quote
