"""Calendar events: dates with and without time, zones, whole-day events, ranges and section
filters, recurrence (daily, weekly, monthly; COUNT and UNTIL), reminders, importance and
accessibility, meetings and their answers, and every reachable error with its text.

A second portal runs in Europe/Berlin for a weekly meeting across the change to summer time
(29 March 2026). Expected instants are computed with the standard library's zoneinfo, the
shapes and formats are the recordings', the texts the server's (``handlers/_calendar``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from calendar_office import Office, assert_calendar_error, missing, office_of
from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import calls
from shapes import assert_shape

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    with office_of() as running:
        yield running


@pytest.fixture(scope="module")
def berlin() -> Iterator[Office]:
    with office_of((2,), ("--timezone", "Europe/Berlin")) as running:
        yield running


def utc(wall: str, zone: dt.tzinfo) -> str:
    """A wall-clock time in a zone as the UTC stamp the portal writes."""
    return str(int(dt.datetime.fromisoformat(wall).replace(tzinfo=zone).timestamp()))


def section_of(b24: BucketlessClient, owner: int, name: str = "Events") -> int:
    return int(b24.create_calendar({"type": "user", "ownerId": owner, "name": name}).result)


def event(b24: BucketlessClient, section: int, owner: int = 1, **fields: Any) -> int:
    body = {"type": "user", "ownerId": owner, "section": section, "name": "Event",
            "from": "2026-03-06T10:00:00", "to": "2026-03-06T11:00:00", **fields}
    return int(b24.create_calendar_event(body).result)


def listed(b24: BucketlessClient, owner: int, **filter_: Any) -> list[dict[str, Any]]:
    """The owner's events. (Their shapes are compared with the recordings where those
    recorded the same kind of event, a daily meeting: in the scenario and coverage tests.)"""
    return list(b24.get_calendar_events(owner, "user", filter_ or None).result)


def test_an_event_with_time_in_its_own_zone(office: Office) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
        made = b24.create_calendar_event({
            "type": "user", "ownerId": 1, "section": section, "name": "New event",
            "from": "2026-03-06T21:44:17", "to": "2026-03-06T22:44:17",
            "timezone_from": "Europe/Minsk", "timezone_to": "Europe/Minsk",
            "color": "%23000000>", "remind": [{"type": "min", "count": "15"}],
            "importance": "HIGH", "accessibility": "absent", "location": "Office"})
        assert_shape(made.json(), "CreateCalendarEvent")
        e = b24.get_calendar_event(made.result).result
        # Rounded to the minute (CCalendar::RoundTimestamp), as the recordings show.
        assert (e["DATE_FROM"], e["DATE_TO"], e["TZ_FROM"], e["TZ_OFFSET_FROM"]) == (
            "06.03.2026 21:44:00", "06.03.2026 22:44:00", "Europe/Minsk", "10800")
        minsk = ZoneInfo("Europe/Minsk")
        assert (e["DATE_FROM_TS_UTC"], e["DATE_TO_TS_UTC"], e["DT_LENGTH"]) == (
            utc("2026-03-06T21:44:00", minsk), utc("2026-03-06T22:44:00", minsk), 3600)
        assert (e["COLOR"], e["IMPORTANCE"], e["ACCESSIBILITY"], e["LOCATION"]) == (
            "#230000", "high", "absent", "Office")
        assert e["REMIND"] == [{"type": "min", "count": 15}]
        assert e["DATE_FROM_FORMATTED"] == "Fri Mar 06 2026 21:44:00"
        assert (e["RRULE"], e["IS_MEETING"], e["MEETING_STATUS"]) == ("", False, "H")
        # The viewer's zone is the portal's (UTC): Minsk is three hours ahead.
        assert (e["~USER_OFFSET_FROM"], e["~USER_OFFSET_TO"]) == (10800, 10800)


def test_a_date_with_an_offset_is_an_instant_on_the_portals_clock(office: Office) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
        made = event(b24, section, **{"from": "2026-03-06T10:00:00+03:00",
                                      "to": "2026-03-06T11:30:00Z",
                                      "timezone_from": "Europe/Berlin"})
        e = b24.get_calendar_event(made).result
        assert (e["DATE_FROM"], e["DATE_TO"], e["TZ_FROM"], e["TZ_TO"]) == (
            "06.03.2026 07:00:00", "06.03.2026 11:30:00", "UTC", "UTC")
        stamp = event(b24, section, **{"from": None, "to": None,
                                       "from_ts": 1772791200, "to_ts": 1772794800})
        assert b24.get_calendar_event(stamp).result["DATE_FROM"] == "06.03.2026 10:00:00"


def test_a_whole_day_event(office: Office) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
        made = event(b24, section, **{"from": "2026-04-06", "to": "2026-04-07",
                                      "skip_time": "Y", "timezone_from": "Europe/Minsk"})
        e = b24.get_calendar_event(made).result
        assert (e["DATE_FROM"], e["DATE_TO"], e["DT_SKIP_TIME"], e["DT_LENGTH"]) == (
            "06.04.2026", "07.04.2026", "Y", 2 * 86400)
        assert (e["TZ_FROM"], e["TZ_TO"], e["~USER_OFFSET_FROM"]) == (None, None, 0)
        # Its second day meets a range of that day alone, and it keeps the user busy then.
        second_day = listed(b24, 1, section=[section], **{"from": "2026-04-07",
                                                          "to": "2026-04-07"})
        assert [x["ID"] for x in second_day] == [str(made)]
        busy = b24.get_user_busy(1, "2026-04-07", "2026-04-07").result["1"]
        assert [b["DT_SKIP_TIME"] for b in busy if b["ID"] == str(made)] == ["Y"]


def test_ranges_and_section_filters(office: Office) -> None:
    with office.client(1) as b24:
        first, second = section_of(b24, 1, "First"), section_of(b24, 1, "Second")
        early = event(b24, first, name="Early", **{"from": "2026-07-01T09:00:00",
                                                    "to": "2026-07-01T10:00:00"})
        late = event(b24, first, name="Late", **{"from": "2026-07-20T09:00:00",
                                                  "to": "2026-07-20T10:00:00"})
        other = event(b24, second, name="Other", **{"from": "2026-07-02T09:00:00",
                                                     "to": "2026-07-02T10:00:00"})
        july = {x["ID"] for x in listed(b24, 1, **{"from": "2026-07-01", "to": "2026-07-10"})}
        assert {str(early), str(other)} <= july and str(late) not in july
        only_first = listed(b24, 1, section=[first], **{"from": "2026-07-01"})
        assert [x["ID"] for x in only_first] == [str(early), str(late)]
        one = b24.call("calendar.event.get", {"type": "user", "ownerId": 1, "section": second,
                                              "from": "2026-07-01"}).result
        assert [x["ID"] for x in one] == [str(other)]
        # Without from and to: a month back and three months on from today.
        today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        now = event(b24, second, name="Now", **{"from": today, "to": today})
        assert str(now) in {x["ID"] for x in listed(b24, 1, section=[second])}


def test_daily_weekly_and_monthly_rules_expand_in_the_range(office: Office) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
        daily = event(b24, section, rrule={"FREQ": "DAILY", "COUNT": 3, "INTERVAL": 10},
                      **{"from": "2026-09-01T08:00:00", "to": "2026-09-01T08:30:00"})
        weekly = event(b24, section, rrule={"FREQ": "WEEKLY", "BYDAY": ["WE", "MO"],
                                            "UNTIL": "2026-09-16"},
                       **{"from": "2026-09-02T12:00:00", "to": "2026-09-02T13:00:00"})
        monthly = event(b24, section, rrule={"FREQ": "MONTHLY", "COUNT": 3},
                        **{"from": "2026-09-15T18:00:00", "to": "2026-09-15T19:00:00"})
        found = listed(b24, 1, section=[section],
                       **{"from": "2026-09-01", "to": "2026-12-31"})

        def starts(event_id: int) -> list[tuple[str, int]]:
            return [(x["DATE_FROM"], x["RINDEX"]) for x in found if x["ID"] == str(event_id)]

        assert starts(daily) == [("01.09.2026 08:00:00", 0), ("11.09.2026 08:00:00", 1),
                                 ("21.09.2026 08:00:00", 2)]
        # Mondays and Wednesdays from Wednesday the 2nd, the 16th included.
        assert [d for d, _ in starts(weekly)] == [
            "02.09.2026 12:00:00", "07.09.2026 12:00:00", "09.09.2026 12:00:00",
            "14.09.2026 12:00:00", "16.09.2026 12:00:00"]
        assert [d for d, _ in starts(monthly)] == [
            "15.09.2026 18:00:00", "15.10.2026 18:00:00", "15.11.2026 18:00:00"]
        one = next(x for x in found if x["ID"] == str(daily) and x["RINDEX"] == 1)
        assert (one["~DATE_FROM"], one["DATE_TO"]) == ("01.09.2026 08:00:00",
                                                       "11.09.2026 08:30:00")
        rule = b24.get_calendar_event(weekly).result["RRULE"]
        assert rule == {"FREQ": "WEEKLY", "INTERVAL": 1, "BYDAY": {"MO": "MO", "WE": "WE"},
                        "UNTIL": "16.09.2026", "~UNTIL": "16.09.2026",
                        "UNTIL_TS": int(dt.datetime(2026, 9, 16, tzinfo=dt.timezone.utc)
                                        .timestamp())}
        counted = b24.get_calendar_event(daily).result
        # Without UNTIL the server writes its last date, 01.01.2038, and ~UNTIL empty.
        assert (counted["RRULE"]["UNTIL"], counted["RRULE"]["~UNTIL"]) == ("01.01.2038", "")
        # In the words of GetCalendarEvent_wh.json's ~RRULE_DESCRIPTION.
        assert counted["~RRULE_DESCRIPTION"] == \
            "каждый 10-й день, от 01.09.2026, 3 раз(а)"  # noqa: RUF001
        # A range inside the series shows only what meets it, with its index.
        october = listed(b24, 1, section=[section], **{"from": "2026-10-01",
                                                       "to": "2026-10-31"})
        assert [(x["ID"], x["RINDEX"]) for x in october] == [(str(monthly), 1)]


def test_a_weekly_meeting_across_the_change_to_summer_time(berlin: Office) -> None:
    with berlin.client(1) as host, berlin.client(2) as guest:
        section = section_of(host, 1)
        meeting = host.create_calendar_event({
            "type": "user", "ownerId": 1, "section": section, "name": "Weekly",
            "from": "2026-03-16T10:00:00", "to": "2026-03-16T11:00:00",
            "rrule": {"FREQ": "WEEKLY", "BYDAY": ["MO"], "COUNT": 4}, "is_meeting": "Y",
            "attendees": [1, 2]}).result
        found = listed(host, 1, section=[section],
                       **{"from": "2026-03-01", "to": "2026-04-30"})
        # The wall clock stays at 10:00 in Berlin; in UTC it moves an hour on 29 March.
        assert [x["DATE_FROM"] for x in found] == [
            "16.03.2026 10:00:00", "23.03.2026 10:00:00", "30.03.2026 10:00:00",
            "06.04.2026 10:00:00"]
        first = found[0]
        assert (first["TZ_FROM"], first["TZ_OFFSET_FROM"], first["IS_DAYLIGHT_SAVING_TZ"],
                first["~USER_OFFSET_FROM"]) == ("Europe/Berlin", "3600", "Y", 0)
        assert first["DATE_FROM_TS_UTC"] == utc("2026-03-16T10:00:00", BERLIN)
        # The invited user is busy at 10:00 Berlin time after the change too.
        busy = guest.get_user_busy(2, "2026-03-28", "2026-04-01").result["2"]
        assert [(b["DATE_FROM"], b["TZ_FROM"]) for b in busy] == [
            ("30.03.2026 10:00:00", "Europe/Berlin")]
        assert guest.get_user_participation_status(meeting).result == "Q"
        # A timestamp in summer lands on the summer clock (UTC+2).
        summer = event(host, section, **{"from": None, "to": None,
                                         "from_ts": utc("2026-07-01T10:00:00", BERLIN),
                                         "to_ts": utc("2026-07-01T11:00:00", BERLIN)})
        e = host.get_calendar_event(summer).result
        assert (e["DATE_FROM"], e["TZ_FROM"], e["TZ_OFFSET_FROM"]) == (
            "01.07.2026 10:00:00", "Europe/Berlin", "7200")
        # Dates the portal writes are on its clock: server time and the time block.
        reply = host.server_time()
        offset = dt.datetime.now(BERLIN).strftime("%z")
        assert reply.result.endswith(f"{offset[:3]}:{offset[3:]}")
        assert reply["time"]["date_start"].endswith(f"{offset[:3]}:{offset[3:]}")


def test_a_meeting_its_attendees_and_their_answers(office: Office) -> None:
    with office.client(1) as host, office.client(2) as two, office.client(10) as ten, \
            office.client(3) as stranger:
        section = section_of(host, 1)
        meeting = event(host, section, name="Meeting", is_meeting="Y", attendees=[1, 2, 10],
                        meeting={"notify": "Y", "reinvite": "N", "hide_guests": "N"})
        got = host.get_calendar_event(meeting).result
        assert [(a["id"], a["status"]) for a in got["ATTENDEE_LIST"]] == [
            (1, "H"), (2, "Q"), (10, "Q")]
        assert got["ATTENDEES_CODES"] == ["U1", "U2", "U10"]
        # PHP's (bool) cast: "N" is true, a missing flag false.
        assert (got["MEETING"]["NOTIFY"], got["MEETING"]["REINVITE"],
                got["MEETING"]["HIDE_GUESTS"], got["MEETING"]["ALLOW_INVITE"]) == (
            True, True, True, False)
        entries = {a["id"]: a["entryId"] for a in got["ATTENDEE_LIST"]}
        answered = two.set_user_participation_status(meeting, "y")
        assert_shape(answered.json(), "SetUserParticipationStatus")
        assert ten.set_user_participation_status(int(entries[10]), "N").result is True
        status = two.get_user_participation_status(meeting)
        assert_shape(status.json(), "GetUserParticipationStatus")
        assert (status.result, ten.get_user_participation_status(meeting).result) == ("Y", "N")
        # The host stays the host, whatever they answer.
        assert host.set_user_participation_status(meeting, "N").result is True
        assert host.get_user_participation_status(meeting).result == "H"
        assert_calendar_error(lambda: stranger.get_user_participation_status(meeting),
                              "Error while retrieving status")
        # The invited see it in their own calendar, as their own entry of it.
        copy = next(x for x in listed(two, 2, **{"from": "2026-03-06", "to": "2026-03-06"})
                    if x["PARENT_ID"] == str(meeting))
        assert (copy["ID"], copy["OWNER_ID"], copy["MEETING_STATUS"]) == (
            entries[2], "2", "Y")
        # They may not change the meeting; deleting their entry declines it.
        assert_calendar_error(lambda: two.update_calendar_event(meeting, {
            "type": "user", "ownerId": 1, "name": "Mine"}), "Error while editing event")
        assert_calendar_error(lambda: two.delete_calendar_event(meeting),
                              "Error while deleting event")
        assert two.delete_calendar_event(int(entries[2])).result is True
        assert two.get_user_participation_status(meeting).result == "N"
        # The host changes the guests: 10 leaves, 3 comes in, 2 keeps the answer.
        host.update_calendar_event(meeting, {"type": "user", "ownerId": 1, "is_meeting": "Y",
                                             "attendees": [1, 2, 3]})
        after = host.get_calendar_event(meeting).result["ATTENDEE_LIST"]
        assert [(a["id"], a["status"]) for a in after] == [(1, "H"), (2, "N"), (3, "Q")]
        deleted = host.delete_calendar_event(meeting)
        assert_shape(deleted.json(), "DeleteCalendarEvent")
        assert host.get_calendar_event(meeting).result is None
        assert two.get_calendar_event(int(entries[2])).result is None


def test_update_an_event(office: Office) -> None:
    with office.client(1) as b24:
        section, moved_to = section_of(b24, 1), section_of(b24, 1, "Moved")
        made = event(b24, section, timezone_from="Europe/Minsk", private_event="Y")
        updated = b24.update_calendar_event(made, {
            "type": "user", "ownerId": 1, "name": "Changed", "section": moved_to,
            "from": "2026-03-07T09:00:00", "to": "2026-03-07T09:45:00", "importance": "low",
            "private_event": "N", "rrule": {"FREQ": "DAILY", "COUNT": 2}})
        assert_shape(updated.json(), "UpdateCalendarEvent")
        e = b24.get_calendar_event(made).result
        assert (e["NAME"], e["SECTION_ID"], e["DATE_FROM"], e["DT_LENGTH"], e["IMPORTANCE"],
                e["PRIVATE_EVENT"], e["VERSION"]) == (
            "Changed", str(moved_to), "07.03.2026 09:00:00", 2700, "low", "", "2")
        # calendar.event.update gives the zones every time: without timezone_from the event
        # moves to the caller's (processTimezone), its wall clock kept.
        assert e["TZ_FROM"] == "UTC"
        blank = b24.update_calendar_event(made, {"type": "user", "ownerId": 1, "name": " "})
        assert blank.result == made
        assert b24.get_calendar_event(made).result["NAME"] == "New event"


def test_event_errors_in_the_servers_order(office: Office) -> None:
    with office.client(1) as b24, office.client(2) as other:
        section = section_of(b24, 1)
        add = "calendar.event.add"
        full = {"type": "user", "ownerId": 1, "name": "x", "from": "2026-03-06",
                "to": "2026-03-06"}
        for name in ("from", "to", "name", "ownerId", "type"):
            params = {k: v for k, v in full.items() if k != name}
            assert_calendar_error(lambda p=params: b24.call(add, p), missing(name, add))
        assert_calendar_error(lambda: b24.call(add, {**full, "from": "someday"}),
                              missing("from", add))
        assert_calendar_error(lambda: b24.call(add, {**full, "auto_detect_section": "N"}),
                              missing("section", add))
        assert_calendar_error(lambda: b24.call(add, {**full, "name": 5}),
                              'Invalid parameter value for "name"')
        assert_calendar_error(lambda: b24.call(add, {**full, "description": ["x"]}),
                              'Invalid parameter value for "description"')
        assert_calendar_error(
            lambda: b24.call(add, {**full, "section": section, "ownerId": 2}),
            "You have specified an invalid calendar section ID or the current user does not "
            "have access to it")
        assert_calendar_error(lambda: other.call(add, {**full, "section": section}),
                              "Access denied")
        assert_calendar_error(lambda: b24.call(add, {**full, "crm_fields": "L_1"}),
                              "Event to CRM association list must be an array.")
        assert_calendar_error(lambda: other.call(add, full), "Error while creating event")
        update = "calendar.event.update"
        made = event(b24, section)
        for name in ("id", "ownerId", "type"):
            params = {k: v for k, v in {"id": made, "type": "user", "ownerId": 1}.items()
                      if k != name}
            assert_calendar_error(lambda p=params: b24.call(update, p), missing(name, update))
        assert_calendar_error(lambda: b24.call(update, {"id": made, "type": "user",
                                                        "ownerId": 1, "recurrence_mode": "x"}),
                              "Invalid edit type for recurring event.")
        assert_calendar_error(lambda: b24.call(update, {"id": made, "type": "user",
                                                        "ownerId": 1, "recurrence_mode": "this"}),
                              'Invalid parameter value for "current_date_from"')
        assert_calendar_error(lambda: b24.update_calendar_event(10**6, {
            "type": "user", "ownerId": 1}), "Error while editing event")
        assert_calendar_error(lambda: b24.call("calendar.event.delete", {"id": 0}),
                              "Event ID is not specified")
        assert_calendar_error(lambda: b24.delete_calendar_event(10**6),
                              "Error while deleting event")
        assert_calendar_error(lambda: b24.call("calendar.event.getbyid", {}),
                              missing("id", "calendar.event.getbyid"))
        assert b24.get_calendar_event(10**6).result is None
        assert_calendar_error(lambda: b24.call("calendar.event.get", {"ownerId": 1}),
                              missing("type", "calendar.event.get"))
        status = "calendar.meeting.status.set"
        assert_calendar_error(lambda: b24.call(status, {"status": "Y"}),
                              missing("eventId", status))
        assert_calendar_error(lambda: b24.call(status, {"eventId": made}),
                              missing("status", status))
        assert_calendar_error(lambda: b24.call(status, {"eventId": made, "status": "X"}),
                              'Invalid parameter value for "status"')
        assert_calendar_error(lambda: b24.call("calendar.meeting.status.get", {}),
                              missing("eventId", "calendar.meeting.status.get"))


def test_dates_and_filters_are_sent_as_opi_sends_them() -> None:
    aware = dt.datetime(2026, 3, 6, 21, 44, 17, 123456, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    create = calls.create_calendar_event({
        "type": "user", "ownerId": 1, "from": dt.datetime(2026, 3, 6, 21, 44, 17, 999),
        "to": aware, "rrule": {"FREQ": "DAILY", "UNTIL": dt.date(2026, 3, 16)}})
    assert create.params == {"type": "user", "ownerId": 1, "from": "2026-03-06T21:44:17",
                             "to": "2026-03-06T21:44:17+03:00",
                             "rrule": {"FREQ": "DAILY", "UNTIL": "2026-03-16"}}
    update = calls.update_calendar_event(5, {"name": "x"})
    assert update.params == {"id": 5, "name": "x"}
    listing = calls.get_calendar_events(1, "user", {
        "section": 7, "from": dt.datetime(2026, 3, 1, 10, 0), "to": dt.date(2026, 3, 31),
        "name": "not copied", "ownerId": 99})
    assert listing.params == {"type": "user", "ownerId": 1, "section": [7],
                              "from": "2026-03-01", "to": "2026-03-31"}
    assert calls.get_calendar_events(1, "user").params == {"type": "user", "ownerId": 1}
    assert calls.get_user_participation_status(5).params == {"eventId": 5}
    assert calls.set_user_participation_status(5, "Y").params == {"eventId": 5, "status": "Y"}


def test_events_through_the_command_line(office: Office, cli: Any) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
    url = office.urls[1]
    done = cli("bitrix24", "CreateCalendarEvent", "--url", url, "--fields",
               f"{{'type':'user','ownerId':1,'section':{section},'name':'CLI',"
               "'from':'06.03.2026 10:00:00','to':'06.03.2026 11:00:00'}")
    assert done.code == 0, done.stderr
    made = done.json()["result"]
    got = cli("bitrix24", "GetCalendarEvent", "--url", url, "--event", str(made))
    assert got.json()["result"]["DATE_FROM"] == "06.03.2026 10:00:00"
    bad = cli("bitrix24", "GetCalendarEvents", "--url", url, "--owner", "1", "--type", "user",
              "--filter", "{'from':'soon'}")
    assert bad.code != 0 and bad.stderr.count("\n") == 1 and "must be a date" in bad.stderr
    failed = cli("bitrix24", "DeleteCalendarEvent", "--url", url, "--event", "0")
    assert failed.code != 0 and failed.json()["error_description"] == \
        "Event ID is not specified"
    empty = bitrix24.get_calendar_events_structure(empty=True)
    assert (empty["rrule"]["BYDAY"], empty["remind"], empty["meeting"]["notify"]) == (
        [""], [{"type": "", "count": ""}], "")
    shown = cli("bitrix24", "GetCalendarEventsFilterStructure", "--empty")
    assert shown.json() == {"from": "", "to": "", "section": ""}


def test_a_form_body_with_php_brackets(office: Office) -> None:
    with office.client(1) as b24:
        section = section_of(b24, 1)
        reply = httpx.post(f"{office.urls[1]}/calendar.event.add.json", data={
            "type": "user", "ownerId": "1", "section": str(section), "name": "Form",
            "from": "2026-03-06T10:00:00", "to": "2026-03-06T11:00:00", "is_meeting": "Y",
            "attendees[]": ["1", "10"], "rrule[FREQ]": "DAILY", "rrule[COUNT]": "2",
            "remind[0][type]": "hour", "remind[0][count]": "2"})
        made = reply.json()["result"]
        e = b24.get_calendar_event(made).result
        assert [a["id"] for a in e["ATTENDEE_LIST"]] == [1, 10]
        assert (e["RRULE"]["COUNT"], e["REMIND"]) == (2, [{"type": "hour", "count": 2}])
