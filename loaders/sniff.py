"""Which loader reads a file: a council protocol, a decision page or a Bundesanzeiger notice.

Decided on the first lines of the text (HTML files are decision pages by their suffix): a
protocol opens with its session title and "Datum:", a notice with "Bekanntmachung" and an
introduction citing the IT-Staatsvertrag, a decision page has the line "DD.MM.YYYY | N. Sitzung
| Beschluss YYYY/NN" under its title. The notice is tested before the page because its session
headings ("1. Sitzung des IT-Planungsrats am …") could pass for a protocol's title.
"""

from __future__ import annotations

import re
from typing import Literal

from loaders.decision_page import HEAD_LINES, find_decision_line
from loaders.notice import INTRO_LINES, is_notice
from loaders.text import Line

Kind = Literal["protocol", "decision_page", "notice"]

_PROTOCOL_TITLE = re.compile(r"^\s*\d+\.\s*(?:IT-Planungsratssitzung|Sitzung des IT-Planungsrat)")
_PROTOCOL_DATE = re.compile(r"^\s*Datum:\s*\d")
PROTOCOL_LINES = 40

# what each layout needs, for the message about a file that has none of them
NONE_OF_THEM = (
    f"; nor a decision page (no line like '26.03.2025 | 46. Sitzung | Beschluss 2025/03' in "
    f"the first {HEAD_LINES} lines) nor a Bundesanzeiger notice (no 'Bekanntmachung' with an "
    f"introduction citing the IT-Staatsvertrag in the first {INTRO_LINES} lines)")


def sniff(lines: list[Line]) -> Kind | None:
    head = lines[:PROTOCOL_LINES]
    if any(_PROTOCOL_TITLE.match(ln.text) for ln in head) and any(
            _PROTOCOL_DATE.match(ln.text) for ln in head):
        return "protocol"
    if is_notice(lines):
        return "notice"
    if find_decision_line(lines) is not None:
        return "decision_page"
    return None
