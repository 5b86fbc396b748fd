"""OPI's calendar scenario (``B24_CalendarsManagement``), in OPI's order, through the ``oint``
command, once with a webhook URL and once with the portal's URL and ``--token``.

The arguments are those of OPI's tests and docs (the CLI examples of its documentation);
every reply is compared at full depth with OPI's recordings of the same call.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from oint.emulator.process import EmulatorProcess
from shapes import assert_shape, recorded, same_unmasked

CALENDAR = ("{'type':'user','ownerId':'1','name':'New calendar','description':'My new calendar',"
            "'color':'#FFFFFF','text_color':'#000000','export':{'ALLOW':'True','SET':'all'}}")
EVENT = ("{'type':'user','ownerId':'1','from':'2026-03-06T21:44:17','to':'2026-03-06T22:44:17',"
         "'section':'%s','name':'New event','skip_time':'N','timezone_from':'Europe/Minsk',"
         "'timezone_to':'Europe/Minsk','description':'Event description',"
         "'color':'%%23000000>','text_color':'%%23FFFFFF','accessibility':'quest',"
         "'importance':'normal','private_event':'Y','rrule':{'FREQ':'DAILY','COUNT':'3',"
         "'INTERVAL':'10','BYDAY':['SA','MO'],'UNTIL':'2026-03-16T21:44:17'},'is_meeting':'Y',"
         "'location':'Office','remind':[{'type':'day','count':'1'}],'attendees':['1','10'],"
         "'host':'1','meeting':{'notify':'Y','reinvite':'N','allow_invite':'N',"
         "'hide_guests':'N'}}")


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_calendar_scenario_through_the_cli(portal: EmulatorProcess, cli: Any,
                                                auth: str) -> None:
    where = (["--url", portal.webhook_url] if auth == "webhook"
             else ["--url", portal.base_url, "--token", portal.token])

    def run(function: str, *options: str) -> Any:
        done = cli("bitrix24", function, *where, *options)
        assert done.code == 0, done.stderr
        reply = done.json()
        assert_shape(reply, function)
        return reply["result"]

    def local(function: str, *options: str) -> Any:
        done = cli("bitrix24", function, *options)
        assert done.code == 0, done.stderr
        return done.json()

    calendar = run("CreateCalendar", "--fields", CALENDAR)
    assert isinstance(calendar, int)
    assert run("UpdateCalendar", "--calendar", str(calendar), "--fields",
               "{'type':'user','ownerId':'1','name':'New calendar name',"
               "'description':'This calendar has been changed'}") == calendar
    listed = {c["ID"]: c for c in run("GetCalendarList", "--owner", "1", "--type", "user")}
    assert listed[str(calendar)]["NAME"] == "New calendar name"

    event = run("CreateCalendarEvent", "--fields", EVENT % calendar)
    assert isinstance(event, int)
    assert run("SetUserParticipationStatus", "--event", str(event), "--status", "Y") is True
    assert run("GetUserParticipationStatus", "--event", str(event)) == "H"  # the host's
    got = run("GetCalendarEvent", "--event", str(event))
    assert (got["ID"], got["COLOR"], got["DATE_FROM"]) == (
        str(event), "#230000", "06.03.2026 21:44:00")
    events = run("GetCalendarEvents", "--owner", "1", "--type", "user", "--filter",
                 json.dumps({"section": [calendar], "from": "2026-03-01", "to": "2026-03-31",
                             "name": "dropped by OPI"}))
    assert [e["DATE_FROM"] for e in events] == ["06.03.2026 21:44:00", "16.03.2026 21:44:00"]
    assert run("UpdateCalendarEvent", "--event", str(event), "--fields",
               "{'type':'user','ownerId':'1','name':'Changed event',"
               "'description':'New event description','importance':'low',"
               "'private_event':'N'}") == event
    busy = run("GetUserBusy", "--users", "1", "--from", "2026-03-01T00:00:00",
               "--to", "2026-03-31")
    assert [b["ID"] for b in busy["1"]] == [str(event)] * 2
    assert run("DeleteCalendarEvent", "--event", str(event)) is True
    assert run("DeleteCalendar", "--calendar", str(calendar), "--owner", "1", "--type",
               "user") is True

    assert run("GetCustomCalendarSettings")["view"] == "month"
    assert run("SetCustomCalendarSettings", "--settings",
               "{'view':'month','showDeclined':'Y','collapseOffHours':'N',"
               "'showCompletedTasks':'N'}") is True
    assert same_unmasked(local("GetCalendarStructure"), recorded("GetCalendarStructure"))
    assert run("GetCalendarSettingsStructure")["week_start"] == "MO"
    for structure in ("GetCalednarCustomSettingsStructure", "GetCalendarEventsStructure",
                      "GetCalendarEventsFilterStructure"):
        assert same_unmasked(local(structure), recorded(structure)), structure
