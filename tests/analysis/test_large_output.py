"""What `kg impact` and `kg chains` print when the answer is large: the same rows and tree
lines as plain text (rich's layout of 10,000 rows took 4 s), and long lines never cut."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cli.output
from cli.main import main
from kg.settings import Settings


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_impact_as_plain_columns_past_the_row_limit(bundled_settings: Settings,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.output, "RICH_MAX_ROWS", 1)
    text = _run(capsys, "--store", str(bundled_settings.store), "impact", "2021/05")
    # register references.csv: 2021/25 cites 2021/05, 2021/35 cites 2021/25
    assert text.splitlines() == [
        "Wenn 2021/05 aufgehoben würde (5 Ziffern, 0 Aufträge):",
        "Beschluss  Tiefe  Beziehung  über     Titel",
        "─────────  ─────  ─────────  ───────  " + "─" * len("Gesamtsteuerung Registermodernisierung"),
        "2021/25    1      zitiert    2021/05  Registermodernisierung",
        "2021/35    2      zitiert    2021/25  Gesamtsteuerung Registermodernisierung",
    ]


def test_impact_in_a_rich_table_below_it(bundled_settings: Settings,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys, "--store", str(bundled_settings.store), "impact", "2021/05")
    assert "┃ Beschluss ┃" in text
    assert "│ 2021/25   │ 1     │ zitiert   │ 2021/05 │ Registermodernisierung" in text


@pytest.mark.parametrize("max_lines", [
    500,  # rich's Text, one line each
    0,  # one write of plain text
])
def test_chain_lines_are_whole_at_any_size(bundled_settings: Settings, max_lines: int,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.output, "RICH_MAX_LINES", max_lines)
    text = _run(capsys, "--store", str(bundled_settings.store), "chains", "2022/43")
    # 2024/01 and 2025/01 amend 2022/43, which B-2025/39-IT repeals (protocol l. 1088-1092)
    assert text.splitlines() == [
        "Verbundene Beschlüsse 2022/43, 2024/01, 2024/19, 2025/01, 2025/39 (Änderung, Aufhebung)",
        "├── Nachfolge: 2022/43 → 2025/39",
        "├── 2024 (Datum unbekannt): 2024/01 ändert 2022/43 Ziffer 1",
        "├── 2025 (Datum unbekannt): 2025/01 ändert 2022/43 Ziffer 1, 2",
        "├── 2025 (Datum unbekannt): 2025/01 ändert 2024/19 Ziffer 1, 2",
        "└── 26.11.2025: 2025/39 hebt auf 2022/43",
    ]


def test_the_kg_executable_writes_all_of_it_before_it_leaves(bundled_settings: Settings) -> None:
    # the executable ends a read-only command without freeing what it read (cli/main.py):
    # the whole output is still out, and the exit code is the command's
    kg = Path(sys.executable).parent / "kg"
    store = str(bundled_settings.store)
    done = subprocess.run([kg, "--store", store, "chains", "2022/43"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("Verbundene Beschlüsse 2022/43, 2024/01")
    assert done.stdout.splitlines()[-1] == "└── 26.11.2025: 2025/39 hebt auf 2022/43"
    done = subprocess.run([kg, "--store", store, "status", "1999/99"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert "no resolution '1999/99'" in done.stderr
