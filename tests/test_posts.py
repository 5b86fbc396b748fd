"""Feed posts management: destinations and who sees a post, files on the author's disk,
important posts and their readers, who may change a post, comments."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")
# Webhooks of people in different departments: 2 in Sales, 6 in Marketing, 7 in Support
# (under Development), and 21, an extranet guest invited by the tests.
PEOPLE = {2: "sales2", 6: "marketing6", 7: "support7"}


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    db = tmp_path_factory.mktemp("feed") / "portal.db"
    hooks = [arg for user, code in PEOPLE.items() for arg in ("--webhook", f"{user}/{code}")]
    with launch(hooks, db=str(db)) as running:
        running.db_path = db  # type: ignore[attr-defined]
        yield running


def _as(feed: EmulatorProcess, user: int) -> str:
    return f"{feed.base_url}/rest/{user}/{PEOPLE[user]}"


def _error(call: Any) -> Bitrix24Error:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value


def _raw(feed: EmulatorProcess, method: str, params: dict[str, Any], user: int = 1) -> Any:
    url = feed.webhook_url if user == 1 else _as(feed, user)
    return httpx.post(f"{url}/{method}", json=params)


def _seen_by(feed: EmulatorProcess, post_id: int) -> list[int]:
    """Who of users 1, 2, 6, 7 can read the post."""
    return [user for user in (1, 2, 6, 7)
            if bitrix24.get_posts(feed.webhook_url if user == 1 else _as(feed, user),
                                  post_id).result]


def test_create_with_files_and_read_it_back(feed: EmulatorProcess, tmp_path: Path) -> None:
    picture = tmp_path / "picture.gif"
    picture.write_bytes(GIF)
    created = bitrix24.create_post(
        feed.webhook_url, "Text of post", files={"1.gif": picture, "2.gif": GIF,
                                                 "3.gif": base64.b64encode(GIF).decode()},
        title="Post title", important=True)
    assert_shape(created.json(), "CreatePost_wh")
    post_id = created.result
    [post] = bitrix24.get_posts(feed.webhook_url, post_id).result
    assert (post["TITLE"], post["DETAIL_TEXT"], post["MICRO"], post["HAS_PROPS"]) == (
        "Post title", "Text of post", "N", "Y")
    assert post["UF_BLOG_POST_IMPRTNT"]["VALUE"] == "1"
    assert post["UF_BLOG_POST_FILE"]["VALUE"] == post["FILES"] and len(post["FILES"]) == 3
    stored = []
    with BucketlessClient(feed.webhook_url) as b24:  # the files are the author's, on disk
        for file_id in sorted(post["FILES"], key=int):
            file = b24.get_file_information(int(file_id)).result
            folder = b24.get_folder_information(int(file["PARENT_ID"])).result
            target = tmp_path / f"copy-{file_id}"
            b24.download(int(file_id), target)
            stored.append((file["NAME"], target.read_bytes(), folder["NAME"]))
    assert stored == [(name, GIF, "Uploaded files") for name in ("1.gif", "2.gif", "3.gif")]
    readers = bitrix24.get_important_post_viewers(feed.webhook_url, post_id)
    assert_shape(readers.json(), "GetImportantPostViewers_wh")
    assert readers.result == ["1"]  # the author has read their own important post


def test_a_plain_post_is_a_micro_post_without_properties(feed: EmulatorProcess) -> None:
    post_id = bitrix24.create_post(feed.webhook_url, "Just <b>a</b>\n line").result
    [post] = bitrix24.get_posts(feed.webhook_url, post_id).result
    assert (post["TITLE"], post["MICRO"], post["HAS_PROPS"]) == ("Just a line", "Y", "N")
    assert "FILES" not in post and "UF_BLOG_POST_FILE" not in post
    assert bitrix24.get_important_post_viewers(feed.webhook_url, post_id).result == []


@pytest.mark.parametrize(("vision", "seen"), [
    (["UA"], [1, 2, 6, 7]),
    (["U6"], [1, 6]),
    (["D4"], [1]),  # Development itself: nobody of 2, 6, 7 works there
    (["DR4"], [1, 7]),  # Development and Support under it
    (["D2", "U7"], [1, 2, 7]),
])
def test_destinations_decide_who_sees_a_post(feed: EmulatorProcess, vision: list[str],
                                             seen: list[int]) -> None:
    post_id = bitrix24.create_post(feed.webhook_url, f"For {vision}", vision).result
    assert _seen_by(feed, post_id) == seen


def test_posts_visible_to_a_destination(feed: EmulatorProcess) -> None:
    mine = bitrix24.create_post(_as(feed, 6), "Marketing only", ["D3"]).result
    everyone = bitrix24.create_post(_as(feed, 6), "Hello all", "UA").result
    by_rights = [int(p["ID"]) for p in bitrix24.get_posts(_as(feed, 6), selection=["D3"]).result]
    assert mine in by_rights and everyone not in by_rights
    newest = bitrix24.get_posts(_as(feed, 6)).result  # UA: posts to everyone, newest first
    assert int(newest[0]["ID"]) == everyone and mine not in [int(p["ID"]) for p in newest]
    assert bitrix24.get_posts(_as(feed, 2), mine).result == []


def test_updates_add_files_and_rewrite_the_title(feed: EmulatorProcess) -> None:
    url = feed.webhook_url
    post_id = bitrix24.create_post(url, "Text", files={"a.gif": GIF}, title="T").result
    updated = bitrix24.update_post(url, post_id, "New post text", files={"b.gif": GIF},
                                   title="New post title")
    assert_shape(updated.json(), "UpdatePost")
    assert updated.result == post_id
    got = bitrix24.get_posts(url, post_id)
    assert_shape(got.json(), "GetPosts")  # a post with files, as the recorded one
    [post] = got.result
    assert (post["TITLE"], post["DETAIL_TEXT"], len(post["FILES"])) == (
        "New post title", "New post text", 2)
    first = post["FILES"][0]
    _raw(feed, "log.blogpost.update", {"POST_ID": post_id, "FILES": {str(first): "del"}})
    [post] = bitrix24.get_posts(url, post_id).result
    assert len(post["FILES"]) == 1 and first not in post["FILES"]
    assert post["TITLE"] == ""  # no title and no text given: the server blanks it
    bitrix24.update_post(url, post_id, "Only text now")
    assert bitrix24.get_posts(url, post_id).result[0]["TITLE"] == "Only text now"


def test_only_the_author_or_an_administrator_changes_a_post(feed: EmulatorProcess) -> None:
    post_id = bitrix24.create_post(_as(feed, 2), "Mine", "UA").result
    assert _raw(feed, "log.blogpost.update", {"POST_ID": post_id, "POST_MESSAGE": "x"},
                user=6).json() == {"error": "", "error_description": "No write perms"}
    assert _raw(feed, "log.blogpost.share", {"POST_ID": post_id, "DEST": ["U7"]},
                user=6).json() == {"error": "", "error_description": "No read perms"}
    refused = _raw(feed, "log.blogpost.delete", {"POST_ID": post_id}, user=6)
    assert (refused.status_code, refused.json()["error"]) == (400, "0")
    assert bitrix24.update_post(feed.webhook_url, post_id, "By the admin").result == post_id
    assert bitrix24.delete_post(_as(feed, 2), post_id).result is True
    assert bitrix24.get_posts(feed.webhook_url, post_id).result == []


@pytest.mark.parametrize(("method", "params", "code", "text"), [
    ("log.blogpost.add", {"POST_MESSAGE": "x", "DEST": ["U999", "SG1"]}, "",
     "No destination specified"),
    ("log.blogpost.add", {"POST_MESSAGE": ""}, "", "Blog post hasn't been added"),
    ("log.blogpost.update", {"POST_ID": 0}, "", "Wrong post ID"),
    ("log.blogpost.update", {"POST_ID": 10**6}, "", "No post found"),
    ("log.blogpost.delete", {"POST_ID": "x"}, "0", "Wrong post ID"),
    ("log.blogpost.delete", {"POST_ID": 10**6}, "0", "The post could not be deleted"),
    ("log.blogpost.share", {"POST_ID": 0, "DEST": ["UA"]}, "", "Wrong post ID"),
    ("log.blogpost.share", {"POST_ID": 1, "DEST": ["D2", "nobody"]}, "", "Wrong destinations"),
    ("log.blogpost.getusers.important", {}, "", "Wrong post ID"),
    ("log.blogcomment.add", {"POST_ID": 10**6, "TEXT": "x"}, "", "No post found"),
])
def test_feed_errors(feed: EmulatorProcess, method: str, params: dict[str, Any], code: str,
                     text: str) -> None:
    reply = _raw(feed, method, params)
    assert (reply.status_code, reply.json()) == (400, {"error": code,
                                                       "error_description": text})


def test_comments_and_shares(feed: EmulatorProcess) -> None:
    url = feed.webhook_url
    post_id = bitrix24.create_post(url, "Text of post", ["U2"]).result
    commented = bitrix24.add_post_comment(url, post_id, "Comment for post")
    assert_shape(commented.json(), "AddPostComment_wh")
    assert bitrix24.add_post_comment(_as(feed, 2), post_id, "Another comment").result > \
        commented.result
    assert _raw(feed, "log.blogcomment.add", {"POST_ID": post_id, "TEXT": "Another comment"},
                user=2).json()["error_description"] == "Duplicate comment"
    assert _raw(feed, "log.blogcomment.add", {"POST_ID": post_id, "TEXT": "Let me in"},
                user=6).json()["error_description"] == "No permissions"
    assert bitrix24.get_posts(url, post_id).result[0]["NUM_COMMENTS"] == "2"
    shared = bitrix24.add_post_recipients(url, post_id, ["U6", "DR4"])
    assert_shape(shared.json(), "AddPostRecipients_wh")
    assert _seen_by(feed, post_id) == [1, 2, 6, 7]
    assert bitrix24.add_post_comment(_as(feed, 6), post_id, "Now I can").result > 0


def test_posts_from_the_command_line(cli_process: Any, feed: EmulatorProcess,
                                     tmp_path: Path) -> None:
    url = feed.webhook_url
    picture = tmp_path / "p.gif"
    picture.write_bytes(GIF)
    created = cli_process("bitrix24", "CreatePost", "--url", url, "--text", "From the shell",
                          "--vision", "['U6','U7']", "--files", f"{{'p.gif':'{picture}'}}",
                          "--title", "CLI", "--important", "true")
    assert created.code == 0, created.stderr
    post_id = str(created.json()["result"])
    got = cli_process("bitrix24", "GetPosts", "--url", url, "--postid", post_id)
    assert len(got.json()["result"][0]["FILES"]) == 1
    viewers = cli_process("bitrix24", "GetImportantPostViewers", "--url", url, "--postid",
                          post_id)
    assert viewers.json()["result"] == ["1"]
    assert cli_process("bitrix24", "UpdatePost", "--url", url, "--postid", post_id,
                       "--text", "Edited").json()["result"] == int(post_id)
    assert cli_process("bitrix24", "AddPostComment", "--url", url, "--postid", post_id,
                       "--text", "From the shell too").code == 0
    assert cli_process("bitrix24", "AddPostRecipients", "--url", url, "--postid", post_id,
                       "--vision", "UA").json()["result"] is True
    missing = cli_process("bitrix24", "DeletePost", "--url", url, "--postid", "999999")
    assert missing.code != 0 and missing.json()["error_description"] == \
        "The post could not be deleted"
    assert cli_process("bitrix24", "DeletePost", "--url", url, "--postid",
                       post_id).json()["result"] is True
