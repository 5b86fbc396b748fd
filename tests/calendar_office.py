"""An emulator with several users' webhooks, and the calendar's errors, for the calendar tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from clients import BucketlessClient
from oint.bitrix24 import Bitrix24Error
from oint.emulator.process import EmulatorProcess, launch

__all__ = ["Office", "assert_calendar_error", "missing", "office_of"]

USERS = (2, 3, 10)


class Office:
    """An emulator with webhooks for user 1 (an administrator) and other users."""

    def __init__(self, process: EmulatorProcess, codes: dict[int, str]) -> None:
        self.process = process
        self.urls = {1: process.webhook_url} | {
            user: f"{process.base_url}/rest/{user}/{code}" for user, code in codes.items()}

    def client(self, user: int = 1) -> BucketlessClient:
        return BucketlessClient(self.urls[user])


@contextmanager
def office_of(users: tuple[int, ...] = USERS, extra: tuple[str, ...] = ()) -> Iterator[Office]:
    codes = {user: secrets.token_hex(8) for user in users}
    args = [word for user, code in codes.items() for word in ("--webhook", f"{user}/{code}")]
    with launch([*args, *extra]) as process:
        yield Office(process, codes)


def assert_calendar_error(call: Callable[[], Any], text: str) -> None:
    """The calendar's errors: the text and HTTP 400; their code is empty on the wire (see
    test_calendars), which the client reports as UNKNOWN_ERROR."""
    with pytest.raises(Bitrix24Error) as caught:
        call()
    error = caught.value
    assert (error.code, error.description, error.status) == ("UNKNOWN_ERROR", text, 400)
    assert error.payload["error"] == ""  # the reply as the server sent it
    assert str(error).startswith("(no error code) in calendar.")


def missing(name: str, method: str) -> str:
    return f'The mandatory parameter "{name}" is not specified for the method "{method}"'
