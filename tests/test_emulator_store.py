"""The store's versioned layout: ``--db`` files of older layouts are migrated, files the
emulator cannot use are refused with one line and exit 2, and nothing is half-done."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from oint.emulator.process import launch
from oint.emulator.store import STORE_VERSION, Schema, Store, StoreError

# The disk's tables of then (version 1 of the family), in place of today's.
DISK_BEFORE_VERSIONS = """
DROP TABLE disk_objects; DROP TABLE disk_storages; DROP TABLE disk_files;
DROP TABLE disk_contents; DROP TABLE disk_links; DROP TABLE disk_secret;
CREATE TABLE disk_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, name TEXT NOT NULL,
    parent_id INTEGER NOT NULL DEFAULT 0, chat_id INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0, created_by INTEGER NOT NULL, created_at TEXT NOT NULL,
    content BLOB
);
CREATE UNIQUE INDEX chat_folders ON disk_objects (chat_id) WHERE chat_id > 0;
"""


def _refused(db: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "oint", "emulator", "--port", "0",
                           "--db", str(db)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert str(db) in done.stderr
    return done.stderr


def _members(base: str, chat_id: int) -> list[int]:
    reply = httpx.post(f"{base}/im.chat.user.list", json={"CHAT_ID": chat_id})
    return list(reply.json()["result"])


def test_a_file_from_before_versions_is_migrated_with_its_state(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with launch(db=str(db)) as first:
        chat_id = httpx.post(f"{first.webhook_url}/im.chat.add",
                             json={"USERS": [7]}).json()["result"]
    # What oint wrote before its layout had versions: the tables of then, user_version 0.
    with sqlite3.connect(db) as old:
        old.execute("DROP TABLE oint_schema")
        old.execute("PRAGMA user_version = 0")
        old.executescript(DISK_BEFORE_VERSIONS)
    with launch(db=str(db)) as second:
        assert _members(second.webhook_url, chat_id) == [1, 7]
    with sqlite3.connect(db) as migrated:
        assert migrated.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION
        families = dict(migrated.execute("SELECT family, version FROM oint_schema"))
    assert {"users", "chat", "disk", "crm_lead"} <= set(families)


def test_a_family_version_without_a_migration_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "portal.db"
    with launch(db=str(db)):
        pass
    with sqlite3.connect(db) as made:
        made.execute("UPDATE oint_schema SET version = 0 WHERE family = 'chat'")
    assert "chat tables of version 0" in _refused(db)
    with sqlite3.connect(db) as kept:  # refused means untouched
        assert kept.execute("SELECT version FROM oint_schema WHERE family = 'chat'"
                            ).fetchone()[0] == 0


def test_files_of_a_newer_oint_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as made:
        made.execute("CREATE TABLE webhooks (user_id INTEGER, code TEXT)")
        made.execute(f"PRAGMA user_version = {STORE_VERSION + 1}")
    assert "newer oint" in _refused(newer)


def test_files_that_are_not_the_emulators_are_refused_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"these are my notes, not a database\n" * 100)
    assert "not an SQLite database" in _refused(junk)
    assert junk.read_bytes() == b"these are my notes, not a database\n" * 100
    foreign = tmp_path / "other-app.sqlite"
    with sqlite3.connect(foreign) as made:
        made.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    before = foreign.read_bytes()
    assert "not the emulator's" in _refused(foreign)
    assert foreign.read_bytes() == before


def test_an_old_table_of_another_layout_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "odd.db"
    with sqlite3.connect(db) as made:
        made.execute("CREATE TABLE webhooks (user_id INTEGER NOT NULL, code TEXT NOT NULL)")
        made.execute("CREATE TABLE chats (id INTEGER PRIMARY KEY, title TEXT)")
    assert "chats table of an older oint" in _refused(db)


def test_a_folder_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    assert "cannot open" in _refused(tmp_path / "missing" / "portal.db")


# -- the migration machinery, on a family of its own ------------------------------------------

_V1 = Schema("notes", "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT);")


def _v2(step: str) -> Schema:
    return Schema("notes", "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT,"
                  " pinned INTEGER NOT NULL DEFAULT 0);", version=2, migrations={1: step})


def test_a_family_is_migrated_step_by_step(tmp_path: Path) -> None:
    path = str(tmp_path / "notes.db")
    first = Store(path, [_V1])
    first.insert("INSERT INTO notes (body) VALUES ('kept')")
    first.close()
    second = Store(path, [_v2("ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;")])
    assert [tuple(r) for r in second.rows("SELECT body, pinned FROM notes")] == [("kept", 0)]
    assert second.scalar("SELECT version FROM oint_schema WHERE family = 'notes'") == 2
    second.close()
    with pytest.raises(StoreError, match="newer oint"):
        Store(path, [_V1])


def test_a_failed_migration_changes_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "notes.db")
    Store(path, [_V1]).close()
    broken = _v2("ALTER TABLE notes ADD COLUMN pinned INTEGER;\nALTER TABLE nowhere ADD x;")
    with pytest.raises(StoreError, match="migrating the notes tables from version 1 failed"):
        Store(path, [broken])
    with sqlite3.connect(path) as kept:
        assert [r[1] for r in kept.execute("PRAGMA table_info(notes)")] == ["id", "body"]
        assert kept.execute("SELECT version FROM oint_schema").fetchone()[0] == 1
