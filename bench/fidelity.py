"""The fidelity report: every real reply recorded in tests/recordings against the emulator's
reply to the same call, compared at full depth with tests/shapes.py's rules.

    .venv/bin/python bench/fidelity.py          # after ./scripts/test.sh made .venv

Each recording is replayed as OPI made it (its test suite, OPIt_Bitrix24.os): with a token
for the plain recordings, through a webhook for the ``_wh`` ones, with the operation's
declared example (as tests/test_coverage.py runs it), or, where OPI met another situation
(a private dialog instead of a chat, a code that had expired), with a setup of that
situation (``RECORDED_CALLS``).

A difference that also separates the two recordings of the operation (two server versions)
is version drift, and so is one the server's source shows (``VERSION_DRIFT`` in
tests/shapes.py); a recording matches when it differs by drift alone. The report prints
"N of M match", then every difference: drift as drift, the known ones (``KNOWN_DIFFERENCES``)
with their reason. It exits 0 when every recording matches, 1 otherwise. Every request goes
to an emulator on 127.0.0.1 that the report starts and stops.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from oint.bitrix24 import Client, OintError, Operation, Response, operations  # noqa: E402
from oint.emulator.process import launch  # noqa: E402
from shapes import (  # noqa: E402
    RECORDINGS,
    VERSION_DRIFT,
    as_recorded,
    differences,
    known,
    recorded,
    recordings_of,
    same_unmasked,
)
from test_coverage import CLIENT_ID, CLIENT_SECRET, RUN, Portal  # noqa: E402

Setup = Callable[[Portal], dict[str, Any]]
_INDEX = re.compile(r"\[\d+\]")


# -- the situations OPI's calls met, where the declared example makes another ----------------

def _as_user(portal: Portal, user_id: int) -> Client:
    """A client acting as another user of the portal (a token granted to them)."""
    grant = portal.process.admin("POST", "oauth/grants",
                                 {"client_id": CLIENT_ID, "user_id": user_id})
    return Client(portal.base_url, grant["access_token"], limits=None)


def _private_message(portal: Portal) -> dict[str, Any]:
    """OPI's token side marks its message in the private dialog with user 10."""
    sent = portal.call("im.message.add", {"DIALOG_ID": "10", "MESSAGE": "Message text"})
    return {"dialog_id": "10", "message_id": int(sent)}


def _private_history(portal: Portal) -> dict[str, Any]:
    """OPI read a private dialog from its start (FIRST_ID 0): the first 20 of messages
    sent, some deleted since, in the recorded order."""
    partner = "11"  # a dialog of its own, so that other replays add nothing to it
    for deleted in (False, False, True, False, *([True] * 16)):
        sent = portal.call("im.message.add", {"DIALOG_ID": partner, "MESSAGE": "Message text"})
        if deleted:
            portal.call("im.message.delete", {"MESSAGE_ID": sent})
    return {"dialog_id": partner, "first_id": 0}


def _chat_four(portal: Portal) -> dict[str, Any]:
    """OPI's webhook side read chat4: made with user 10, who then wrote in it."""
    chat = int(portal.call("im.chat.add", {"TITLE": "Chat four", "USERS": [10]}))
    with _as_user(portal, 10) as ten:
        ten.call("im.message.add", {"DIALOG_ID": f"chat{chat}", "MESSAGE": "Test message"})
    return {"dialog_id": f"chat{chat}"}


def _stale_code(portal: Portal) -> dict[str, Any]:
    """OPI's GetToken met a code that had expired (codes live 30 s)."""
    code = portal.process.admin("POST", "oauth/codes", {"client_id": CLIENT_ID, "age": 60})
    return {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code["code"]}


def _completed_task(portal: Portal) -> dict[str, Any]:
    """OPI disapproved a task that was completed already: the server refuses."""
    task = portal.call("tasks.task.add", {"fields": {"TITLE": "Done", "RESPONSIBLE_ID": 1}})
    task_id = int(task["task"]["id"])
    portal.call("tasks.task.complete", {"taskId": task_id})
    return {"task_id": task_id}


def _stop_with_utc_time(portal: Portal) -> dict[str, Any]:
    """OPI's StopTimekeeping sent its time as ISO with a Z, which the server refuses."""
    portal.call("timeman.open", {})
    return {"time": "2024-07-30T18:00:00Z"}


RECORDED_CALLS: dict[str, Setup] = {
    "DisapproveTask": _completed_task,
    "DisapproveTask_wh": _completed_task,
    "StopTimekeeping": _stop_with_utc_time,
    "GetDialog": lambda portal: {"dialog_id": "10"},
    "GetChatMembersList": lambda portal: {"dialog_id": "10"},
    "SendWritingNotification": lambda portal: {"dialog_id": "10"},
    "MarkMessageAsReaded": _private_message,
    "MarkMessageAsUnreaded": _private_message,
    "GetChatMessagesList": _private_history,
    "GetChatMessagesList_wh": _chat_four,
    "GetUsers": lambda portal: {"user_ids": [10]},
    "GetToken": _stale_code,
}


# -- replaying and comparing -----------------------------------------------------------------

def _reply(op: Operation, name: str, portal: Portal) -> Any:
    setup = RECORDED_CALLS.get(name)
    assert op.example is not None
    args = setup(portal) if setup is not None else op.example.arguments(portal)
    way = "function" if name.endswith("_wh") or not op.needs_portal else "client"
    try:
        reply = RUN[way](op, args, portal, None)
    except OintError as error:  # an error is a reply too: its envelope is what was recorded
        payload = getattr(error, "payload", None)
        if payload is not None:
            return dict(payload)
        return {"error": getattr(error, "code", ""),
                "error_description": getattr(error, "description", str(error))}
    return as_recorded(op.name, reply.json() if isinstance(reply, Response) else reply)


def _general(difference: str) -> str:
    return _INDEX.sub("[*]", difference)


def _judge(op: Operation, name: str, reply: Any) -> list[tuple[str, str]]:
    """(difference, verdict) for one recording: "" for a failure, else why it is allowed."""
    expected = recorded(name)
    if op.is_local and op.name.endswith("Structure"):
        return [] if same_unmasked(reply, expected) else [("$: not OPI's structure", "")]
    others = [n for n in recordings_of(op.name) if n != name]
    # Where the two versions' replies differ; lists of other lengths put the same key at
    # other indexes, so a difference is looked up at its own path first, then at any index.
    between = {d for other in others for d in differences(recorded(other), expected)}
    anywhere = {_general(d) for d in between}
    drift = "version drift: the other recording has it too"
    verdicts = []
    for difference in differences(reply, expected):
        if difference in between:
            verdicts.append((difference, drift))
        elif (why := known(op.name, difference, VERSION_DRIFT)) is not None:
            verdicts.append((difference, f"version drift: {why}"))
        elif _general(difference) in anywhere:
            verdicts.append((difference, drift))
        elif (why := known(op.name, difference)) is not None:
            verdicts.append((difference, f"KNOWN, not matching: {why}"))
        else:
            verdicts.append((difference, ""))
    return verdicts


def report() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each recording's differences, replayed as OPI's tests ran: region after region, each
    on a fresh portal (what one region's calls leave, such as a task's custom field, shows
    in no other's recordings), operations in OPI's order, the token call before the
    webhook's."""
    names = {path.stem for path in RECORDINGS.glob("*.json")}
    replayed: set[str] = set()
    for module in operations.REGION_MODULES:
        ops = [op for op in operations.region(module).OPERATIONS if recordings_of(op.name)]
        if not ops:
            continue
        with launch(["--app", f"{CLIENT_ID}:{CLIENT_SECRET}"]) as process:
            portal = Portal(process)
            try:
                for op in ops:
                    for name in recordings_of(op.name):
                        replayed.add(name)
                        yield name, _judge(op, name, _reply(op, name, portal))
            finally:
                portal.close()
    for name in sorted(names - replayed):
        yield name, [("no operation declared for it", "")]


def main() -> int:
    results = list(report())
    matching = [name for name, found in results if all(verdict and not verdict.startswith(
        "KNOWN") for _, verdict in found)]
    only_known = [name for name, found in results
                  if name not in matching and all(verdict for _, verdict in found)]
    print(f"{len(matching)} of {len(results)} recordings match the emulator's replies")
    if only_known:
        print(f"{len(only_known)} more differ only where KNOWN_DIFFERENCES says: "
              f"{', '.join(only_known)}")
    for name, found in results:
        if not found:
            continue
        state = "matches" if name in matching else "DIFFERS"
        print(f"\n{name} ({state})")
        for difference, verdict in found:
            print(f"  {difference}  [{verdict or 'DIFFERENCE'}]")
    return 0 if len(matching) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
