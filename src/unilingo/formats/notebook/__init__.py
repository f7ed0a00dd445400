"""Jupyter notebooks (.ipynb): each Markdown cell normalized as a Markdown document, every other byte kept.

A notebook is a container: ``parts`` hands its Markdown cells to the
Markdown format, so escaping, verification, the glossary and the
front-matter rules are Markdown's; ``join`` splices their outputs back into
the JSON (``_codec``) and moves their rows into the file (``_join``). Code
cells, outputs, attachments and metadata are never read as prose. A JSON
string has no place for an inline original: the sidecar keeps the notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..._errors import InputError, OutputError
from ..._sentences import check_unicode
from ..base import Format, Joined

# The notebook's reader and writer are imported on first use, in each method: a command that reads no notebook
# does not pay for them.

if TYPE_CHECKING:
    from ..._merge import Document

# What errors call a notebook the API was given without a file name.
_UNNAMED = "notebook"


class Notebook(Format):
    name = "notebook"
    title = "Jupyter notebook"
    suffixes = (".ipynb",)

    def check_input(self, text: str, where: str) -> None:
        from ._codec import read_notebook

        read_notebook(text, where)

    def check_output(self, text: str, where: str) -> None:
        from ._codec import read_notebook

        try:
            read_notebook(text, where)
        except InputError:
            raise OutputError(f"cannot write {where}: it would not read as a notebook; nothing was written") from None

    def parts(self, text: str) -> list[tuple[str, str]]:
        from ._codec import read_notebook

        # Its cells are checked as documents of their own, but the sidecar checksums the whole notebook, code cells included.
        check_unicode(text)
        return [(cell.text, "markdown") for cell in read_notebook(text, _UNNAMED).cells]

    def join(self, text: str, documents: Sequence[Document]) -> Joined:
        from ._codec import read_notebook
        from ._join import joined

        return joined(read_notebook(text, _UNNAMED), documents, _UNNAMED)


NOTEBOOK = Notebook()
