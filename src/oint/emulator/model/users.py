# The migration's SQL is assembled from constant column names only.
# ruff: noqa: S608
"""The portal's people and its company structure, the same for every family (the
messenger's users are these).

A user is one row of ``users`` with the profile fields of ``user.fields`` as columns (null
where nothing was ever written, as on a real portal: most people have no position, no
birthday, no phone); the departments a user works in (``UF_DEPARTMENT``) are rows of
``user_departments``; the company structure is ``departments``, a tree under the company's
root department. ``active = 0`` is a fired user: the messenger and the API turn them away.

The seeded portal: 20 employees (user 1 is the administrator) in six departments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ..store import Store
from . import Actor, schema

__all__ = [
    "ROOT_DEPARTMENT",
    "SEED_USERS",
    "can_log_in",
    "full_name",
    "is_admin",
    "set_status",
    "user_active",
    "user_departments",
    "user_row",
    "user_status",
]

ROOT_DEPARTMENT = 1  # the company itself: the top of the structure

# (id, name, parent, head) of the seeded structure, parents first.
SEED_DEPARTMENTS: tuple[tuple[int, str, int | None, int], ...] = (
    (1, "My Company", None, 1),
    (2, "Sales", 1, 2),
    (3, "Marketing", 1, 6),
    (4, "Development", 1, 5),
    (5, "Support", 4, 7),
    (6, "Accounting", 1, 4),
)


class SeedUser:
    """One seeded person. Most profile fields stay empty, as on a real portal."""

    __slots__ = ("birthday", "city", "departments", "first", "gender", "last", "login",
                 "mobile", "position", "registered")

    def __init__(self, first: str, last: str, gender: str, departments: Sequence[int], *,
                 position: str | None = None, mobile: str | None = None,
                 birthday: str | None = None, city: str | None = None,
                 login: str | None = None, registered: str = "2024-03-01") -> None:
        self.first, self.last, self.gender = first, last, gender
        self.departments = tuple(departments)
        self.position, self.mobile, self.birthday, self.city = position, mobile, birthday, city
        self.login, self.registered = login, registered


# User 1 is the portal's administrator. Positions are rare (people leave them empty), and
# none of the users the tests of other families talk to has one.
SEED_USERS: tuple[SeedUser, ...] = (
    SeedUser("Alex", "Morgan", "M", [1], birthday="1985-04-12",
             login="2024-08-02T21:02:14+00:00", registered="2024-02-10"),
    SeedUser("Maria", "Ivanova", "F", [2], mobile="+49 151 2345 6701",
             login="2024-07-30T08:12:40+00:00"),
    SeedUser("Peter", "Novak", "M", [2], mobile="+49 151 2345 6702"),
    SeedUser("Olga", "Petrova", "F", [6], birthday="1990-11-03"),
    SeedUser("David", "Kim", "M", [4], login="2024-07-29T10:00:00+00:00"),
    SeedUser("Elena", "Sokolova", "F", [3], position="Marketing lead", city="Vienna"),
    SeedUser("Ivan", "Kuznetsov", "M", [5]),
    SeedUser("Sofia", "Rossi", "F", [3]),
    SeedUser("Tom", "Becker", "M", [1], position="Logistics"),
    SeedUser("Anna", "Lindqvist", "F", [1, 4], birthday="1988-06-21"),
    SeedUser("Mark", "Dubois", "M", [4]),
    SeedUser("Nina", "Horvat", "F", [1], mobile="+385 91 555 0112"),
    SeedUser("Paul", "Weber", "", [1]),
    SeedUser("Irina", "Volkova", "F", [6], position="Analyst"),
    SeedUser("Omar", "Haddad", "M", [2], mobile="+971 50 555 0199", city="Dubai"),
    SeedUser("Lucia", "Garcia", "F", [5]),
    SeedUser("Jan", "Kowalski", "", [1], position="Warehouse"),
    SeedUser("Eva", "Novotna", "F", [1]),
    SeedUser("Leo", "Fischer", "M", [4], position="Developer"),
    SeedUser("Mila", "Popescu", "F", [2], registered="2024-05-20"),
)
_ADMIN_XML_ID = "53818298"
_ADMIN_PHOTO = "/upload/main/avatar/alex.morgan.png"
_SEEDED_AT = "2024-08-03T00:13:07+00:00"


def _seed(db: sqlite3.Connection) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO departments (id, name, sort, parent_id, head_id)"
        " VALUES (?, ?, 500, ?, ?)", SEED_DEPARTMENTS)
    rows = []
    for user_id, person in enumerate(SEED_USERS, start=1):
        admin = user_id == 1
        rows.append((
            user_id, person.first, person.last,
            f"{person.first.lower()}.{person.last.lower()}@example.com", person.gender,
            person.position, int(admin), _ADMIN_XML_ID if admin else None, person.login,
            person.registered, _SEEDED_AT, _SEEDED_AT if person.login else None,
            person.birthday, _ADMIN_PHOTO if admin else None, person.mobile, person.city,
        ))
    db.executemany(
        "INSERT OR IGNORE INTO users (id, name, last_name, email, gender, work_position,"
        " is_admin, xml_id, last_login, date_register, timestamp_x, last_activity_date,"
        " personal_birthday, personal_photo, personal_mobile, personal_city)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany(
        "INSERT OR IGNORE INTO user_departments (user_id, department_id) VALUES (?, ?)",
        [(user_id, department) for user_id, person in enumerate(SEED_USERS, start=1)
         for department in person.departments])


# The profile columns beyond those the messenger reads, in user.fields order.
PROFILE_COLUMNS = (
    "xml_id", "second_name", "title", "last_login", "date_register", "time_zone",
    "timestamp_x", "last_activity_date", "personal_profession", "personal_www",
    "personal_birthday", "personal_photo", "personal_icq", "personal_phone", "personal_fax",
    "personal_mobile", "personal_pager", "personal_street", "personal_city", "personal_state",
    "personal_zip", "personal_country", "personal_mailbox", "personal_notes", "work_phone",
    "work_company", "work_department", "work_www", "work_fax", "work_pager", "work_street",
    "work_mailbox", "work_city", "work_state", "work_zip", "work_country", "work_profile",
    "work_logo", "work_notes", "uf_skype_link", "uf_zoom", "uf_employment_date", "uf_timeman",
    "uf_interests", "uf_skills", "uf_web_sites", "uf_xing", "uf_linkedin", "uf_facebook",
    "uf_twitter", "uf_skype", "uf_district", "uf_phone_inner", "confirm_code",
)
_USERS_TABLE = (
    "CREATE TABLE IF NOT EXISTS users (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    name TEXT,\n"
    "    last_name TEXT,\n"
    "    email TEXT NOT NULL,\n"
    "    gender TEXT NOT NULL DEFAULT '',\n"
    "    work_position TEXT,\n"
    "    active INTEGER NOT NULL DEFAULT 1,\n"
    "    is_admin INTEGER NOT NULL DEFAULT 0,\n"
    "    user_type TEXT NOT NULL DEFAULT 'employee',\n"
    "    status TEXT NOT NULL DEFAULT 'online',\n"
    + "".join(f"    {column} TEXT,\n" for column in PROFILE_COLUMNS).rstrip(",\n")
    + "\n);\n"
)
_V1_COLUMNS = ("id, name, last_name, email, gender, work_position, active, is_admin, "
               "user_type, status")

SCHEMA = schema("users", _USERS_TABLE + """
CREATE TABLE IF NOT EXISTS user_departments (
    user_id INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, department_id)
);
CREATE INDEX IF NOT EXISTS user_departments_by_department
    ON user_departments (department_id, user_id);
CREATE TABLE IF NOT EXISTS departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 500,
    parent_id INTEGER,
    head_id INTEGER
);
""", version=2, migrations={
    # Version 1 had names that could not be empty and no profile: the table is rebuilt
    # (SQLite cannot drop NOT NULL), keeping every user and their messenger status.
    1: "ALTER TABLE users RENAME TO users_v1;\n" + _USERS_TABLE
       + f"INSERT INTO users ({_V1_COLUMNS}) SELECT {_V1_COLUMNS} FROM users_v1;\n"
       "DROP TABLE users_v1;",
}, seed=_seed)


def user_row(ctx: Actor, user_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM users WHERE id = ?", (user_id,))


def full_name(row: sqlite3.Row) -> str:
    """``CUser::FormatName``: first and last name, or the e-mail of a nameless invitee."""
    name = " ".join(part for part in (row["name"], row["last_name"]) if part)
    return name or str(row["email"])


def user_active(ctx: Actor, user_id: int) -> bool:
    return can_log_in(ctx.store, user_id)


def can_log_in(store: Store, user_id: int) -> bool:
    """An existing user who was not fired (``ACTIVE`` Y)."""
    return bool(store.scalar("SELECT active FROM users WHERE id = ?", (user_id,)) == 1)


def is_admin(ctx: Actor, user_id: int | None = None) -> bool:
    """The portal's administrator (the caller, by default)."""
    user = ctx.user_id if user_id is None else user_id
    return bool(ctx.store.scalar("SELECT is_admin FROM users WHERE id = ?", (user,)) == 1)


def user_departments(ctx: Actor, user_id: int) -> list[int]:
    """The departments the user works in (``UF_DEPARTMENT``), in the order of their ids."""
    return [int(row[0]) for row in ctx.store.tuples(
        "SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id",
        (user_id,))]


def user_status(ctx: Actor) -> str | None:
    """The caller's messenger status."""
    found = ctx.store.scalar("SELECT status FROM users WHERE id = ?", (ctx.user_id,))
    return None if found is None else str(found)


def set_status(ctx: Actor, status: str) -> None:
    ctx.store.execute("UPDATE users SET status = ? WHERE id = ?", (status, ctx.user_id))
