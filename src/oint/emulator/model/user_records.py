# SQL is assembled from the field table's constant names only; values are always bound.
# ruff: noqa: S608
"""Users as the ``user.*`` methods read and write them: the field table of ``user.fields``,
lists with the ORM's paging, the two shapes of a user record, invitations and updates.

A record leaves out every field the user never filled (the server writes only what is
set), except the dates it always writes (``""`` when empty) and ``ACTIVE`` (a boolean).
``user.get`` reads through the ORM, which writes its date-time objects as ``{}``;
``user.current`` reads the old API, which writes them as text in the portal's formats.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from ..php import intval
from ..phpjson import PhpObject
from ..store import Store
from ..timing import iso
from . import Actor
from .entity import Attachment, Entity, Field, Page, Query
from .filters import Clause, compare

__all__ = [
    "USERS",
    "active_condition",
    "current_user",
    "department_list",
    "email_taken",
    "field_titles",
    "invite",
    "list_users",
    "search_clauses",
    "update_user",
    "user_exists",
    "valid_email",
]

# (field, title) in user.fields order; the column is the field's name in lower case, but
# for the columns the messenger has read since before the profile existed.
_FIELDS: tuple[tuple[str, str], ...] = (
    ("ID", "ID"), ("XML_ID", "External ID"), ("ACTIVE", "Active"), ("NAME", "First name"),
    ("LAST_NAME", "Last name"), ("SECOND_NAME", "Second name"), ("TITLE", "User list"),
    ("EMAIL", "E-Mail"), ("LAST_LOGIN", "Last authorization"),
    ("DATE_REGISTER", "Registration date"), ("TIME_ZONE", "TIME_ZONE"),
    ("IS_ONLINE", "IS_ONLINE"), ("TIMESTAMP_X", "TIMESTAMP_X"),
    ("LAST_ACTIVITY_DATE", "LAST_ACTIVITY_DATE"), ("PERSONAL_GENDER", "Gender"),
    ("PERSONAL_PROFESSION", "Profession"), ("PERSONAL_WWW", "Personal website"),
    ("PERSONAL_BIRTHDAY", "Date of birth"), ("PERSONAL_PHOTO", "Photo"),
    ("PERSONAL_ICQ", "ICQ"), ("PERSONAL_PHONE", "Phone"), ("PERSONAL_FAX", "Fax"),
    ("PERSONAL_MOBILE", "Personal mobile"), ("PERSONAL_PAGER", "Pager"),
    ("PERSONAL_STREET", "Street address"), ("PERSONAL_CITY", "City"),
    ("PERSONAL_STATE", "Region / state"), ("PERSONAL_ZIP", "Zip code"),
    ("PERSONAL_COUNTRY", "Country"), ("PERSONAL_MAILBOX", "Mailbox"),
    ("PERSONAL_NOTES", "Additional notes"), ("WORK_PHONE", "Company phone"),
    ("WORK_COMPANY", "Company"), ("WORK_POSITION", "Position"),
    ("WORK_DEPARTMENT", "Department"), ("WORK_WWW", "Company website"),
    ("WORK_FAX", "WORK_FAX"), ("WORK_PAGER", "WORK_PAGER"), ("WORK_STREET", "WORK_STREET"),
    ("WORK_MAILBOX", "WORK_MAILBOX"), ("WORK_CITY", "Work city"),
    ("WORK_STATE", "WORK_STATE"), ("WORK_ZIP", "WORK_ZIP"), ("WORK_COUNTRY", "WORK_COUNTRY"),
    ("WORK_PROFILE", "WORK_PROFILE"), ("WORK_LOGO", "WORK_LOGO"),
    ("WORK_NOTES", "WORK_NOTES"), ("UF_SKYPE_LINK", "Skype chat link"), ("UF_ZOOM", "Zoom"),
    ("UF_EMPLOYMENT_DATE", "Employment date"), ("UF_TIMEMAN", "Time tracking"),
    ("UF_DEPARTMENT", "Departments"), ("UF_INTERESTS", "Interests"), ("UF_SKILLS", "Skills"),
    ("UF_WEB_SITES", "Other websites"), ("UF_XING", "Xing"), ("UF_LINKEDIN", "LinkedIn"),
    ("UF_FACEBOOK", "Facebook"), ("UF_TWITTER", "Twitter"), ("UF_SKYPE", "Microsoft Teams"),
    ("UF_DISTRICT", "District"), ("UF_PHONE_INNER", "Extension number"),
    ("USER_TYPE", "USER_TYPE"),
)
_COLUMNS = {"ID": "id", "NAME": "name", "LAST_NAME": "last_name", "EMAIL": "email",
            "PERSONAL_GENDER": "gender", "WORK_POSITION": "work_position",
            "USER_TYPE": "user_type", "ACTIVE": "active"}
# Kept by the server whatever a caller sends (CRestUtil's holdEditFields, the clock's).
_READ_ONLY = frozenset({"ID", "LAST_LOGIN", "DATE_REGISTER", "IS_ONLINE", "TIMESTAMP_X",
                        "LAST_ACTIVITY_DATE", "USER_TYPE", "ACTIVE"})
# Written even when empty: convertDate/convertDateTime give "" for nothing.
_DATES = ("LAST_LOGIN", "DATE_REGISTER", "PERSONAL_BIRTHDAY", "UF_EMPLOYMENT_DATE")
_MOMENTS = ("TIMESTAMP_X", "LAST_ACTIVITY_DATE")


class _Departments(Attachment):
    """``UF_DEPARTMENT``: the departments of a user, a list of numbers."""

    names = ("UF_DEPARTMENT",)

    def load(self, store: Store, ids: Sequence[int], names: Sequence[str]
             ) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for user_id, department in store.tuples(
                "SELECT user_id, department_id FROM user_departments WHERE user_id IN "
                f"({', '.join('?' for _ in ids)}) ORDER BY department_id", list(ids)):
            found.setdefault(user_id, {}).setdefault("UF_DEPARTMENT", []).append(department)
        return found

    def condition(self, prefix: str, name: str, value: Any) -> Clause:
        values = list(value.values()) if isinstance(value, Mapping) else value
        wanted = [intval(v) for v in (values if isinstance(values, list) else [values])]
        clause = ("EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = users.id AND "
                  f"d.department_id IN ({', '.join('?' for _ in wanted) or 'NULL'}))")
        return Clause(f"NOT {clause}" if prefix.startswith("!") else clause, wanted)

    def write(self, store: Store, item_id: int, given: Mapping[str, Any]) -> None:
        if "UF_DEPARTMENT" not in given:
            return
        store.execute("DELETE FROM user_departments WHERE user_id = ?", (item_id,))
        store.db.executemany(
            "INSERT OR IGNORE INTO user_departments (user_id, department_id) VALUES (?, ?)",
            [(item_id, d) for d in department_list(given["UF_DEPARTMENT"])])


def department_list(value: Any) -> list[int]:
    """``UF_DEPARTMENT`` as given: one id or several; empty ids are dropped."""
    values = list(value.values()) if isinstance(value, Mapping) else value
    if not isinstance(values, list):
        values = [] if values in (None, "", False) else [values]
    found: list[int] = []
    for item in values:
        number = intval(item)
        if number > 0 and number not in found:
            found.append(number)
    return found


def _field(name: str, title: str) -> Field:
    if name == "UF_DEPARTMENT":
        return Field(name, "array", title, multiple=True, column=None)
    if name == "IS_ONLINE":
        return Field(name, "string", title, sql="'N'")  # nobody has a live session here
    if name == "ACTIVE":
        return Field(name, "integer", title, read_only=True, column="active",
                     output=lambda value: value == "1")
    kind = "integer" if name == "ID" else "string"
    return Field(name, kind, title, read_only=name in _READ_ONLY,
                 column=_COLUMNS.get(name, name.lower()))


def active_condition(prefix: str, value: Any) -> Clause:
    """``ACTIVE`` as ``prepareUserValue`` reads it: anything PHP finds true but ``N`` is Y."""
    given = value if not isinstance(value, str) else value.strip()
    wanted = 1 if given and given != "N" else 0
    return compare("users.active", prefix, wanted, int)


def _has_departments(prefix: str, value: Any) -> Clause | None:
    # HAS_DEPARTAMENT (sic) Y: intranet people only; any other value asks for nothing.
    if value != "Y":
        return None
    return Clause("EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = users.id)", [])


USERS = Entity("users", (_field(name, title) for name, title in _FIELDS),
               listed=[name for name, _ in _FIELDS], attachments=(_Departments(),),
               filters={"ACTIVE": active_condition,
                        "HAS_DEPARTAMENT": _has_departments})


def field_titles() -> dict[str, str]:
    """``user.fields``: each field's title, in the server's order."""
    return dict(_FIELDS)


# -- reading ----------------------------------------------------------------------------------

def _date(value: str | None, *, with_time: bool) -> str:
    """``CRestUtil::convertDate``/``convertDateTime``: ISO 8601, ``""`` for nothing."""
    if not value:
        return ""
    if with_time:
        return value
    return f"{value[:10]}T00:00:00+00:00"


def _moment_text(name: str, value: str) -> str:
    moment = dt.datetime.fromisoformat(value)
    # The old API's formats: the site's (d.m.Y) for TIMESTAMP_X, the database's for the other.
    return moment.strftime("%d.%m.%Y %H:%M:%S" if name == "TIMESTAMP_X" else "%Y-%m-%d %H:%M:%S")


def _view(record: dict[str, Any], *, orm: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in record.items():
        if key in _DATES:
            shown[key] = _date(value, with_time=key == "LAST_LOGIN")
        elif value is None:
            continue
        elif key in _MOMENTS:
            shown[key] = PhpObject() if orm else _moment_text(key, value)
        else:
            shown[key] = value
    return shown


def list_users(ctx: Actor, query: Query, scope: Clause | None = None, *, limit: int = 50
               ) -> Page:
    """A page of users as the ORM pages: ``start`` is an offset, not floored to a page;
    ``start=-1`` skips the count (``total`` 0)."""
    names = USERS.selection(query.select)
    ids = USERS.ids(ctx.store, Query(query.filter, query.order), scope)
    if query.start < 0:
        chunk, total, following = ids[:limit], 0, None
    else:
        chunk = ids[query.start:query.start + limit]
        total = len(ids)
        following = query.start + len(chunk) if query.start + len(chunk) < total else None
    records = [_view(r, orm=True) for r in USERS.records(ctx.store, chunk, names)]
    return Page(records, total, following)


def current_user(ctx: Actor) -> dict[str, Any] | None:
    """``user.current``: the caller, as the old API reads a user (no ``USER_TYPE``)."""
    names = [n for n in USERS.readable if n != "USER_TYPE"]
    found = USERS.get(ctx.store, ctx.user_id, names)
    return None if found is None else _view(found, orm=False)


def user_exists(ctx: Actor, user_id: int) -> bool:
    return USERS.exists(ctx.store, user_id)


# -- user.search ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _starts(sql: str, value: Any) -> Clause:
    """A right LIKE (``value%``), as the search index matches a name."""
    text = str(value or "")
    return Clause(f"COALESCE({sql}, '') LIKE ?", [f"{text}%"])


_DEPARTMENT_NAMES = ("(SELECT group_concat(dp.name, ' ') FROM user_departments ud "
                     "JOIN departments dp ON dp.id = ud.department_id "
                     "WHERE ud.user_id = users.id)")
_CONTENT = ("(' ' || COALESCE(users.name, '') || ' ' || COALESCE(users.last_name, '') || ' '"
            " || COALESCE(users.second_name, '') || ' ' || users.email || ' ' || "
            "COALESCE(users.work_position, '') || ' ' || COALESCE(" + _DEPARTMENT_NAMES
            + ", ''))")


def search_clauses(filter_: Mapping[str, Any], *, search: bool
                   ) -> tuple[dict[str, Any], list[Clause]]:
    """Split a ``user.get``/``user.search`` filter into plain keys and the search index's
    conditions. ``NAME_SEARCH`` (and, in ``user.search``, ``FIND``) match the start of a
    word of a person's names, e-mail, position or departments, for every word of the text;
    ``user.search`` without them matches NAME, LAST_NAME, SECOND_NAME, WORK_POSITION and
    UF_DEPARTMENT_NAME by their start."""
    plain = dict(filter_)
    keys = ("NAME_SEARCH", "FIND") if search else ("NAME_SEARCH",)
    find = next((plain.pop(k) for k in keys if k in plain), None)
    if find is not None:
        words = _WORD.findall(str(find))
        return plain, [Clause(f"{_CONTENT} LIKE ?", [f"% {word}%"]) for word in words]
    clauses: list[Clause] = []
    if not search:
        return plain, clauses
    for name, sql in (("NAME", "users.name"), ("LAST_NAME", "users.last_name"),
                      ("SECOND_NAME", "users.second_name"),
                      ("WORK_POSITION", "users.work_position")):
        if name in plain:
            clauses.append(_starts(sql, plain.pop(name)))
    if "UF_DEPARTMENT_NAME" in plain:
        clauses.append(Clause(
            "EXISTS (SELECT 1 FROM user_departments ud JOIN departments dp ON "
            "dp.id = ud.department_id WHERE ud.user_id = users.id AND dp.name LIKE ?)",
            [f"{plain.pop('UF_DEPARTMENT_NAME') or ''}%"]))
    return plain, clauses


# -- writing ----------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def valid_email(value: Any) -> str | None:
    """``check_email``: the trimmed address, or None."""
    text = str(value or "").strip() if not isinstance(value, (dict, list)) else ""
    return text if _EMAIL.match(text) else None


def email_taken(ctx: Actor, email: str, *, other_than: int = 0) -> bool:
    return ctx.store.scalar(
        "SELECT 1 FROM users WHERE lower(email) = lower(?) AND id <> ?", (email, other_than)
    ) is not None


def _save_data(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``prepareSaveData``: the writable fields as stored; ACTIVE as PHP reads it."""
    row = USERS.values(fields)
    for key in ("PERSONAL_BIRTHDAY", "UF_EMPLOYMENT_DATE"):
        if key in row:
            row[key] = _date_only(row[key])
    if "PERSONAL_PHOTO" in fields:
        row["PERSONAL_PHOTO"] = _photo(fields["PERSONAL_PHOTO"])
    if "PERSONAL_GENDER" in row:
        row["PERSONAL_GENDER"] = row["PERSONAL_GENDER"] or ""
    if "ACTIVE" in fields:
        value = fields["ACTIVE"]
        row["ACTIVE"] = int(bool(value) and value not in ("N", "0", 0))
    return row


def _date_only(value: Any) -> str | None:
    """``CRestUtil::unConvertDate``: the date of an ISO 8601 text, or nothing."""
    text = str(value or "")
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _photo(value: Any) -> str | None:
    # [name, base64] saves a file (its path is what the portal shows); anything else
    # removes the photo, as saveFile's failure does.
    if isinstance(value, list) and len(value) >= 2 and value[0]:
        return f"/upload/main/avatar/{secrets.token_hex(4)}/{value[0]}"
    return None


def invite(ctx: Actor, fields: Mapping[str, Any], email: str, departments: list[int], *,
           extranet: bool) -> int:
    """A new user invited by e-mail: active, not yet confirmed; their id."""
    today = iso(ctx.now)
    row = _save_data(fields)
    row.update({"EMAIL": email, "ACTIVE": row.get("ACTIVE", 1), "DATE_REGISTER": today[:10],
                "TIMESTAMP_X": today, "PERSONAL_GENDER": row.get("PERSONAL_GENDER") or "",
                "USER_TYPE": "extranet" if extranet else "employee"})
    columns = [USERS.fields[name].stored or "" for name in row]
    user_id = ctx.store.insert(
        f"INSERT INTO users ({', '.join([*columns, 'confirm_code'])}) "
        f"VALUES ({', '.join('?' for _ in range(len(columns) + 1))})",
        [*row.values(), secrets.token_hex(4)])
    USERS.update(ctx.store, user_id, {}, {"UF_DEPARTMENT": departments})
    return user_id


def update_user(ctx: Actor, user_id: int, fields: Mapping[str, Any], *, admin: bool) -> None:
    """``CUser::Update`` of what the caller may change: not ACTIVE or UF_DEPARTMENT unless
    the caller is an administrator."""
    given = dict(fields)
    if not admin:
        given.pop("ACTIVE", None)
        given.pop("UF_DEPARTMENT", None)
    row = _save_data(given)
    row["TIMESTAMP_X"] = iso(ctx.now)
    columns = {name: USERS.fields[name].stored for name in row}
    sets = ", ".join(f"{column} = ?" for column in columns.values())
    ctx.store.execute(f"UPDATE users SET {sets} WHERE id = ?", [*row.values(), user_id])
    if "UF_DEPARTMENT" in given:
        USERS.update(ctx.store, user_id, {}, {"UF_DEPARTMENT": given["UF_DEPARTMENT"]})
