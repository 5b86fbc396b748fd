"""OPI's own scenarios for departments, users, deals and feed posts, in OPI's order, through
the ``oint`` command, once with each auth form. Every reply is checked against the real
portal's recording of the same call."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")


@pytest.fixture(scope="module")
def portal_of_people() -> Iterator[EmulatorProcess]:
    with launch() as running:
        yield running


class Oint:
    """``oint bitrix24 <Function>`` with one auth form; each reply checked for its shape."""

    def __init__(self, cli: Any, portal: EmulatorProcess, auth: str) -> None:
        self.cli = cli
        self.auth = (["--url", portal.webhook_url] if auth == "webhook" else
                     ["--url", portal.base_url, "--token", portal.token])
        self.suffix = "_wh" if auth == "webhook" else ""

    def __call__(self, function: str, *options: Any, shape: bool = True) -> Any:
        done = self.cli("bitrix24", function, *self.auth, *[str(o) for o in options])
        assert done.code == 0, f"{function}: {done.stderr}"
        reply = done.json()
        if shape:
            assert_shape(reply, function + self.suffix)
        return reply["result"]

    def local(self, function: str, *options: str) -> Any:
        done = self.cli("bitrix24", function, *options)
        assert done.code == 0, done.stderr
        return done.json()


def _json(value: Any) -> str:
    return json.dumps(value)


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_departments_scenario(cli: Any, portal_of_people: EmulatorProcess,
                                   auth: str) -> None:
    oint = Oint(cli, portal_of_people, auth)
    main = oint("CreateDepartment", "--title", "Main department", "--parentid", 1)
    sub = oint("CreateDepartment", "--title", "Subordinate department", "--parentid", main,
               "--headid", 1)
    [found] = oint("GetDepartments", "--depid", sub)
    assert (found["NAME"], found["PARENT"], found["UF_HEAD"]) == (
        "Subordinate department", str(main), "1")
    assert oint("UpdateDepartment", "--depid", sub, "--title", "New department",
                "--parentid", 1, "--headid", 10) is True
    assert oint("GetDepartments", "--depid", sub)[0]["UF_HEAD"] == "10"
    assert oint("DeleteDepartment", "--depid", sub) is True
    assert oint("DeleteDepartment", "--depid", main) is True


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_users_scenario(cli: Any, portal_of_people: EmulatorProcess, auth: str) -> None:
    oint = Oint(cli, portal_of_people, auth)
    assert oint("GetCurrentUser")["ID"] == "1"
    assert "UF_DEPARTMENT" in oint("GetUserFieldsStructure")
    email = f"{uuid.uuid4()}@example.org"
    user = oint("CreateUser", "--fields", _json({
        "EMAIL": email, "NAME": "Vitaly", "LAST_NAME": "Alpaca",
        "PERSONAL_MOBILE": "88003553535", "UF_DEPARTMENT": 1}))
    nobody = oint("FindUsers", "--filter", _json({
        "NAME": "Vitaly", "LAST_NAME": "Alpaca", "WORK_POSITION": "DevOps engineer",
        "UF_DEPARTMENT_NAME": "Marketing department", "USER_TYPE": "employee"}))
    assert nobody == []  # Vitaly has no position
    assert oint("UpdateUser", "--userid", user, "--fields", _json({
        "EMAIL": f"{uuid.uuid4()}@example.org", "NAME": "Oleg", "LAST_NAME": "Lama",
        "UF_DEPARTMENT": 2})) is True
    [got] = oint("GetUser", "--userid", user)
    assert (got["NAME"], got["LAST_NAME"], got["UF_DEPARTMENT"]) == ("Oleg", "Lama", [2])
    assert oint("ChangeUserStatus", "--userid", user, "--fire", "true") is True
    assert oint("GetUser", "--userid", user)[0]["ACTIVE"] is False
    assert oint.local("GetUserFilterStructure") == recorded("GetUserFilterStructure")


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_deals_scenario(cli: Any, portal_of_people: EmulatorProcess, auth: str) -> None:
    oint = Oint(cli, portal_of_people, auth)
    assert oint.local("GetDealsFilterStructure") == recorded("GetDealsFilterStructure")
    assert "STAGE_ID" in oint("GetDealStructure")
    fields = {"TITLE": "Planned sale", "TYPE_ID": "GOODS", "STAGE_ID": "NEW", "COMPANY_ID": 1,
              "CONTACT_ID": 3, "OPENED": "Y", "ASSIGNED_BY_ID": 1, "PROBABILITY": 30,
              "CURRENCY_ID": "USD", "OPPORTUNITY": 5000, "CATEGORY_ID": 5,
              "BEGINDATE": "2024-01-01", "CLOSEDATE": "2030-01-01"}
    deal = oint("CreateDeal", "--fields", _json(fields))
    got = oint("GetDeal", "--deal", deal)
    assert (got["TITLE"], got["OPPORTUNITY"], got["CATEGORY_ID"]) == ("Planned sale",
                                                                      "5000.00", "0")
    changes = {"TITLE": "Sale in RUB", "CURRENCY_ID": "RUB", "OPPORTUNITY": 50000}
    assert oint("UpdateDeal", "--deal", deal, "--fields", _json(changes)) is True
    other = oint("CreateDeal", "--fields", _json({**fields, **changes}))
    assert oint("DeleteDeal", "--deal", deal) is True
    found = oint("GetDealsList", "--filter", _json({"TITLE": "Sale in RUB",
                                                     "CURRENCY_ID": "RUB"}))
    assert str(other) in [d["ID"] for d in found] and str(deal) not in [d["ID"] for d in found]


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_posts_scenario(cli: Any, portal_of_people: EmulatorProcess, auth: str,
                             tmp_path: Path) -> None:
    oint = Oint(cli, portal_of_people, auth)
    picture = tmp_path / "picture.gif"
    picture.write_bytes(GIF)
    files = _json({"1.png": str(picture), "2.png": base64.b64encode(GIF).decode()})
    important = oint("CreatePost", "--text", "Text of post", "--files", files,
                     "--title", "Post title", "--important", "true")
    post = oint("CreatePost", "--text", "Text of post", "--files", files,
                "--title", "Post title")
    assert oint("UpdatePost", "--postid", post, "--text", "New post text",
                "--files", _json({"1.png": str(picture)}), "--title", "New post title") == post
    assert oint("GetImportantPostViewers", "--postid", important) == ["1"]
    [got] = oint("GetPosts", "--postid", post)
    assert (got["TITLE"], got["DETAIL_TEXT"], len(got["FILES"])) == (
        "New post title", "New post text", 3)
    assert oint("AddPostComment", "--postid", post, "--text", "Comment for post") > 0
    assert oint("AddPostRecipients", "--postid", post, "--vision", "UA") is True
    for made in (post, important):
        assert oint("DeletePost", "--postid", made) is True
