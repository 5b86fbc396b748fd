"""The emulated portal's state, in SQLite (a file with ``--db PATH``, memory otherwise).

Everything that uses the store runs on the portal's one worker thread (``Portal.offload``),
so one connection serves the whole app; each REST call runs in its own transaction, so a
call that fails changes nothing.

The layout is versioned so that a ``--db`` file outlives an upgrade, or is refused with one
clear line instead of failing later in some handler. ``PRAGMA user_version`` is the layout
of the store's own tables (credentials and ``oint_schema``); each family of the model
(``model/<family>.py``) declares its tables as a :class:`Schema` with its own version and
the migrations from older ones, recorded per family in ``oint_schema``. Versions per family
let families change their tables independently of each other. A file written before
versions existed (``user_version`` 0, but the emulator's tables) holds version 1 of each
family whose tables it has, checked column by column.

Secrets (webhook codes, access and refresh tokens, authorization codes) are never looked up
by an index on their own text, whose comparisons stop at the first wrong character and so
time how much of a guess was right: webhooks are found by their user, tokens and codes by an
index on a SHA-256 digest, and the secret itself is then compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["STORE_VERSION", "Schema", "Store", "StoreError", "secret_digest"]

STORE_VERSION = 1
LEGACY_VERSION = 1  # what every family's tables were when oint began to write versions
_ID_LISTS = 16  # ordered id lists kept per store (a 100,000-id list is a few MB)

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS oint_schema (
    family TEXT PRIMARY KEY,
    version INTEGER NOT NULL
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
"""
# Made after the tables, on every open (old files too): the digest function is ours.
_DIGEST_INDEXES = """
CREATE INDEX IF NOT EXISTS tokens_by_digest ON tokens(oint_digest(token));
CREATE INDEX IF NOT EXISTS oauth_codes_by_digest ON oauth_codes(oint_digest(code));
CREATE INDEX IF NOT EXISTS oauth_refresh_by_digest ON oauth_refresh(oint_digest(token));
"""
_CORE_MARK = "webhooks"  # a table only the emulator's files have (before versions too)
_TABLE = re.compile(r"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class Schema:
    """A model family's tables.

    ``sql`` creates them (``CREATE ... IF NOT EXISTS``: it runs at every start);
    ``migrations[n]`` is the SQL that turns version ``n`` into ``n + 1``; ``seed`` writes
    the rows every portal starts with, once every family's tables exist (it must be
    idempotent: ``INSERT OR IGNORE``).
    """

    family: str
    sql: str
    version: int = 1
    migrations: Mapping[int, str] = field(default_factory=dict)
    seed: Callable[[sqlite3.Connection], None] | None = None

    def __post_init__(self) -> None:
        if not self.family.isidentifier():
            raise ValueError(f"a family's name is an identifier, not {self.family!r}")

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(_TABLE.findall(self.sql))


class StoreError(Exception):
    """A ``--db`` file the emulator cannot use; the message starts with its path and says
    what to do."""


class Store:
    def __init__(self, path: str = ":memory:", schemas: Iterable[Schema] = ()) -> None:
        self.path = path
        self._depth = 0
        self._rollbacks = 0
        self._id_lists: OrderedDict[Hashable, list[int]] = OrderedDict()
        self._id_lists_version = (-1, -1)
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open it ({exc}); check the path and its folder"
                             ) from None
        self.db.row_factory = sqlite3.Row
        # The digest indexes call it (so a plain sqlite3 shell can read those tables, but not
        # write their secrets).
        self.db.create_function("oint_digest", 1, secret_digest, deterministic=True)
        try:
            self._prepare(list(schemas))
        except StoreError:
            self.db.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(_unusable(path, exc)) from None

    # -- opening: layout checks, migrations, seeding ------------------------------------------

    def _prepare(self, schemas: list[Schema]) -> None:
        db = self.db
        # The first statement that reads the file: a file that is not SQLite fails here.
        # Nothing is written before every check passed, so a refused file is untouched.
        layout = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = self._tables()
        if layout > STORE_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer oint (store layout {layout}, this one reads "
                f"up to {STORE_VERSION}); use that oint, or give --db a new file")
        if layout == 0 and tables:
            recorded = self._legacy_versions(schemas, tables)
        else:
            recorded = {
                str(row[0]): int(row[1])
                for row in db.execute("SELECT family, version FROM oint_schema")
            } if tables else {}
        steps = [_steps(self.path, schema, recorded.get(schema.family)) for schema in schemas]
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(CORE_SCHEMA)
        db.executescript(_DIGEST_INDEXES)
        for schema, migrations in zip(schemas, steps, strict=True):
            for version, sql in migrations:
                self._migrate(schema, version, sql)
            db.executescript(schema.sql)
            db.execute("INSERT OR REPLACE INTO oint_schema (family, version) VALUES (?, ?)",
                       (schema.family, schema.version))
        for schema in schemas:
            if schema.seed is not None:
                schema.seed(db)
        db.execute(f"PRAGMA user_version = {STORE_VERSION}")

    def _tables(self) -> set[str]:
        return {
            str(row[0]) for row in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'")
        }

    def _legacy_versions(self, schemas: list[Schema], tables: set[str]) -> dict[str, int]:
        """Versions of a file written before versions existed, if it is the emulator's."""
        if _CORE_MARK not in tables:
            raise StoreError(f"{self.path}: holds tables that are not the emulator's; "
                             "give --db a new file")
        # Tables still at that version must have its columns; a later version's
        # migrations start from them, and say so if the file does not.
        expected = _columns_of(schemas)
        checked = set(_TABLE.findall(CORE_SCHEMA)).union(
            *(s.tables for s in schemas if s.version == LEGACY_VERSION))
        for table in sorted(tables & checked):
            found = [str(row[1]) for row in self.db.execute(f'PRAGMA table_info("{table}")')]
            if found != expected[table]:
                raise StoreError(
                    f"{self.path}: holds a {table} table of an older oint that cannot be "
                    "migrated; delete the file (its state is lost) or give --db a new one")
        return {schema.family: LEGACY_VERSION for schema in schemas if schema.tables & tables}

    def _migrate(self, schema: Schema, version: int, sql: str) -> None:
        # One step, all or nothing: executescript commits what came before, so the step
        # opens and commits its own transaction, with the version it reaches.
        try:
            self.db.executescript(
                f"BEGIN;\n{sql}\nUPDATE oint_schema SET version = {version + 1}"
                f" WHERE family = '{schema.family}';\nCOMMIT;")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise StoreError(
                f"{self.path}: migrating the {schema.family} tables from version {version} "
                f"failed ({exc}); give --db a new file") from None

    # -- calls --------------------------------------------------------------------------------

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
            self._rollbacks += 1  # what was cached inside may be gone
            raise
        else:
            self.db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, args).fetchall()

    def tuples(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: the fastest way out of sqlite3, for long lists."""
        cursor = self.db.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, args).fetchall()

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

    def id_list(self, key: Hashable, compute: Callable[[], list[int]]) -> list[int]:
        """The ordered ids a list query matches, kept until the store's next write.

        Any write, by any family and through any path, ends every kept list (the
        connection counts the rows it changed), and so does a rolled-back call; so paging
        through a large list costs one indexed fetch per page, never a stale one.
        """
        version = (self.db.total_changes, self._rollbacks)
        if version != self._id_lists_version:
            self._id_lists.clear()
            self._id_lists_version = version
        ids = self._id_lists.get(key)
        if ids is None:
            ids = self._id_lists[key] = compute()
            while len(self._id_lists) > _ID_LISTS:
                self._id_lists.popitem(last=False)
        return ids

    # -- credentials ----------------------------------------------------------------------------

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


def _bytes(secret: str) -> bytes:
    return secret.encode("utf-8", "surrogatepass")


def secret_digest(secret: str) -> str:
    return hashlib.sha256(_bytes(secret)).hexdigest()


def _same(stored: Any, given: str) -> bool:
    return hmac.compare_digest(_bytes(str(stored)), _bytes(given))


def _steps(path: str, schema: Schema, recorded: int | None) -> list[tuple[int, str]]:
    """The migrations that bring a family from its recorded version to the current one."""
    if recorded is None or recorded == schema.version:
        return []
    if recorded > schema.version:
        raise StoreError(
            f"{path}: holds {schema.family} tables of a newer oint (version {recorded}, this "
            f"one reads up to {schema.version}); use that oint, or give --db a new file")
    missing = [v for v in range(recorded, schema.version) if v not in schema.migrations]
    if missing:
        raise StoreError(
            f"{path}: holds {schema.family} tables of version {recorded}, which this oint "
            f"cannot migrate to {schema.version}; delete the file (its state is lost) or "
            "give --db a new one")
    return [(v, schema.migrations[v]) for v in range(recorded, schema.version)]


def _columns_of(schemas: list[Schema]) -> dict[str, list[str]]:
    """The columns of each table the schemas make, as a fresh store would have them."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.executescript(CORE_SCHEMA)
        for schema in schemas:
            scratch.executescript(schema.sql)
        names = [str(row[0]) for row in scratch.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {
            name: [str(row[1]) for row in scratch.execute(f'PRAGMA table_info("{name}")')]
            for name in names
        }
    finally:
        scratch.close()


def _unusable(path: str, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text:
        return (f"{path}: not an SQLite database; give --db a new file, or one the "
                "emulator wrote")
    return f"{path}: cannot use it ({text})"
