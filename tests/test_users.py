"""Users management: the portal's people as user.* shows them, invitations and their errors,
firing (a fired user cannot call the API), the lists' filters, order and paging."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error, calls
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded

EMPLOYEE = "employee2"  # user 2's webhook code: an employee, not an administrator
FIRED = "fired5"  # user 5's, fired and taken back by the tests


@pytest.fixture(scope="module")
def people() -> Iterator[EmulatorProcess]:
    with launch(["--webhook", f"2/{EMPLOYEE}", "--webhook", f"5/{FIRED}",
                 "--token", "5/token-of-user-5"]) as running:
        yield running


def _hook(portal: EmulatorProcess, user: int, code: str) -> str:
    return f"{portal.base_url}/rest/{user}/{code}"


def _email() -> str:
    return f"{uuid.uuid4()}@example.org"


def _error(call: Any) -> Bitrix24Error:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value


def test_the_current_user_as_both_auth_forms_see_them(people: EmulatorProcess) -> None:
    hooked = bitrix24.get_current_user(people.webhook_url)
    assert_shape(hooked.json(), "GetCurrentUser_wh")
    me = hooked.result
    assert (me["ID"], me["ACTIVE"], me["UF_DEPARTMENT"]) == ("1", True, [1])
    # The old API writes its date-times as text, in the portal's formats.
    assert len(me["TIMESTAMP_X"]) == len("06.03.2026 00:43:23") and "USER_TYPE" not in me
    with BucketlessClient(people.base_url, people.token) as b24:
        assert_shape(b24.get_current_user().json(), "GetCurrentUser")


def test_fields_are_the_real_list_in_its_order(people: EmulatorProcess) -> None:
    fields = bitrix24.get_user_fields_structure(people.webhook_url)
    assert_shape(fields.json(), "GetUserFieldsStructure")
    assert list(fields.result) == list(recorded("GetUserFieldsStructure")["result"])


def test_seeded_people_leave_most_of_their_profile_empty(people: EmulatorProcess) -> None:
    with BucketlessClient(people.webhook_url) as b24:
        everyone = list(b24.iter_list("user.get"))
        assert [u["ID"] for u in everyone] == [str(i) for i in range(1, 21)]
        positions = [u for u in everyone if "WORK_POSITION" in u]
        assert 0 < len(positions) <= 5  # most have none, as on a real portal
        assert sum("PERSONAL_MOBILE" in u for u in everyone) < 10
        assert {u["PERSONAL_BIRTHDAY"] for u in everyone} > {""}
        messenger = b24.call("im.user.list.get", {"ID": list(range(1, 21))}).result
        assert sum(user["work_position"] is None for user in messenger.values()) >= 15
        assert messenger["6"]["departments"] == [3]  # the messenger's users are these


def test_invite_get_update_and_fire(people: EmulatorProcess) -> None:
    url = people.webhook_url
    fields = {"EMAIL": _email(), "NAME": "Vitaly", "LAST_NAME": "Alpaca",
              "PERSONAL_MOBILE": "88003553535", "UF_DEPARTMENT": 1}
    created = bitrix24.create_user(url, fields)
    assert_shape(created.json(), "CreateUser_wh")
    user_id = created.result
    got = bitrix24.get_user(url, user_id)
    assert_shape(got.json(), "GetUser")
    [user] = got.result
    assert (user["EMAIL"], user["ACTIVE"], user["USER_TYPE"]) == (fields["EMAIL"], True,
                                                                  "employee")
    assert user["TIMESTAMP_X"] == {} and user["LAST_LOGIN"] == ""  # invited, never logged in
    assert "WORK_POSITION" not in user and "SECOND_NAME" not in user
    updated = bitrix24.update_user(url, user_id, {"NAME": "Oleg", "UF_DEPARTMENT": [2, 3]})
    assert_shape(updated.json(), "UpdateUser_wh")
    [user] = bitrix24.get_user(url, user_id).result
    assert (user["NAME"], user["UF_DEPARTMENT"]) == ("Oleg", [2, 3])
    fired = bitrix24.change_user_status(url, user_id)
    assert_shape(fired.json(), "ChangeUserStatus_wh")
    assert bitrix24.get_user(url, user_id).result[0]["ACTIVE"] is False
    assert bitrix24.ChangeUserStatus(url, user_id, False).result is True
    assert bitrix24.get_user(url, user_id).result[0]["ACTIVE"] is True


def test_a_fired_user_cannot_call_the_api(people: EmulatorProcess) -> None:
    hook = _hook(people, 5, FIRED)
    assert bitrix24.get_current_user(hook).result["ID"] == "5"
    assert bitrix24.change_user_status(people.webhook_url, 5, True).result is True
    for call in (lambda: bitrix24.get_current_user(hook),
                 lambda: bitrix24.server_time(people.base_url, "token-of-user-5")):
        error = _error(call)
        assert (error.code, error.description, error.status) == (
            "authorization_error", "Unable to authorize user", 401)
    chat = httpx.post(f"{people.webhook_url}/im.chat.add", json={"USERS": [5, 6]}).json()
    assert httpx.post(f"{people.webhook_url}/im.chat.user.list",
                      json={"CHAT_ID": chat["result"]}).json()["result"] == [1, 6]
    assert bitrix24.change_user_status(people.webhook_url, 5, False).result is True
    assert bitrix24.get_current_user(hook).result["ID"] == "5"


@pytest.mark.parametrize(("fields", "code", "text"), [
    ({"EMAIL": "not an address", "UF_DEPARTMENT": 1}, "ERROR_ARGUMENT", "wrong_email"),
    ({"UF_DEPARTMENT": 1}, "ERROR_ARGUMENT", "wrong_email"),
    ({"EMAIL": "maria.ivanova@example.com", "UF_DEPARTMENT": 1}, "ERROR_ARGUMENT",
     "User with this email already exists"),
    ({"EMAIL": "MARIA.Ivanova@example.com", "UF_DEPARTMENT": 2}, "ERROR_ARGUMENT",
     "User with this email already exists"),
    ({"EMAIL": "someone.new@example.org"}, "ERROR_ARGUMENT", "no_extranet_field"),
    ({"EMAIL": "guest@example.org", "EXTRANET": "Y"}, "ERROR_CORE",
     "no_sonet_group_for_extranet"),
])
def test_invitation_errors(people: EmulatorProcess, fields: dict[str, Any], code: str,
                           text: str) -> None:
    reply = httpx.post(f"{people.webhook_url}/user.add", json=fields)
    assert reply.status_code == 400
    body = reply.json()
    assert (body["error"], body["error_description"]) == (code, text)
    if code == "ERROR_ARGUMENT":
        assert body["argument"] == ""


def test_only_an_administrator_invites_and_changes_others(people: EmulatorProcess) -> None:
    employee = _hook(people, 2, EMPLOYEE)
    for call in (lambda: bitrix24.create_user(employee, {"EMAIL": _email(),
                                                         "UF_DEPARTMENT": 1}),
                 lambda: bitrix24.update_user(employee, 3, {"NAME": "X"}),
                 lambda: bitrix24.update_user(employee, 0, {"NAME": "X"}),
                 lambda: bitrix24.change_user_status(employee, 3)):
        error = _error(call)
        assert (error.code, error.description, error.status) == ("ERROR_CORE",
                                                                 "access_denied", 400)
    # One's own profile, yes; one's own ACTIVE and departments, silently not.
    assert bitrix24.update_user(employee, 2, {"WORK_POSITION": "Head of sales",
                                              "ACTIVE": "N", "UF_DEPARTMENT": 4}).result
    [me] = bitrix24.get_user(employee, 2).result
    assert (me["WORK_POSITION"], me["ACTIVE"], me["UF_DEPARTMENT"]) == ("Head of sales",
                                                                        True, [2])


def test_updating_nobody_or_to_a_taken_address_fails(people: EmulatorProcess) -> None:
    error = _error(lambda: bitrix24.update_user(people.webhook_url, 10**6, {"NAME": "X"}))
    assert (error.code, error.description) == ("ERROR_CORE", "")
    error = _error(lambda: bitrix24.update_user(people.webhook_url, 3,
                                                {"EMAIL": "maria.ivanova@example.com"}))
    assert error.code == "ERROR_CORE" and "already exists" in error.description


def _ids(reply: Any) -> list[int]:
    return [int(user["ID"]) for user in reply]


def test_search_by_names_position_and_department(people: EmulatorProcess) -> None:
    with BucketlessClient(people.webhook_url) as b24:
        def find(filter_: dict[str, Any]) -> list[int]:
            return _ids(b24.find_users(filter_).result)

        assert find({"NAME": "Ma"}) == [2, 11]  # the start of a name
        assert find({"LAST_NAME": "nov"}) == [3, 18]
        assert find({"WORK_POSITION": "Analyst"}) == [14]
        assert find({"UF_DEPARTMENT_NAME": "Support"}) == [7, 16]
        assert find({"FIND": "sokol"}) == [6]  # any word's start: names, e-mail, ...
        assert find({"FIND": "marketing elena"}) == [6]  # every word must match
        assert find({"FIND": "accounting"}) == [4, 14]  # a department's name
        assert find({"FIND": "peter.novak"}) == [3]
        empty = b24.find_users({"UF_DEPARTMENT_NAME": "Bitrix"})
        assert_shape(empty.json(), "FindUsers")
        assert empty.result == [] and "total" not in empty


def test_user_get_filters_order_and_pages(people: EmulatorProcess) -> None:
    with BucketlessClient(people.webhook_url) as b24:
        def get(params: dict[str, Any]) -> Any:
            return b24.call("user.get", params, reads=True)

        assert _ids(get({"FILTER": {"UF_DEPARTMENT": 4}}).result) == [5, 10, 11, 19]
        assert _ids(get({"UF_DEPARTMENT": [5, 6]}).result) == [4, 7, 14, 16]  # top level too
        assert 5 in _ids(get({"FILTER": {"ACTIVE": True}}).result)
        assert _ids(get({"FILTER": {"NAME_SEARCH": "lucia"}}).result) == [16]
        by_name = _ids(get({"sort": "LAST_NAME", "order": "DESC",
                            "FILTER": {"<ID": 5}}).result)
        assert by_name == [4, 3, 1, 2]  # Petrova, Novak, Morgan, Ivanova
        # The ORM's paging: start is an offset, not a page; next is where the next one is.
        page = get({"start": 7, "FILTER": {"<=ID": 20}})
        assert _ids(page.result)[0] == 8 and page.total == 20 and page.next is None
        small = get({"start": 0, "FILTER": {"USER_TYPE": "employee"}})
        assert small.total is not None and small.total >= 20
        assert get({"FILTER": {"ID": 10**6}}).json()["result"] == []
        fast = get({"start": -1, "FILTER": {">ID": 18}})
        assert (_ids(fast.result)[:2], fast.total, fast.next) == ([19, 20], 0, None)


def test_walking_user_lists(people: EmulatorProcess) -> None:
    with BucketlessClient(people.webhook_url) as b24:
        for index in range(55):  # more than a page of people
            b24.call("user.add", {"EMAIL": f"walker{index}.{uuid.uuid4()}@example.org",
                                  "NAME": "Walker", "UF_DEPARTMENT": 5})
        walkers = list(b24.iter_list(calls.find_users({"NAME": "Walker"})))
        assert len(walkers) == 55 and len({w["ID"] for w in walkers}) == 55
        everyone = list(b24.iter_list("user.get", {"filter": {"UF_DEPARTMENT": 5}},
                                      strategy="cursor"))
        assert len(everyone) == 57  # the walkers and the two seeded support engineers


def test_users_from_the_command_line(cli_process: Any, people: EmulatorProcess) -> None:
    url = people.webhook_url
    email = _email()
    created = cli_process("bitrix24", "CreateUser", "--url", url, "--fields",
                          f"{{'EMAIL':'{email}','NAME':'Ann','UF_DEPARTMENT':[3]}}")
    assert created.code == 0, created.stderr
    user_id = str(created.json()["result"])
    got = cli_process("bitrix24", "GetUser", "--url", url, "--userid", user_id)
    assert got.json()["result"][0]["UF_DEPARTMENT"] == [3]
    assert cli_process("bitrix24", "UpdateUser", "--url", url, "--userid", user_id,
                       "--fields", "{'LAST_NAME':'Lee'}").json()["result"] is True
    fired = cli_process("bitrix24", "ChangeUserStatus", "--url", url, "--userid", user_id,
                        "--fire", "true")
    assert fired.code == 0 and fired.json()["result"] is True
    found = cli_process("bitrix24", "FindUsers", "--url", url, "--filter", "{'FIND':'Lee'}")
    assert [u["ID"] for u in found.json()["result"]] == [user_id]
    refused = cli_process("bitrix24", "CreateUser", "--url", url, "--fields",
                          f"{{'EMAIL':'{email}','UF_DEPARTMENT':1}}")
    assert refused.code != 0 and refused.json()["error"] == "ERROR_ARGUMENT"
    structure = cli_process("bitrix24", "GetUserFilterStructure")
    assert structure.json() == recorded("GetUserFilterStructure")
    blank = cli_process("bitrix24", "GetUserFilterStructure", "--empty")
    assert set(blank.json().values()) == {""}


def test_every_user_search_page_from_the_command_line(cli: Any, people: EmulatorProcess
                                                      ) -> None:
    done = cli("bitrix24", "FindUsers", "--url", people.webhook_url, "--filter",
               "{'UF_DEPARTMENT_NAME':'Sales'}", "--all")
    assert done.code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [int(json.loads(line)["ID"]) for line in lines][:4] == [2, 3, 15, 20]


def test_a_portal_file_of_the_first_user_layout_is_migrated(tmp_path: Any) -> None:
    import sqlite3

    db = tmp_path / "portal.db"
    with launch(db=str(db)):
        pass
    # What version 1 of the users family wrote: names that could not be empty, no profile.
    with sqlite3.connect(db) as old:
        old.executescript("""
            CREATE TABLE users_v1 (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                last_name TEXT NOT NULL, email TEXT NOT NULL, gender TEXT NOT NULL DEFAULT 'M',
                work_position TEXT, active INTEGER NOT NULL DEFAULT 1,
                is_admin INTEGER NOT NULL DEFAULT 0,
                user_type TEXT NOT NULL DEFAULT 'employee',
                status TEXT NOT NULL DEFAULT 'online');
            INSERT INTO users_v1 SELECT id, name, last_name, email, 'M', 'Tester', active,
                is_admin, user_type, 'dnd' FROM users;
            DROP TABLE users; ALTER TABLE users_v1 RENAME TO users;
            CREATE TRIGGER general_chat_join AFTER INSERT ON users BEGIN
                INSERT OR IGNORE INTO chat_members (chat_id, user_id) VALUES (1, NEW.id);
            END;
            DROP TABLE user_departments; DROP TABLE departments;
            UPDATE oint_schema SET version = 1 WHERE family = 'users';
        """)
    with launch(db=str(db)) as again:
        [user] = bitrix24.get_user(again.webhook_url, 7).result
        assert (user["NAME"], user["WORK_POSITION"], user["UF_DEPARTMENT"]) == (
            "Ivan", "Tester", [5])
        status = httpx.post(f"{again.webhook_url}/im.user.status.get").json()["result"]
        assert status == "dnd"
        chat = httpx.post(f"{again.webhook_url}/im.chat.add", json={"USERS": [7]}).json()
        assert chat["result"] > 1  # the messenger still knows everyone
        hired = bitrix24.create_user(again.webhook_url, {"EMAIL": _email(),
                                                         "UF_DEPARTMENT": 1}).result
    with sqlite3.connect(db) as migrated:
        assert migrated.execute("SELECT version FROM oint_schema WHERE family = 'users'"
                                ).fetchone()[0] == 2
        # The general chat's trigger moved to the new table: the new hire is a member.
        assert migrated.execute("SELECT 1 FROM chat_members WHERE chat_id = 1 AND user_id = ?",
                                (hired,)).fetchone() == (1,)
