"""Calendars management: sections per owner and type with their access rules, the calendar
settings, users' busy times (recurrences included), OPI's local structures, and every
reachable error of these methods with its text and status.

Expected texts are the calendar module's (``lang/en/classes/general/calendar_restservice.php``
of the server's public source); shapes and values are the recordings'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from calendar_office import Office, assert_calendar_error, missing, office_of
from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import UsageError, calls
from shapes import assert_shape, recorded


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    with office_of() as running:
        yield running


def test_the_calendars_errors_have_an_empty_code_on_the_wire(office: Office) -> None:
    reply = httpx.post(f"{office.urls[1]}/calendar.section.get.json", json={"ownerId": 1})
    assert reply.status_code == 400
    assert reply.json() == {"error": "", "error_description": missing(
        "type", "calendar.section.get")}


def _calendar(**changes: Any) -> dict[str, Any]:
    return {"type": "user", "ownerId": 1, "name": "New calendar",
            "description": "My new calendar", "color": "#FFFFFF", "text_color": "#000000",
            "export": {"ALLOW": "True", "SET": "all"}, **changes}


def test_calendars_of_an_owner_with_the_callers_permissions(office: Office) -> None:
    with office.client(1) as mine, office.client(2) as theirs:
        created = mine.create_calendar(_calendar())
        assert_shape(created.json(), "CreateCalendar")
        listed = mine.get_calendar_list(1, "user")
        assert_shape(listed.json(), "GetCalendarList")
        section = next(s for s in listed.result if s["ID"] == str(created.result))
        assert (section["NAME"], section["COLOR"], section["CAL_TYPE"], section["OWNER_ID"]) \
            == ("New calendar", "#FFFFFF", "user", "1")
        assert section["ACCESS"] == {"G2": 31, "U1": 39}  # as the recorded portal gives
        assert all(section["PERM"].values())
        assert section["EXPORT"]["ALLOW"] is True
        # Another employee sees only when user 1 is busy.
        seen = next(s for s in theirs.get_calendar_list(1, "user").result
                    if s["ID"] == str(created.result))
        assert [k for k, v in seen["PERM"].items() if v] == ["view_time"]
        # Without ownerId, a user calendar is the caller's own.
        own = theirs.call("calendar.section.get", {"type": "user"}).result
        assert all(s["OWNER_ID"] == "2" for s in own)


def test_colours_and_defaults_of_a_new_calendar(office: Office) -> None:
    with office.client(3) as b24:
        plain = b24.create_calendar({"type": "user", "ownerId": 3, "name": " Plain "}).result
        odd = b24.create_calendar({"type": "user", "ownerId": 3, "name": "Odd",
                                   "color": "%23000000>", "text_color": "zz"}).result
        by_id = {s["ID"]: s for s in b24.get_calendar_list(3, "user").result}
        # calendar.section.add's defaults, and CCalendar::Color (OPI's "%23000000>").
        assert (by_id[str(plain)]["NAME"], by_id[str(plain)]["COLOR"],
                by_id[str(plain)]["TEXT_COLOR"]) == ("Plain", "#E6A469", "#000000")
        assert (by_id[str(odd)]["COLOR"], by_id[str(odd)]["TEXT_COLOR"]) == ("#230000",
                                                                             "#000000")


def test_update_and_delete_a_calendar_and_its_events(office: Office) -> None:
    with office.client(1) as b24:
        calendar = b24.create_calendar(_calendar()).result
        updated = b24.update_calendar(calendar, {"type": "user", "ownerId": 1,
                                                 "name": "New calendar name",
                                                 "description": "This calendar has been changed",
                                                 "color": "#00FF00"})
        assert_shape(updated.json(), "UpdateCalendar")
        assert updated.result == calendar
        blank = b24.update_calendar(calendar, {"type": "user", "ownerId": 1, "name": "  "})
        assert blank.result == calendar
        section = next(s for s in b24.get_calendar_list(1, "user").result
                       if s["ID"] == str(calendar))
        assert (section["NAME"], section["DESCRIPTION"], section["COLOR"]) == (
            "New calendar name", "This calendar has been changed", "#00FF00")
        event = b24.create_calendar_event({
            "type": "user", "ownerId": 1, "section": calendar, "name": "Goes with it",
            "from": "2026-03-06T10:00:00", "to": "2026-03-06T11:00:00"}).result
        deleted = b24.delete_calendar(calendar, 1, "user")
        assert_shape(deleted.json(), "DeleteCalendar")
        assert deleted.result is True
        assert str(calendar) not in {s["ID"] for s in b24.get_calendar_list(1, "user").result}
        assert b24.get_calendar_event(event).result is None


def test_who_may_change_whose_calendar(office: Office) -> None:
    with office.client(1) as admin, office.client(2) as other:
        mine = admin.create_calendar(_calendar()).result
        for call in (lambda: other.update_calendar(mine, {"type": "user", "ownerId": 1,
                                                           "name": "Mine now"}),
                     lambda: other.delete_calendar(mine, 1, "user"),
                     lambda: other.create_calendar({"type": "company_calendar", "ownerId": 0,
                                                    "name": "Not yours to add"}),
                     lambda: admin.delete_calendar(mine, 2, "user"),  # not user 2's calendar
                     lambda: admin.delete_calendar(10**6, 1, "user")):
            assert_calendar_error(call, "Access denied")
        # The company's calendar: the administrator makes it, everyone sees it in full.
        company = admin.create_calendar({"type": "company_calendar", "ownerId": 0,
                                         "name": "Holidays"}).result
        seen = next(s for s in other.get_calendar_list(0, "company_calendar").result
                    if s["ID"] == str(company))
        assert seen["PERM"]["view_full"] and not seen["PERM"]["edit"]
        assert_calendar_error(lambda: other.create_calendar_event({
            "type": "company_calendar", "ownerId": 0, "section": company, "name": "No",
            "from": "2026-03-06", "to": "2026-03-06"}), "Access denied")


def test_section_errors_in_the_servers_order(office: Office) -> None:
    with office.client(1) as b24:
        for method in ("calendar.section.get", "calendar.section.add",
                       "calendar.section.update", "calendar.section.delete"):
            assert_calendar_error(lambda m=method: b24.call(m, {"ownerId": 1}),
                                  missing("type", method))
            assert_calendar_error(lambda m=method: b24.call(m, {"type": "group"}),
                                  missing("ownerId", method))
        assert_calendar_error(lambda: b24.call("calendar.section.add", {"type": "user"}),
                              'Invalid parameter value for "name"')
        assert_calendar_error(lambda: b24.call("calendar.section.add", {
            "type": "user", "name": "x", "description": 5}),
            'Invalid parameter value for "description"')
        for method in ("calendar.section.update", "calendar.section.delete"):
            assert_calendar_error(lambda m=method: b24.call(m, {"type": "user", "id": "0"}),
                                  "Section ID is not specified")
        assert_calendar_error(lambda: b24.call("calendar.section.update", {
            "type": "user", "id": 1, "name": ["x"]}), 'Invalid parameter value for "name"')


def test_calendar_settings(office: Office) -> None:
    with office.client(2) as b24:
        portal = b24.get_calendar_settings_structure()
        assert_shape(portal.json(), "GetCalendarSettingsStructure")
        assert portal.result == recorded("GetCalendarSettingsStructure_wh")["result"]
        before = b24.get_custom_calendar_settings()
        assert (before.result["view"], before.result["meetSection"],
                before.result["timezoneName"], before.result["timezoneOffsetUTC"]) == (
            "month", False, "UTC", 0)
        # A user's first calendar is where their invitations go.
        first = b24.create_calendar({"type": "user", "ownerId": 2, "name": "Mine"}).result
        changed = b24.set_custom_calendar_settings({
            "view": "week", "showDeclined": "Y", "collapseOffHours": "N", "unknown": 1})
        assert_shape(changed.json(), "SetCustomCalendarSettings")
        after = b24.get_custom_calendar_settings()
        assert_shape(after.json(), "GetCustomCalendarSettings")
        # The recorded portal answers showDeclined true after OPI set it to "Y".
        assert (after.result["view"], after.result["showDeclined"],
                after.result["collapseOffHours"], after.result["meetSection"]) == (
            "week", True, "N", str(first))
        assert "unknown" not in after.result
        assert_calendar_error(lambda: b24.call("calendar.user.settings.set", {}),
                              missing("settings", "calendar.user.settings.set"))
    # Settings are the user's own.
    with office.client(3) as other:
        assert other.get_custom_calendar_settings().result["view"] == "month"


def _repeating(b24: BucketlessClient, owner: int, name: str, start: str, end: str,
               rrule: dict[str, Any], **more: Any) -> int:
    section = b24.create_calendar({"type": "user", "ownerId": owner, "name": name}).result
    return int(b24.create_calendar_event({
        "type": "user", "ownerId": owner, "section": section, "name": name, "from": start,
        "to": end, "rrule": rrule, **more}).result)


def test_busy_times_of_two_users_with_overlapping_recurring_events(office: Office) -> None:
    with office.client(1) as first, office.client(2) as second:
        daily = _repeating(first, 1, "Daily", "2026-05-04T09:00:00", "2026-05-04T10:00:00",
                           {"FREQ": "DAILY", "COUNT": 5}, importance="high")
        weekly = _repeating(second, 2, "Weekly", "2026-05-04T09:30:00", "2026-05-04T10:30:00",
                            {"FREQ": "WEEKLY", "BYDAY": ["MO", "WE"], "UNTIL": "2026-05-13"},
                            private_event="Y", accessibility="quest")
        busy = bitrix24.get_user_busy(office.urls[1], [1, 2], "2026-05-05", "2026-05-11")
        assert_shape(busy.json(), "GetUserBusy")
        one = [b for b in busy.result["1"] if b["ID"] == str(daily)]
        two = [b for b in busy.result["2"] if b["ID"] == str(weekly)]
        # Every day from the 4th, five times: the 5th to the 8th are in the period.
        assert [b["DATE_FROM"] for b in one] == [f"0{d}.05.2026 09:00:00" for d in (5, 6, 7, 8)]
        # Mondays and Wednesdays until the 13th: the 6th (We) and the 11th (Mo).
        assert [(b["DATE_FROM"], b["DATE_TO"]) for b in two] == [
            ("06.05.2026 09:30:00", "06.05.2026 10:30:00"),
            ("11.05.2026 09:30:00", "11.05.2026 10:30:00")]
        assert {b["NAME"] for b in two} == {"[Под вопросом]"}  # private: its accessibility
        assert (one[0]["NAME"], one[0]["IMPORTANCE"], one[0]["ACCESSIBILITY"]) == (
            "Daily", "high", "busy")


def test_an_invitation_keeps_the_invited_busy_until_declined(office: Office) -> None:
    with office.client(1) as host, office.client(10) as guest:
        section = host.create_calendar(_calendar()).result
        meeting = host.create_calendar_event({
            "type": "user", "ownerId": 1, "section": section, "name": "Planning",
            "from": "2026-06-01T12:00:00", "to": "2026-06-01T13:00:00", "is_meeting": "Y",
            "attendees": [1, 10]}).result
        busy = guest.get_user_busy(10, "2026-06-01", "2026-06-01").result["10"]
        entry = [b for b in busy if b["NAME"] == "Planning"]
        assert [b["DATE_FROM"] for b in entry] == ["01.06.2026 12:00:00"]
        assert guest.set_user_participation_status(meeting, "N").result is True
        after = guest.get_user_busy(10, "2026-06-01", "2026-06-01").result["10"]
        assert not [b for b in after if b["NAME"] == "Planning"]


def test_busy_times_errors_and_users_without_events(office: Office) -> None:
    with office.client(1) as b24:
        method = "calendar.accessibility.get"
        for name, params in (("from", {"to": "2026-01-01", "users": [1]}),
                             ("to", {"from": "2026-01-01", "users": [1]}),
                             ("users", {"from": "2026-01-01", "to": "2026-01-02"})):
            assert_calendar_error(lambda p=params: b24.call(method, p), missing(name, method))
        assert b24.get_user_busy([3], "1999-01-01", "1999-01-02").result == {"3": []}


def test_get_user_busy_sends_days_as_opi_does() -> None:
    import datetime as dt

    request = calls.get_user_busy(1, dt.datetime(2025, 10, 30, 20, 25, 56, 671694),
                                  "2025-11-06T20:25:56.6716941")
    assert request.params == {"users": [1], "from": "2025-10-30", "to": "2025-11-06"}
    with pytest.raises(UsageError, match="--from must be a date"):
        calls.get_user_busy(1, "yesterday", "2025-11-06")


def test_a_bad_date_on_the_command_line_is_one_line(office: Office, cli: Any) -> None:
    done = cli("bitrix24", "GetUserBusy", "--url", office.urls[1], "--users", "1",
               "--from", "soon", "--to", "2025-11-06")
    assert done.code != 0 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--from must be a date" in done.stderr


def test_an_error_without_a_code_is_said_so_on_the_command_line(office: Office,
                                                               cli: Any) -> None:
    done = cli("bitrix24", "CreateCalendarEvent", "--url", office.urls[1], "--fields",
               "{'type':'user','ownerId':1,'name':'Standup','section':999999,"
               "'from':'2026-12-02T10:00:00','to':'2026-12-02T10:15:00'}")
    assert done.code == 3
    assert done.json()["error"] == ""  # the reply as the server sent it, on stdout
    assert done.stderr.count("\n") == 1
    assert "an error: (no error code) in calendar.event.add (HTTP 400): " in done.stderr


def test_local_structures_clear_recursively_as_opi_does(cli: Any) -> None:
    cleared = bitrix24.get_calednar_custom_settings_structure(empty=True)
    assert cleared["defaultReminders"] == {"fullDay": [{"type": "", "count": ""}],
                                           "withTime": [{"type": "", "count": ""}]}
    assert all(value == "" for key, value in cleared.items() if key != "defaultReminders")
    calendar = bitrix24.GetCalendarStructure(True)
    assert calendar["export"] == {"ALLOW": "", "SET": ""} and calendar["type"] == ""
    # Each call is a fresh copy: changing one changes nothing of the next.
    bitrix24.get_calendar_structure()["export"]["SET"] = "changed"
    assert bitrix24.get_calendar_structure() == recorded("GetCalendarStructure")
    done = cli("bitrix24", "GetCalednarCustomSettingsStructure", "--empty")
    assert done.code == 0 and done.json() == cleared
