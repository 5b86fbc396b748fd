"""The feed's posts: who sees them (their destinations), their files, comments and, for
an important post, who has read it.

A destination is a code: ``UA`` everyone in the company, ``U<id>`` a person, ``D<id>`` the
people of a department, ``DR<id>`` of a department and those under it, ``SG<id>`` a
workgroup (there are none here, so nobody is reached through one). The author always sees
the post; so does nobody else but its destinations. The author and the portal's
administrator may change, share and delete it.

A post's files go to the author's disk ("Uploaded files") and are attached by their disk
ids, which ``FILES`` lists.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ..timing import iso
from . import Actor, schema
from .departments import department_exists
from .disk import ensure_user_storages, folder_row
from .disk_content import put_bytes
from .disk_tree import add_file, add_folder
from .post_fields import user_fields
from .users import is_admin, user_departments, user_row

__all__ = [
    "PostError",
    "add_comment",
    "add_post",
    "delete_post",
    "destinations",
    "important_readers",
    "may_change",
    "may_see",
    "post_exists",
    "post_view",
    "share_post",
    "update_post",
    "visible_posts",
]

SCHEMA = schema("posts", """
CREATE TABLE IF NOT EXISTS blog_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    detail_text TEXT NOT NULL,
    micro TEXT NOT NULL DEFAULT 'N',
    date_publish TEXT NOT NULL,
    log_update TEXT NOT NULL,
    important INTEGER NOT NULL DEFAULT 0,
    num_comments INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS blog_post_rights (
    post_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (post_id, code)
);
CREATE TABLE IF NOT EXISTS blog_post_files (
    post_id INTEGER NOT NULL,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (post_id, file_id)
);
CREATE TABLE IF NOT EXISTS blog_post_readers (
    post_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE TABLE IF NOT EXISTS blog_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    date_create TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS blog_comments_by_post ON blog_comments (post_id, id);
""")

_CODE = re.compile(r"^(UA|U\d+|D\d+|DR\d+|SG\d+)$")
UPLOADS_FOLDER = "Uploaded files"


class PostError(Exception):
    """A write the feed refuses; the message is the server's text."""


def destinations(ctx: Actor, codes: Iterable[Any], allowed: re.Pattern[str] = _CODE
                 ) -> list[str]:
    """The codes that name someone on this portal, once each, in the order given."""
    found: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if allowed.match(code) and code not in found and _reaches_someone(ctx, code):
            found.append(code)
    return found


def _reaches_someone(ctx: Actor, code: str) -> bool:
    if code == "UA":
        return True
    if code.startswith("SG"):
        return False  # no workgroups
    number = int(code.lstrip("UDR"))
    if code.startswith("U"):
        return user_row(ctx, number) is not None
    return department_exists(ctx, number)


def _codes_of(ctx: Actor, user_id: int) -> set[str]:
    """The destinations that reach a user."""
    row = user_row(ctx, user_id)
    if row is None:
        return set()
    codes = {f"U{user_id}"}
    if row["user_type"] == "employee":
        codes.add("UA")
    for department in user_departments(ctx, user_id):
        codes.add(f"D{department}")
        for above in _ancestors(ctx, department):
            codes.add(f"DR{above}")
    return codes


def _ancestors(ctx: Actor, department_id: int) -> list[int]:
    chain = [department_id]
    while True:
        parent = ctx.store.scalar("SELECT parent_id FROM departments WHERE id = ?",
                                  (chain[-1],))
        if parent is None or parent in chain:
            return chain
        chain.append(int(parent))


def _post(ctx: Actor, post_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM blog_posts WHERE id = ?", (post_id,))


def post_exists(ctx: Actor, post_id: int) -> bool:
    return _post(ctx, post_id) is not None


def _rights(ctx: Actor, post_id: int) -> list[str]:
    return [str(row[0]) for row in ctx.store.tuples(
        "SELECT code FROM blog_post_rights WHERE post_id = ? ORDER BY rowid", (post_id,))]


def may_see(ctx: Actor, post_id: int) -> bool:
    post = _post(ctx, post_id)
    if post is None:
        return False
    if post["author_id"] == ctx.user_id:
        return True
    return bool(_codes_of(ctx, ctx.user_id) & set(_rights(ctx, post_id)))


def may_change(ctx: Actor, post_id: int) -> bool:
    """Full rights: the author's, and the administrator's on every post."""
    if is_admin(ctx):
        return True
    post = _post(ctx, post_id)
    return post is not None and post["author_id"] == ctx.user_id


def _title(title: str, text: str) -> tuple[str, str]:
    """(title, MICRO): a post without a title is a micro post titled by its text."""
    if title:
        return title, "N"
    return " ".join(re.sub(r"<[^>]*>", "", text).split()), "Y"


def _uploads_folder(ctx: Actor, author_id: int) -> sqlite3.Row:
    """The author's "Uploaded files" folder on their own disk storage, made on first use."""
    ensure_user_storages(ctx)
    root_id = ctx.store.scalar(
        "SELECT root_id FROM disk_storages WHERE entity_type = 'user' AND entity_id = ?",
        (str(author_id),))
    root = folder_row(ctx, int(root_id))
    assert root is not None
    found = ctx.store.scalar(
        "SELECT id FROM disk_objects WHERE parent_id = ? AND type = 'folder' AND name = ?"
        " AND deleted_type = 0", (root["id"], UPLOADS_FOLDER))
    folder = folder_row(ctx, int(found) if found is not None
                        else add_folder(ctx, root, UPLOADS_FOLDER))
    assert folder is not None
    return folder


def _attach(ctx: Actor, post_id: int, author_id: int, files: Sequence[tuple[str, bytes]]
            ) -> None:
    if not files:
        return
    folder = _uploads_folder(ctx, author_id)
    for name, data in files:
        file_id = add_file(ctx, folder, name, put_bytes(ctx.store, data), unique=True)
        ctx.store.execute("INSERT INTO blog_post_files (post_id, file_id) VALUES (?, ?)",
                          (post_id, file_id))


def _set_rights(ctx: Actor, post_id: int, codes: Sequence[str]) -> None:
    ctx.store.db.executemany(
        "INSERT OR IGNORE INTO blog_post_rights (post_id, code) VALUES (?, ?)",
        [(post_id, code) for code in codes])


def add_post(ctx: Actor, text: str, title: str, codes: Sequence[str], *, important: bool,
             files: Sequence[tuple[str, bytes]]) -> int:
    """A new post of the caller's, published at once; its id."""
    if not codes:
        raise PostError("No destination specified")
    if not text.strip():
        raise PostError("Blog post hasn't been added")
    now = iso(ctx.now)
    shown, micro = _title(title, text)
    post_id = ctx.store.insert(
        "INSERT INTO blog_posts (author_id, title, detail_text, micro, date_publish,"
        " log_update, important) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ctx.user_id, shown, text, micro, now, now, int(important)))
    _set_rights(ctx, post_id, codes)
    if important:  # the author has read their own important post
        ctx.store.execute("INSERT INTO blog_post_readers VALUES (?, ?)", (post_id, ctx.user_id))
    _attach(ctx, post_id, ctx.user_id, files)
    return post_id


def update_post(ctx: Actor, post_id: int, *, text: str | None, title: str | None,
                codes: Sequence[str] | None, important: bool | None,
                files: Sequence[tuple[str, bytes]], removed: Sequence[int] = ()) -> None:
    """Change a post. As on the server, the title is rewritten every time: the one given,
    or the text's, or nothing; new files are added to the post's, ``removed`` taken off."""
    post = _post(ctx, post_id)
    assert post is not None
    body = text if text else post["detail_text"]
    shown, micro = title or "", "N"
    if not shown and text is not None:
        shown, micro = _title("", text)
    ctx.store.execute(
        "UPDATE blog_posts SET title = ?, micro = ?, detail_text = ?, log_update = ?"
        " WHERE id = ?", (shown, micro, body, iso(ctx.now), post_id))
    if codes is not None:
        ctx.store.execute("DELETE FROM blog_post_rights WHERE post_id = ?", (post_id,))
        _set_rights(ctx, post_id, codes)
    if important is not None:
        ctx.store.execute("UPDATE blog_posts SET important = ? WHERE id = ?",
                          (int(important), post_id))
        if important:
            ctx.store.execute("INSERT OR IGNORE INTO blog_post_readers VALUES (?, ?)",
                              (post_id, ctx.user_id))
    for file_id in removed:
        ctx.store.execute("DELETE FROM blog_post_files WHERE post_id = ? AND file_id = ?",
                          (post_id, file_id))
    _attach(ctx, post_id, int(post["author_id"]), files)


def delete_post(ctx: Actor, post_id: int) -> None:
    for table in ("blog_post_rights", "blog_post_files", "blog_post_readers", "blog_comments"):
        ctx.store.execute(f"DELETE FROM {table} WHERE post_id = ?", (post_id,))  # noqa: S608
    ctx.store.execute("DELETE FROM blog_posts WHERE id = ?", (post_id,))


def share_post(ctx: Actor, post_id: int, codes: Sequence[str]) -> None:
    """More destinations for a post; those it has stay."""
    _set_rights(ctx, post_id, codes)


def important_readers(ctx: Actor, post_id: int) -> list[str]:
    """Who marked an important post read (ids as text); nothing for a post one cannot see."""
    if not may_see(ctx, post_id):
        return []
    return [str(row[0]) for row in ctx.store.tuples(
        "SELECT r.user_id FROM blog_post_readers r JOIN users u ON u.id = r.user_id"
        " WHERE r.post_id = ? AND u.active = 1 ORDER BY r.rowid", (post_id,))]


def add_comment(ctx: Actor, post_id: int, text: str) -> int:
    """A comment of the caller's under a post they can see; its id."""
    last = ctx.store.scalar(
        "SELECT text FROM blog_comments WHERE post_id = ? AND author_id = ?"
        " ORDER BY id DESC LIMIT 1", (post_id, ctx.user_id))
    if last is not None and last == text:
        raise PostError("Duplicate comment")
    if not may_see(ctx, post_id):
        raise PostError("No permissions")
    if not text.strip():
        raise PostError("Blog comment hasn't been added")
    now = iso(ctx.now)
    comment_id = ctx.store.insert(
        "INSERT INTO blog_comments (post_id, author_id, text, date_create) VALUES (?, ?, ?, ?)",
        (post_id, ctx.user_id, text, now))
    ctx.store.execute(
        "UPDATE blog_posts SET num_comments = num_comments + 1, log_update = ? WHERE id = ?",
        (now, post_id))
    return comment_id


def visible_posts(ctx: Actor, post_id: int, rights: Sequence[str] | None) -> list[int]:
    """The posts the caller sees, newest activity first: one post, or those addressed to
    any of ``rights`` (the author counts as addressed by ``U<author>``), or all."""
    if post_id > 0:
        return [post_id] if may_see(ctx, post_id) else []
    wanted = {str(code).upper() for code in rights} if rights is not None else None
    found = []
    for row in ctx.store.rows("SELECT id, author_id FROM blog_posts"
                              " ORDER BY log_update DESC, id DESC"):
        if not may_see(ctx, row["id"]):
            continue
        codes = {*_rights(ctx, row["id"]), f"U{row['author_id']}"}
        if wanted is None or codes & wanted:
            found.append(int(row["id"]))
    return found


def post_view(ctx: Actor, post_id: int) -> dict[str, Any]:
    """A post as ``log.blogpost.get`` writes it."""
    post = _post(ctx, post_id)
    assert post is not None
    files = [int(row[0]) for row in ctx.store.tuples(
        "SELECT file_id FROM blog_post_files WHERE post_id = ? ORDER BY rowid", (post_id,))]
    has_props = bool(files) or bool(post["important"])
    view: dict[str, Any] = {
        "ID": str(post_id), "BLOG_ID": str(post["author_id"]), "PUBLISH_STATUS": "P",
        "TITLE": post["title"], "AUTHOR_ID": str(post["author_id"]), "ENABLE_COMMENTS": "Y",
        "NUM_COMMENTS": str(post["num_comments"]), "CODE": None, "MICRO": post["micro"],
        "DETAIL_TEXT": post["detail_text"], "DATE_PUBLISH": post["date_publish"],
        "CATEGORY_ID": None, "HAS_SOCNET_ALL": "N", "HAS_TAGS": "N", "HAS_IMAGES": "N",
        "HAS_PROPS": "Y" if has_props else "N", "HAS_COMMENT_IMAGES": None,
    }
    if has_props:
        view.update(user_fields(post_id, files, bool(post["important"])))
    if files:
        view["FILES"] = files
    return view
