"""Session and resolution numbers of any length (issue 10 item 7): a 1234th session and a
resolution 2031/1234 are read like the 48th session and resolution 2025/33."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.deadlines import find_deadline
from loaders.protocol import parse_protocol
from loaders.read import read_source
from loaders.records import Span
from loaders.references import canonical_from_identifier, find_references
from tests.loaders.conftest import SEED, resolution

SPAN = Span("long.txt", 1, 1)

IDENTIFIERS = [
    ("B-2031/1234-IT", "2031/1234"),        # council resolution, four-digit number
    ("B-2031/1234-AL", "2031/1234-AL"),     # AL-Runde decision, four digits, suffix kept
    ("F-2031/1234-IT", "F-2031/1234"),      # follow-up, four digits
    ("2031/1234", "2031/1234"),             # register form, four digits
    ("2031-1234", "2031/1234"),             # hyphenated register form
    ("2031/1234-AL", "2031/1234-AL"),       # register form of an AL-Runde decision
    ("B-2031/12345-IT", "2031/12345"),      # five digits: no length limit at all
    ("B-2031/0007-IT", "2031/07"),          # zero-padded: the same resolution as 2031/7
]


@pytest.mark.parametrize(("text", "expected"), IDENTIFIERS)
def test_long_identifiers_are_canonical(text: str, expected: str) -> None:
    assert canonical_from_identifier(text) == expected


REFERENCES = [
    # keyword and a four-digit number
    ("Der IT-Planungsrat hebt seinen Beschluss 2031/1234 auf.",
     [("repeals", "resolution", "2031/1234")]),
    # one sentence amending two decisions with four-digit numbers
    ("Der IT-Planungsrat ändert seinen Beschluss 2031/1234 und 2031/1235.",
     [("amends", "resolution", "2031/1234"), ("amends", "resolution", "2031/1235")]),
    # the identifier form inside running text
    ("In Fortführung des B-2031/1234-IT wird die Arbeit fortgesetzt.",
     [("continues", "resolution", "2031/1234")]),
    # a number in parentheses after the body's name
    ("wie vom IT-Planungsrat (2031/1234) beschlossen",
     [("cites", "resolution", "2031/1234")]),
    # an AL-Runde decision with a four-digit number stays apart from the council's
    ("Der Beschluss 2031/1234-AL bleibt unberührt.",
     [("cites", "resolution", "2031/1234-AL")]),
    # points of a four-digit resolution: a partial repeal
    ("Ziffer 2 des Beschlusses 2031/1234 wird aufgehoben.",
     [("repeals_part", "resolution", "2031/1234")]),
    # another body's decision with a four-digit number
    ("gemäß MPK 2031/1234 und IT-Planungsrat", [("cites", "external_decision", "MPK 2031/1234")]),
    # an EU act is still not a resolution, however long the number
    ("nach Verordnung (EU) 2031/1234", [("cites", "eu_act", "reg/2031/1234")]),
    # a date-like number stays another body's decision, not resolution 2024/10
    ("DMK 2024/10/15", [("cites", "external_decision", "DMK 2024/10/15")]),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_long_numbers_in_references(text: str, expected: list[tuple[str, str, str]]) -> None:
    refs = find_references(text, SPAN, None)
    assert [(r.relation, r.target_kind, r.target_id) for r in refs] == expected


SESSION_DEADLINES = [
    ("bis zur 1234. Sitzung", 1234),                   # four-digit session
    ("spätestens zur 10000. IT-Planungsratssitzung", 10000),  # five digits, other noun
    ("zur 1234. IT-PLR-Sitzung", 1234),                # abbreviated noun
    ("bis zur 49. Sitzung", 49),                       # the seed's two digits still read
]


@pytest.mark.parametrize(("text", "session"), SESSION_DEADLINES)
def test_deadline_at_a_long_session_number(text: str, session: int) -> None:
    found = find_deadline(f"Die FITKO berichtet {text}.")
    assert found is not None
    deadline, _ = found
    assert (deadline.kind, deadline.session) == ("session", session)


def test_a_protocol_of_the_1234th_session(tmp_path: Path) -> None:
    """The seed rewritten as the 1234th session, its resolution 2025/33 as 2025/1033 (also
    in its sources) and a reference to the 1049th session."""
    text = (SEED.read_text(encoding="utf-8")
            .replace(" 48. IT-Planungsratssitzung", " 1234. IT-Planungsratssitzung", 1)
            .replace("B-2025/33-IT", "B-2025/1033-IT")
            .replace("B-2020/58-IT", "B-2020/1058-IT")
            .replace("(Beschluss 2020/58)", "(Beschluss 2020/1058)")
            .replace("in seiner 49. \n\nSitzung", "in seiner 1049. \n\nSitzung"))
    path = tmp_path / "itplr-1234-2031-11-26-protokoll.txt"
    path.write_text(text, encoding="utf-8")
    protocol = parse_protocol(read_source(path))
    assert protocol.session.number == 1234
    res = resolution(protocol, "2025/1033")
    assert res.identifier == "B-2025/1033-IT"
    assert (res.span.line_start, res.span.line_end) == (391, 440)
    item = next(i for i in protocol.items if i.resolution is res)
    assert [s.canonical_id for s in item.sources] == ["2024/40", "2025/03", "2020/1058"]
    assert ("cites", "2020/1058") in {(r.relation, r.target_id) for r in res.references}
    assert [p.number for p in res.points][:3] == ["1", "2", "3"]
