"""Bulk command-line runs: --from FILE / stdin (batched, in input order) and --all."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oint.cli import main
from oint.cli._io import Console
from oint.emulator.process import EmulatorProcess, launch


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorProcess]:
    with launch(["--seed-leads", "180"]) as running:
        yield running


def _lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


def test_lines_go_out_batched_and_come_back_in_order(
    cli: Any, portal: EmulatorProcess, tmp_path: Path
) -> None:
    rows = [json.dumps({"fields": {"TITLE": f"bulk {n}", "NAME": "Ann & Bo"}}) for n in range(120)]
    rows[7] = "{'fields': {'TITLE': 'single quotes work too'}}"
    rows.insert(3, "")  # blank lines are skipped, but counted
    source = tmp_path / "leads.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = cli("bitrix24", "CreateLead", "--url", portal.webhook_url, "--from", str(source))
    assert done.code == 0, done.stderr
    out = _lines(done.stdout)
    assert len(out) == 120
    ids = [o["result"] for o in out]
    assert len(set(ids)) == 120 and all("time" in o for o in out)
    check = cli("bitrix24", "GetLead", "--url", portal.webhook_url, "--lead", str(ids[7]))
    assert check.json()["result"]["TITLE"] == "single quotes work too"
    assert cli("bitrix24", "GetLead", "--url", portal.webhook_url, "--lead",
               str(ids[-1])).json()["result"]["TITLE"] == "bulk 119"


def test_a_failed_line_is_named_and_does_not_stop_the_others(
    cli: Any, portal: EmulatorProcess, tmp_path: Path
) -> None:
    lead = cli("bitrix24", "CreateLead", "--url", portal.webhook_url,
               "--fields", "{'TITLE':'x'}").json()["result"]
    source = tmp_path / "updates.jsonl"
    source.write_text("\n".join([
        json.dumps({"lead": lead}),
        "not json",
        json.dumps({"lead": 10**9}),
        json.dumps({"lead": lead, "colour": "red"}),
        json.dumps({"lead_id": lead, "fields": {"NAME": "own fields win"}}),
    ]) + "\n", encoding="utf-8")
    done = cli("bitrix24", "UpdateLead", "--url", portal.webhook_url,
               "--fields", "{'TITLE':'from the command line'}", "--from", str(source))
    assert done.code == 3  # an API error among the failures
    first, bad_json, missing, unknown, own = _lines(done.stdout)
    assert first["result"] is True and own["result"] is True
    assert bad_json["error"] == "USAGE_ERROR" and unknown["error"] == "USAGE_ERROR"
    assert missing == {"error": "", "error_description": "Not found"}
    errors = done.stderr.splitlines()
    assert [e.split(": ")[1] for e in errors] == ["line 2", "line 3", "line 4"]
    got = cli("bitrix24", "GetLead", "--url", portal.webhook_url, "--lead", str(lead))
    assert got.json()["result"]["NAME"] == "own fields win"
    assert got.json()["result"]["TITLE"] == "from the command line"


def test_stdin_in_a_real_process(cli_process: Any, portal: EmulatorProcess) -> None:
    text = "".join(json.dumps({"fields": {"TITLE": f"stdin {n}"}}) + "\n" for n in range(60))
    done = cli_process("bitrix24", "CreateLead", "--url", portal.webhook_url, "--from", "-",
                       stdin=text)
    assert done.code == 0, done.stderr
    assert len(_lines(done.stdout)) == 60 and done.stderr == ""  # no bar off a terminal


def test_only_usage_failures_exit_2(cli: Any, portal: EmulatorProcess, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"url": "http://elsewhere"}\n[1, 2]\n', encoding="utf-8")
    done = cli("bitrix24", "GetLead", "--url", portal.webhook_url, "--from", str(source))
    assert done.code == 2 and len(_lines(done.stdout)) == 2
    assert "on the command line" in done.stderr
    missing = cli("bitrix24", "GetLead", "--url", portal.webhook_url, "--from",
                  str(tmp_path / "nope.jsonl"))
    assert missing.code == 2 and "cannot read --from" in missing.stderr


def test_all_pages_as_json_lines(cli: Any, seeded: EmulatorProcess, tmp_path: Path) -> None:
    done = cli("bitrix24", "GetLeadsList", "--url", seeded.webhook_url, "--all")
    assert done.code == 0, done.stderr
    assert [int(r["ID"]) for r in _lines(done.stdout)] == list(range(1, 181))
    out = tmp_path / "leads.jsonl"
    filtered = cli("bitrix24", "GetLeadsList", "--url", seeded.webhook_url, "--all",
                   "--filter", "{'>ID': 170}", "--out", str(out))
    assert filtered.code == 0
    assert [int(r["ID"]) for r in _lines(out.read_text())] == list(range(171, 181))
    not_a_list = cli("bitrix24", "GetLead", "--url", seeded.webhook_url, "--all")
    assert not_a_list.code == 2 and "list method" in not_a_list.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(seeded: EmulatorProcess, tmp_path: Path) -> None:
    source = tmp_path / "gets.jsonl"
    source.write_text("".join(json.dumps({"lead": n}) + "\n" for n in range(1, 101)))
    out, err = io.StringIO(), _Terminal()
    code = main(["bitrix24", "GetLead", "--url", seeded.webhook_url, "--from", str(source)],
                Console(out, err, {}))
    assert code == 0
    assert "100/100 lines" in err.getvalue() and "[" + "#" * 30 + "]" in err.getvalue()
    assert len(out.getvalue().splitlines()) == 100
