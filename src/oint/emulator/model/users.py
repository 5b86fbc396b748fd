"""The portal's people: the seeded users, the same for every family (the messenger's too)."""

from __future__ import annotations

import sqlite3

from . import Actor, schema

__all__ = ["DEPARTMENT_ID", "SEED_USERS", "full_name", "set_status", "user_active", "user_row",
           "user_status"]

DEPARTMENT_ID = 1  # every seeded user works in the head office

# (first name, last name, gender, position); user 1 is the portal's administrator.
SEED_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("Alex", "Morgan", "M", "Administrator"),
    ("Maria", "Ivanova", "F", "Sales manager"),
    ("Peter", "Novak", "M", "Sales manager"),
    ("Olga", "Petrova", "F", "Accountant"),
    ("David", "Kim", "M", "Developer"),
    ("Elena", "Sokolova", "F", "Marketing lead"),
    ("Ivan", "Kuznetsov", "M", "Support engineer"),
    ("Sofia", "Rossi", "F", "Designer"),
    ("Tom", "Becker", "M", "Logistics"),
    ("Anna", "Lindqvist", "F", "Project manager"),
    ("Mark", "Dubois", "M", "Developer"),
    ("Nina", "Horvat", "F", "HR manager"),
    ("Paul", "Weber", "M", "Lawyer"),
    ("Irina", "Volkova", "F", "Analyst"),
    ("Omar", "Haddad", "M", "Sales manager"),
    ("Lucia", "Garcia", "F", "Support engineer"),
    ("Jan", "Kowalski", "M", "Warehouse"),
    ("Eva", "Novotna", "F", "Secretary"),
    ("Leo", "Fischer", "M", "Developer"),
    ("Mila", "Popescu", "F", "Buyer"),
)


def _seed(db: sqlite3.Connection) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO users (id, name, last_name, email, gender, work_position,"
        " is_admin) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(user_id, first, last, f"{first.lower()}.{last.lower()}@example.com", gender,
          position, int(user_id == 1))
         for user_id, (first, last, gender, position) in enumerate(SEED_USERS, start=1)],
    )


SCHEMA = schema("users", """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT 'M',
    work_position TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    is_admin INTEGER NOT NULL DEFAULT 0,
    user_type TEXT NOT NULL DEFAULT 'employee',
    status TEXT NOT NULL DEFAULT 'online'
);
""", seed=_seed)


def user_row(ctx: Actor, user_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM users WHERE id = ?", (user_id,))


def full_name(row: sqlite3.Row) -> str:
    return f"{row['name']} {row['last_name']}"


def user_active(ctx: Actor, user_id: int) -> bool:
    return bool(ctx.store.scalar("SELECT active FROM users WHERE id = ?", (user_id,)) == 1)


def user_status(ctx: Actor) -> str | None:
    """The caller's messenger status."""
    found = ctx.store.scalar("SELECT status FROM users WHERE id = ?", (ctx.user_id,))
    return None if found is None else str(found)


def set_status(ctx: Actor, status: str) -> None:
    ctx.store.execute("UPDATE users SET status = ? WHERE id = ?", (status, ctx.user_id))
