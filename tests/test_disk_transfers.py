"""Files up and down: both upload forms, the signed links, sizes and checksums, the bytes
beside the SQLite file, the limits, and what the client does when a transfer fails.

Facts: the two-step upload and ``DOWNLOAD_URL`` as the REST docs give them
(disk/folder/disk-folder-upload-file.md, files/how-to-upload-files.md: 2 GB per request in
the cloud) and the server's source (rest_util.php ``getSpecialUrl``, rest.php: a token call
answers ``{"result": ...}`` without ``time``; a bad signature is "Link check failed").
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import http.client
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from clients import BucketlessAsyncClient, BucketlessClient
from oint.bitrix24 import (
    InvalidArgumentError,
    NotFoundError,
    OutcomeUnknownError,
    TransportError,
    UsageError,
)
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape
from test_emulator_store import DISK_BEFORE_VERSIONS

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")


@dataclass
class Portal:
    process: EmulatorProcess
    db: Path
    b24: BucketlessClient

    def folder(self) -> int:
        common = self.b24.call("disk.storage.getlist",
                               {"filter": {"ENTITY_TYPE": "common"}}).result[0]["ID"]
        made = self.b24.create_storage_folder(int(common), f"F {secrets.token_hex(3)}")
        return int(made.result["ID"])


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    db = tmp_path_factory.mktemp("disk") / "portal.db"
    with launch(db=str(db)) as running, BucketlessClient(running.webhook_url) as b24:
        yield Portal(running, db, b24)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_both_uploads_keep_the_bytes_and_download_urls_serve_them(portal: Portal,
                                                                  tmp_path: Path) -> None:
    folder = portal.folder()
    data = os.urandom(300_000)
    source = tmp_path / "report.bin"
    source.write_bytes(data)
    two_step = portal.b24.upload_file_to_folder("report.bin", source, folder)
    assert_shape(two_step.json(), "UploadFileToFolder")
    assert "time" not in two_step.json()  # a token call's answer, as the server's
    common = int(two_step.result["STORAGE_ID"])
    one_step = portal.b24.upload_file_to_storage(f"r{secrets.token_hex(3)}.bin", data, common)
    assert_shape(one_step.json(), "UploadFileToStorage")
    for made in (two_step.result, one_step.result):
        assert made["SIZE"] == str(len(data))
        fetched = httpx.get(made["DOWNLOAD_URL"])
        assert fetched.status_code == 200 and _sha(fetched.content) == _sha(data)
        assert fetched.headers["content-length"] == str(len(data))
    # The bytes live beside the SQLite file, once per content.
    kept = portal.db.with_name(portal.db.name + ".files")
    assert (kept / _sha(data)).read_bytes() == data


@pytest.mark.parametrize("given", ["bytes", "base64", "url"])
def test_a_file_to_upload_may_be_bytes_base64_or_a_url(portal: Portal, given: str) -> None:
    folder = portal.folder()
    source: Any = {"bytes": GIF, "base64": base64.b64encode(GIF).decode()}.get(given)
    if given == "url":
        source = portal.b24.upload_file_to_folder("seed.gif", GIF, folder).result["DOWNLOAD_URL"]
    made = portal.b24.upload_file_to_folder("picture.gif", source, folder).result
    assert httpx.get(made["DOWNLOAD_URL"]).content == GIF


def test_the_upload_link_takes_a_form_from_any_client(portal: Portal) -> None:
    folder = portal.folder()
    target = portal.b24.call("disk.folder.uploadfile", {"id": folder}).result
    assert target["field"] == "file"
    assert urlsplit(target["uploadUrl"]).path.endswith("/upload/")
    reply = httpx.post(target["uploadUrl"], data={"note": "ignored"},
                       files={"file": ("C:\\docs\\plan.txt", b"the plan", "text/plain")})
    made = reply.json()["result"]
    assert (made["NAME"], made["SIZE"], made["PARENT_ID"]) == ("plan.txt", "8", str(folder))
    # Without the file field, the server's required-parameter error.
    again = httpx.post(target["uploadUrl"], files={"other": ("x.txt", b"x")})
    assert (again.status_code, again.json()) == (400, {
        "error": "DISK_BASE_SERVICE_22001",
        "error_description": "Error: required parameter file (DISK_BASE_SERVICE_22001)."})
    # The same name again is a clash, unless the link was asked for unique names.
    clash = httpx.post(target["uploadUrl"], files={"file": ("plan.txt", b"v2")})
    assert clash.json()["error"] == "DISK_OBJ_22000"
    unique = portal.b24.call("disk.folder.uploadfile", {"id": folder,
                                                        "generateUniqueName": True}).result
    renamed = httpx.post(unique["uploadUrl"], files={"file": ("plan.txt", b"v2")}).json()
    assert renamed["result"]["NAME"] == "plan (1).txt"


def test_a_link_is_checked_before_it_is_used(portal: Portal) -> None:
    folder = portal.folder()
    made = portal.b24.upload_file_to_folder("a.txt", b"a", folder).result
    url = made["DOWNLOAD_URL"]
    tampered = url.replace("token=disk%7C", "token=disk%7CX")
    reply = httpx.get(tampered)
    assert (reply.status_code, reply.json()) == (403, {
        "error": "ACCESS_DENIED", "error_description": "Access denied! Link check failed"})
    # A download link is not an upload link (the method is signed too).
    as_upload = httpx.post(url.replace("/download/", "/upload/"), files={"file": ("b", b"b")})
    assert as_upload.json()["error"] == "ACCESS_DENIED"
    # The credentials in the link are checked as for any call.
    code = portal.process.webhook_code
    wrong = httpx.get(url.replace(code, "0" * len(code)))
    assert (wrong.status_code, wrong.json()["error"]) == (401, "INVALID_CREDENTIALS")
    portal.b24.delete_file(int(made["ID"]))
    gone = httpx.get(url)
    assert (gone.status_code, gone.json()) == (400, {
        "error": "ERROR_NOT_FOUND",
        "error_description": f"Could not find entity with id '{made['ID']}'."})


def test_a_token_form_link_carries_the_access_token(portal: Portal) -> None:
    folder = portal.folder()
    with BucketlessClient(portal.process.base_url, portal.process.token) as b24:
        made = b24.upload_file_to_folder("t.txt", b"token form", folder).result
    parts = urlsplit(made["DOWNLOAD_URL"])
    assert parts.path == "/rest/download.json"
    assert f"auth={portal.process.token}" in parts.query
    assert httpx.get(made["DOWNLOAD_URL"]).content == b"token form"


def test_client_download_streams_into_a_path(portal: Portal, tmp_path: Path) -> None:
    folder = portal.folder()
    data = os.urandom(200_000)
    made = portal.b24.upload_file_to_folder("d.bin", data, folder).result
    target = tmp_path / "by-id.bin"
    saved = portal.b24.download(int(made["ID"]), target)
    assert saved.result == {"path": str(target), "size": len(data)}
    assert target.read_bytes() == data
    by_url = tmp_path / "by-url.bin"
    assert portal.b24.download(made["DOWNLOAD_URL"], by_url).result["size"] == len(data)
    assert by_url.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] and not [
        p for p in tmp_path.iterdir() if p.name.startswith(".oint-download-")]


def test_the_async_client_uploads_and_downloads(portal: Portal, tmp_path: Path) -> None:
    folder = portal.folder()
    data = os.urandom(100_000)

    async def run() -> dict[str, Any]:
        async with BucketlessAsyncClient(portal.process.webhook_url) as b24:
            made = (await b24.upload_file_to_folder("a.bin", data, folder)).result
            return (await b24.download(int(made["ID"]), tmp_path / "a.bin")).result

    assert asyncio.run(run())["size"] == len(data)
    assert (tmp_path / "a.bin").read_bytes() == data


def test_a_failed_download_leaves_the_target_as_it_was(portal: Portal, tmp_path: Path) -> None:
    folder = portal.folder()
    made = portal.b24.upload_file_to_folder("x.txt", b"x", folder).result
    portal.b24.delete_file(int(made["ID"]))
    target = tmp_path / "keep.txt"
    target.write_bytes(b"what was here")
    with pytest.raises(NotFoundError):
        portal.b24.download(made["DOWNLOAD_URL"], target)
    assert target.read_bytes() == b"what was here"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    before = portal.process.stats()["requests"]
    with pytest.raises(UsageError, match="cannot write to"):
        portal.b24.download(made["DOWNLOAD_URL"], tmp_path / "no" / "such" / "dir.txt")
    with pytest.raises(UsageError, match="it is a folder"):
        portal.b24.download(made["DOWNLOAD_URL"], tmp_path)
    assert portal.process.stats()["requests"] == before  # nothing was sent
    with pytest.raises(UsageError, match="file ID or"):
        portal.b24.download("not an id", tmp_path / "x")
    # A link to another host gets nothing, not even the request (it would carry the link).
    with pytest.raises(TransportError, match="another host"):
        portal.b24.download(made["DOWNLOAD_URL"].replace("127.0.0.1", "localhost"), target)
    assert portal.process.stats()["requests"] == before


def test_a_lost_upload_reply_is_not_sent_again(portal: Portal) -> None:
    folder = portal.folder()
    portal.process.set_faults(drop=1.0, methods=["upload"])
    try:
        with pytest.raises(OutcomeUnknownError, match="may have run"):
            portal.b24.upload_file_to_folder("once.txt", b"once", folder)
    finally:
        portal.process.set_faults(drop=0.0, methods=[])
    # The upload ran once, and was not repeated.
    assert [i["NAME"] for i in portal.b24.get_folder_items(folder).result] == ["once.txt"]
    assert portal.process.stats()["faults"]["drop"]["upload"] == 1


def test_the_cloud_takes_no_request_over_2_gb(portal: Portal, tmp_path: Path) -> None:
    folder = portal.folder()
    huge = tmp_path / "huge.bin"
    with open(huge, "wb") as sparse:  # takes no room on the disk
        sparse.truncate(2 * 1024 ** 3 + 1)
    before = portal.process.stats()["requests"]
    with pytest.raises(UsageError, match="more than the portal takes"):
        portal.b24.upload_file_to_folder("huge.bin", huge, folder)
    assert portal.process.stats()["requests"] == before
    # A client that sends one anyway is refused as the cloud's web server refuses it.
    target = portal.b24.call("disk.folder.uploadfile", {"id": folder}).result["uploadUrl"]
    parts = urlsplit(target)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.putrequest("POST", f"{parts.path}?{parts.query}")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(3 * 1024 ** 3))
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 413 and b"413 Request Entity Too Large" in answer.read()
    connection.close()


def test_links_and_bytes_outlive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "kept.db"
    with launch(db=str(db)) as first, BucketlessClient(first.webhook_url) as b24:
        common = b24.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
        made = b24.upload_file_to_storage("kept.txt", b"kept", int(common.result[0]["ID"]))
    port = urlsplit(first.base_url).port
    with launch(db=str(db)) as second:
        # The link made before the restart, at the new port: this portal signed it, and its
        # webhook is kept in the file, so it still serves the bytes.
        url = made.result["DOWNLOAD_URL"].replace(f":{port}/",
                                                  f":{urlsplit(second.base_url).port}/")
        assert httpx.get(url).content == b"kept"


def test_download_file_from_the_command_line(portal: Portal, cli: Any, cli_process: Any,
                                             tmp_path: Path) -> None:
    folder = portal.folder()
    made = portal.b24.upload_file_to_folder("c.txt", b"from the CLI", folder).result
    out = tmp_path / "c.txt"
    done = cli("bitrix24", "DownloadFile", "--url", portal.process.webhook_url,
               "--fileid", str(made["ID"]), "--out", str(out))
    assert done.code == 0, done.stderr
    assert done.json()["result"] == {"path": str(out), "size": 12}
    assert out.read_bytes() == b"from the CLI"
    real = cli_process("bitrix24", "DownloadFile", "--url", portal.process.base_url,
                       "--token", portal.process.token, "--fileid", made["DOWNLOAD_URL"],
                       "--out", str(tmp_path / "again.txt"))
    assert real.code == 0, real.stderr
    assert (tmp_path / "again.txt").read_bytes() == b"from the CLI"
    missing = cli("bitrix24", "DownloadFile", "--url", portal.process.webhook_url,
                  "--fileid", "999999", "--out", str(tmp_path / "none"))
    assert missing.code == 3 and missing.json()["error"] == "ERROR_NOT_FOUND"
    assert not (tmp_path / "none").exists()


def test_test_and_debug_show_transfers_without_secrets(portal: Portal, cli: Any,
                                                       tmp_path: Path) -> None:
    folder = portal.folder()
    source = tmp_path / "s.txt"
    source.write_bytes(b"secret-free")
    planned = cli("bitrix24", "UploadFileToFolder", "--url", portal.process.webhook_url,
                  "--title", "s.txt", "--file", str(source), "--folderid", str(folder),
                  "--test")
    assert planned.code == 0, planned.stderr
    shown = planned.json()
    assert shown["body"] == {"id": folder} and "then" in shown
    assert portal.process.webhook_code not in planned.stdout
    debug = cli("bitrix24", "UploadFileToFolder", "--url", portal.process.base_url,
                "--token", portal.process.token, "--title", "s.txt", "--file", str(source),
                "--folderid", str(folder), "--debug")
    assert debug.code == 0, debug.stderr
    made = debug.json()["result"]
    assert '"files": [{"field": "file", "filename": "s.txt", "bytes": 11}]' in debug.stderr
    got = cli("bitrix24", "DownloadFile", "--url", portal.process.base_url, "--token",
              portal.process.token, "--fileid", str(made["ID"]), "--out",
              str(tmp_path / "d.txt"), "--debug")
    assert got.code == 0, got.stderr
    link_token = urlsplit(made["DOWNLOAD_URL"]).query.split("token=")[-1]
    for secret in (portal.process.token, link_token):
        assert secret not in debug.stderr and secret not in got.stderr
    assert '"method": "GET"' in got.stderr


def test_the_bytes_leave_with_the_last_copy(portal: Portal) -> None:
    folder, other = portal.folder(), portal.folder()
    data = os.urandom(5000)
    made = portal.b24.upload_file_to_folder("c.bin", data, folder).result
    copy = portal.b24.make_file_copy(int(made["ID"]), other).result
    kept = portal.db.with_name(portal.db.name + ".files") / _sha(data)
    portal.b24.delete_file(int(made["ID"]))
    assert kept.exists() and httpx.get(copy["DOWNLOAD_URL"]).content == data
    portal.b24.delete_folder(other)
    assert not kept.exists()


def test_a_name_the_disk_refuses_is_refused_for_an_upload_too(portal: Portal) -> None:
    folder = portal.folder()
    with pytest.raises(InvalidArgumentError) as caught:
        portal.b24.upload_file_to_folder("a:b.txt", b"x", folder)
    assert caught.value.payload["error"] == "BX_INVALID_VALUE"
    assert portal.b24.get_folder_items(folder).result == []


def test_an_expired_token_in_a_link_is_refused() -> None:
    with launch() as running, BucketlessClient(running.base_url, running.token) as b24, \
            BucketlessClient(running.webhook_url) as hook:
        common = hook.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
        folder = int(hook.create_storage_folder(int(common.result[0]["ID"]), "F").result["ID"])
        target = b24.call("disk.folder.uploadfile", {"id": folder}).result["uploadUrl"]
        running.admin("POST", "tokens/expire", {})
        reply = httpx.post(target, files={"file": ("late.txt", b"late")})
        assert (reply.status_code, reply.json()["error"]) == (401, "expired_token")
        assert hook.get_folder_items(folder).result == []


def test_a_disk_of_version_1_is_migrated_with_its_files(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    with launch(db=str(db)) as first, BucketlessClient(first.webhook_url) as b24:
        chat = b24.create_chat({"TITLE": "Old", "USERS": [2]}).result
    # The disk as version 1 kept it: one table, the chat's folder at the top, bytes in rows.
    with sqlite3.connect(db) as old:
        old.executescript(DISK_BEFORE_VERSIONS)
        old.execute("INSERT INTO disk_objects (id, type, name, chat_id, created_by, created_at)"
                    " VALUES (7, 'folder', ?, ?, 1, '2025-01-01T00:00:00+00:00')",
                    (f"chat{chat}", chat))
        old.execute("INSERT INTO disk_objects (id, type, name, parent_id, size, created_by,"
                    " created_at, content) VALUES (8, 'file', 'old.txt', 7, 9, 1,"
                    " '2025-01-01T00:00:00+00:00', ?)", (b"old bytes",))
        old.execute("UPDATE oint_schema SET version = 1 WHERE family = 'disk'")
    with launch(db=str(db)) as second, BucketlessClient(second.webhook_url) as b24:
        assert b24.get_chat_files_folder(chat).result["ID"] == 7
        [file] = b24.get_folder_items(7).result
        assert (file["ID"], file["NAME"], file["SIZE"], file["FILE_ID"]) == (
            "8", "old.txt", "9", "8")
        assert httpx.get(file["DOWNLOAD_URL"]).content == b"old bytes"
        sent = b24.send_file(chat, 8).result
        assert sent["FILE_MODELS"]["upload8"]["etag"] == hashlib.md5(b"old bytes").hexdigest()
        assert b24.get_folder_information(7).result["STORAGE_ID"] != "0"
