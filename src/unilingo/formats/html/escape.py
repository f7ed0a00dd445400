"""HTML: a translation lands as text, never as markup."""

from __future__ import annotations


def escape_text(output: str) -> str:
    """Translated text as it must land in HTML text: read as exactly these characters, never as markup."""
    return output.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(output: str, original: str) -> str:
    """A translated attribute value, quoted as the original was (double quotes for an unquoted one)."""
    quote = "'" if original.startswith("'") else '"'
    escaped = escape_text(" ".join(output.split()))
    return quote + escaped.replace(quote, "&#39;" if quote == "'" else "&quot;") + quote
