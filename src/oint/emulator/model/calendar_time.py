"""The calendar's dates: how the server reads them, writes them and repeats them.

Nothing here touches the store. An event's times are wall-clock times in its own zone
(``TZ_FROM``/``TZ_TO``), as the server keeps them: a weekly meeting at 10:00 in Berlin stays
at 10:00 across a daylight-saving change, and its instant in UTC moves. A whole-day event
(``DT_SKIP_TIME`` Y) has dates only, and no zone.

Reading follows ``CRestUtil::unConvertDateTime``: ISO 8601 (``2026-03-06``,
``2026-03-06T10:00:00``, with ``Z`` or an offset), the portal's culture format
(``06.03.2026 10:00:00``) and the American one (``03/06/2026 10:00:00 am``). A text with an
offset names an instant, which lands on the portal's clock; one without names a wall-clock
time. Writing rounds to the minute (``CCalendar::RoundTimestamp``) and uses the culture of
the recorded portal: ``DD.MM.YYYY HH:MI:SS``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..php import intval
from ..timing import portal_zone

__all__ = [
    "DAY",
    "MAX_DATE",
    "Moment",
    "Rule",
    "day_text",
    "js_text",
    "occurrences",
    "parse_day",
    "parse_moment",
    "rule_description",
    "rule_of",
    "series_end",
    "wall_text",
    "zone",
    "zone_name",
]

DAY = 86400
MAX_DATE = dt.date(2038, 1, 1)  # CCalendar::GetMaxDate: the end of a rule without one
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The recorded portal's words (it speaks Russian).
_RU_WEEKDAYS = dict(zip(WEEKDAYS, ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),  # noqa: RUF001
                        strict=True))
_MAX_OCCURRENCES = 10_000  # per event and call: a daily rule without end over a long range

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SLASHED = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$",
    re.IGNORECASE)


def zone(name: str | None) -> dt.tzinfo:
    """A zone by its IANA name; the portal's for none or an unknown one (as the server
    falls back to the user's)."""
    if not name:
        return portal_zone()
    if name.upper() == "UTC":
        return dt.timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return portal_zone()


def zone_name(tz: dt.tzinfo) -> str:
    return str(getattr(tz, "key", None) or "UTC")


@dataclass(frozen=True)
class Moment:
    """A date as a caller gave it: a wall-clock time (a day at 00:00), and whether it
    named an instant (it had an offset)."""

    wall: dt.datetime  # naive
    instant: bool


def parse_moment(value: Any) -> Moment | None:
    """A date parameter as the server reads it, or None when it is not a date."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    try:
        return _parsed(text)
    except ValueError:  # a day or an hour out of range
        return None


def _parsed(text: str) -> Moment | None:
    if match := _ISO.match(text):
        year, month, day, hour, minute, second, offset = match.groups()
        wall = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                           int(second or 0))
        if offset is None:
            return Moment(wall, False)
        # An instant: its time on the portal's clock.
        aware = wall.replace(tzinfo=_offset(offset)).astimezone(portal_zone())
        return Moment(aware.replace(tzinfo=None), True)
    if match := _DOTTED.match(text):
        day, month, year, hour, minute, second = match.groups()
        return Moment(dt.datetime(int(year), int(month), int(day), int(hour or 0),
                                  int(minute or 0), int(second or 0)), False)
    if match := _SLASHED.match(text):
        month, day, year, hour, minute, second, half = match.groups()
        hours = int(hour or 0)
        if half:
            hours = hours % 12 + (12 if half.lower() == "pm" else 0)
        return Moment(dt.datetime(int(year), int(month), int(day), hours, int(minute or 0),
                                  int(second or 0)), False)
    return None


def _offset(text: str) -> dt.tzinfo:
    if text.upper() == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_day(value: Any) -> dt.date | None:
    """``CRestUtil::unConvertDate``: the day of a date parameter."""
    moment = parse_moment(value)
    return None if moment is None else moment.wall.date()


def rounded(wall: dt.datetime) -> dt.datetime:
    """``CCalendar::RoundTimestamp``: to the nearest minute."""
    base = wall.replace(second=0, microsecond=0)
    return base + dt.timedelta(minutes=1) if wall.second >= 30 else base


def wall_text(wall: dt.datetime, whole_day: bool = False) -> str:
    return wall.strftime("%d.%m.%Y") if whole_day else wall.strftime("%d.%m.%Y %H:%M:%S")


def day_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def js_text(wall: dt.datetime) -> str:
    """``DATE_FROM_FORMATTED``: as JavaScript's Date prints it (always in English)."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
    return (f"{names[wall.weekday()]} {months[wall.month - 1]} {wall.day:02d} {wall.year} "
            f"{wall:%H:%M:%S}")


def utc_of(wall: dt.datetime, tz: dt.tzinfo) -> int:
    return int(wall.replace(tzinfo=tz).timestamp())


# -- recurrence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """An event's ``RRULE``, as the server keeps it."""

    freq: str  # DAILY, WEEKLY, MONTHLY, YEARLY
    interval: int = 1
    count: int | None = None
    until: dt.date | None = None  # None: the rule has no end date (MAX_DATE)
    byday: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"FREQ": self.freq, "INTERVAL": self.interval, "COUNT": self.count,
                "UNTIL": None if self.until is None else self.until.isoformat(),
                "BYDAY": list(self.byday)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rule:
        until = data.get("UNTIL")
        return cls(str(data["FREQ"]), int(data["INTERVAL"]), data.get("COUNT"),
                   None if until is None else dt.date.fromisoformat(until),
                   tuple(data.get("BYDAY") or ()))


def rule_of(value: Any) -> Rule | None:
    """An ``rrule`` parameter as the server normalises it; None: the event does not repeat."""
    if not isinstance(value, Mapping):
        return None
    given = {str(key).upper(): item for key, item in value.items()}
    freq = str(given.get("FREQ") or "").upper()
    if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        return None
    count = intval(given.get("COUNT"))
    byday: tuple[str, ...] = ()
    if freq == "WEEKLY":
        days = given.get("BYDAY")
        words = days.split(",") if isinstance(days, str) else (
            list(days.values()) if isinstance(days, Mapping) else days or [])
        chosen = {str(day).strip().upper() for day in words} if isinstance(words, list) else set()
        byday = tuple(day for day in WEEKDAYS if day in chosen) or ("MO",)
    return Rule(freq, max(intval(given.get("INTERVAL")), 1), count if count > 0 else None,
                parse_day(given.get("UNTIL")), byday)


def _months_later(day: dt.date, months: int) -> dt.date | None:
    month = day.month - 1 + months
    try:
        return day.replace(year=day.year + month // 12, month=month % 12 + 1)
    except ValueError:  # the 31st in a short month, the 29th of February: no occurrence
        return None


def _days(first: dt.date, rule: Rule) -> Iterator[dt.date]:
    """The days of the occurrences, from the first, without end."""
    step = 0
    while True:
        if rule.freq == "DAILY":
            yield first + dt.timedelta(days=step * rule.interval)
        elif rule.freq == "WEEKLY":
            monday = first - dt.timedelta(days=first.weekday()) + dt.timedelta(
                weeks=step * rule.interval)
            for code in rule.byday:
                day = monday + dt.timedelta(days=WEEKDAYS.index(code))
                if day >= first:
                    yield day
        else:
            months = step * rule.interval * (12 if rule.freq == "YEARLY" else 1)
            later = _months_later(first, months)
            if later is not None:
                yield later
        step += 1


def occurrences(first: dt.datetime, rule: Rule | None) -> Iterator[tuple[int, dt.datetime]]:
    """(index, wall-clock start) of each occurrence, in order; one for an event that does
    not repeat. Bounded by the rule's COUNT and UNTIL, and the server's last date."""
    if rule is None:
        yield 0, first
        return
    last = min(rule.until or MAX_DATE, MAX_DATE)
    for index, day in enumerate(_days(first.date(), rule)):
        if day > last or (rule.count is not None and index >= rule.count) \
                or index >= _MAX_OCCURRENCES:
            return
        yield index, dt.datetime.combine(day, first.time())


def series_end(to_utc: int, rule: Rule) -> int:
    """``DATE_TO_TS_UTC`` of a repeating event, as the server counts it: COUNT periods after
    the first end (overshooting the last occurrence), or the day after UNTIL."""
    if rule.count is not None:
        periods = rule.count * rule.interval
        if rule.freq in ("DAILY", "WEEKLY"):
            return to_utc + periods * DAY * (7 if rule.freq == "WEEKLY" else 1)
        start = dt.datetime.fromtimestamp(to_utc, dt.timezone.utc)
        later = _months_later(start.date(), periods * (12 if rule.freq == "YEARLY" else 1))
        return int(dt.datetime.combine(later or start.date() + dt.timedelta(
            days=31 * periods), start.time(), dt.timezone.utc).timestamp())
    until = min(rule.until or MAX_DATE, MAX_DATE)
    return day_utc(until) + DAY


def day_utc(day: dt.date) -> int:
    """A day's start in UTC: how the server stamps dates without time (``UNTIL_TS``)."""
    return int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())


def rule_description(rule: Rule, first: dt.date) -> str:
    """``~RRULE_DESCRIPTION``, in the words of the recorded (Russian) portal."""
    every = {
        "DAILY": ("каждый день", "каждый {n}-й день"),
        "WEEKLY": ("каждую неделю", "каждую {n}-ю неделю"),
        "MONTHLY": ("каждый месяц", "каждый {n}-й месяц"),
        "YEARLY": ("каждый год", "каждый {n}-й год"),
    }[rule.freq]
    text = every[0] if rule.interval == 1 else every[1].format(n=rule.interval)
    if rule.freq == "WEEKLY":
        text += " по: " + ", ".join(_RU_WEEKDAYS[day] for day in rule.byday)
    text += f", от {day_text(first)}"
    if rule.until is not None:
        return text + f" до {day_text(rule.until)}"
    if rule.count is not None:
        return text + f", {rule.count} раз(а)"  # noqa: RUF001
    return text
