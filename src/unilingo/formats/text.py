"""Plain text: paragraphs of lines, a sentence wrapped over two lines read as one."""

from __future__ import annotations

from .._document import BOM, Block, Element, SegmentedText
from .._glossary import Glossary
from .._sentences import Lines, assemble, continues
from .base import Format


class Text(Format):
    name = "text"
    title = "text"
    suffixes = (".txt", ".text")
    takes_unsuffixed = True

    def segment(self, text: str, glossary: Glossary | None, front_matter_keys: tuple[str, ...]) -> SegmentedText:
        lines = Lines(text)
        blocks, runs = _structure(text, lines)
        return assemble(text, self.name, lines, blocks, runs, glossary)


def _structure(text: str, lines: Lines) -> tuple[list[Block], list[list[Element]]]:
    blocks: list[Block] = []
    runs: list[list[Element]] = []
    in_block = False
    for number in range(len(lines)):
        # str.strip() also removes non-breaking spaces, so such lines are blank.
        if lines.is_blank(number):
            in_block = False
            continue
        start = lines.start(number) + (number == 0 and text.startswith(BOM))
        element = Element("text", start, lines.end(number), text[start : lines.end(number)])
        if in_block:
            blocks[-1] = Block(blocks[-1].start, lines.end(number))
            indented = start + len(element.plain) - len(element.plain.lstrip())
            if continues(runs[-1][-1], text, lines.end(number - 1), indented):
                # A sentence wrapped over two lines is one sentence: the line break reads as a space.
                runs[-1] += [Element("char", lines.end(number - 1), indented, " "),
                             Element("text", indented, element.end, text[indented : element.end])]  # fmt: skip
                continue
        else:
            blocks.append(Block(start, lines.end(number)))
            in_block = True
        runs.append([element])
    return blocks, runs



TEXT = Text()
