"""The English label of a council session takes its ordinal suffix (kg/iris.py): the
labels read "1th", "2th" and "22th" before."""

from __future__ import annotations

import pytest

from kg.iris import session_label_en


@pytest.mark.parametrize(("number", "label"), [
    (1, "1st session of the IT Planning Council"),  # the first session (22.04.2010)
    (2, "2nd session of the IT Planning Council"),
    (3, "3rd session of the IT Planning Council"),
    (11, "11th session of the IT Planning Council"),  # 11 to 13 take "th"
    (12, "12th session of the IT Planning Council"),
    (13, "13th session of the IT Planning Council"),
    (22, "22nd session of the IT Planning Council"),
    (48, "48th session of the IT Planning Council"),  # the seed protocol's session
    (101, "101st session of the IT Planning Council"),  # numbers past three digits alike
    (112, "112th session of the IT Planning Council"),
])
def test_english_session_labels(number: int, label: str) -> None:
    assert session_label_en(number) == label
