"""The emulated portal's state, in SQLite (a file with ``--db PATH``, memory otherwise).

The event loop runs every handler on one thread, so one connection serves the whole app;
each REST call runs in its own transaction, so a call that fails changes nothing.

Secrets (webhook codes, access and refresh tokens, authorization codes) are never looked up
by an index on their own text, whose comparisons stop at the first wrong character and so
time how much of a guess was right: webhooks are found by their user, tokens and codes by an
index on a SHA-256 digest, and the secret itself is then compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["SEED_USERS", "Store", "secret_digest"]

CORE_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS webhooks (
    user_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (user_id, code)
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    expires_at REAL,
    client_id TEXT
);
CREATE TABLE IF NOT EXISTS oauth_apps (
    client_id TEXT PRIMARY KEY,
    client_secret TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_codes (
    code TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    created_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth_refresh (
    token TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    expires_at REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tokens_by_digest ON tokens(oint_digest(token));
CREATE INDEX IF NOT EXISTS oauth_codes_by_digest ON oauth_codes(oint_digest(code));
CREATE INDEX IF NOT EXISTS oauth_refresh_by_digest ON oauth_refresh(oint_digest(token));
"""


def _bytes(secret: str) -> bytes:
    return secret.encode("utf-8", "surrogatepass")


def secret_digest(secret: str) -> str:
    return hashlib.sha256(_bytes(secret)).hexdigest()


def _same(stored: Any, given: str) -> bool:
    return hmac.compare_digest(_bytes(str(stored)), _bytes(given))

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


class Store:
    def __init__(self, path: str = ":memory:", schemas: Iterable[str] = ()) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._depth = 0
        self.db.row_factory = sqlite3.Row
        # The digest indexes below call it (so a plain sqlite3 shell can read those tables,
        # but not write their secrets).
        self.db.create_function("oint_digest", 1, secret_digest, deterministic=True)
        if path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(CORE_SCHEMA)
        for schema in schemas:
            self.db.executescript(schema)
        self._seed_users()

    def _seed_users(self) -> None:
        for user_id, (first, last, gender, position) in enumerate(SEED_USERS, start=1):
            self.db.execute(
                "INSERT OR IGNORE INTO users (id, name, last_name, email, gender, work_position,"
                " is_admin) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, first, last, f"{first.lower()}.{last.lower()}@example.com", gender,
                 position, int(user_id == 1)),
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; nests (a batch runs each command in a savepoint of its own)."""
        self._depth += 1
        name = f"call{self._depth}"
        self.db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.db.execute(f"ROLLBACK TO {name}")
            self.db.execute(f"RELEASE {name}")
            raise
        else:
            self.db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, args).fetchall()

    def row(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
        return row

    def scalar(self, sql: str, args: Sequence[Any] = ()) -> Any:
        found = self.db.execute(sql, args).fetchone()
        return None if found is None else found[0]

    def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        cursor = self.db.execute(sql, args)
        return int(cursor.lastrowid or 0)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run a statement; the number of rows it changed."""
        return self.db.execute(sql, args).rowcount

    # credentials
    def add_webhook(self, user_id: int, code: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO webhooks VALUES (?, ?)", (user_id, code))

    def add_token(
        self, token: str, user_id: int, expires_at: float | None = None,
        client_id: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?, ?)",
            (token, user_id, expires_at, client_id),
        )

    def webhook_user(self, user_id: int, code: str) -> int | None:
        codes = self.rows(
            "SELECT w.code FROM webhooks w JOIN users u ON u.id = w.user_id WHERE w.user_id = ?",
            (user_id,),
        )
        # Every code of the user is compared, so the time does not tell which came close.
        matched = [_same(row["code"], code) for row in codes]
        return user_id if any(matched) else None

    def by_secret(self, table: str, column: str, secret: str, where: str = "",
                  args: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The row of ``table`` whose ``column`` holds ``secret`` (and that meets ``where``,
        an ``AND ...`` clause on ``args``), found by digest and compared in constant time."""
        row = self.row(
            f"SELECT * FROM {table} WHERE oint_digest({column}) = ?{where}",  # noqa: S608
            (secret_digest(secret), *args),
        )
        return row if row is not None and _same(row[column], secret) else None

    def expire_tokens(self, now: float, client_id: str | None = None) -> int:
        """End the life of access tokens (of one app, or all): they answer expired_token."""
        if client_id is None:
            return self.execute("UPDATE tokens SET expires_at = ?", (now,))
        return self.execute(
            "UPDATE tokens SET expires_at = ? WHERE client_id = ?", (now, client_id)
        )

    def token(self, token: str) -> sqlite3.Row | None:
        return self.by_secret("tokens", "token", token)

    def user_exists(self, user_id: int) -> bool:
        return self.scalar("SELECT 1 FROM users WHERE id = ?", (user_id,)) is not None

    def close(self) -> None:
        self.db.close()
