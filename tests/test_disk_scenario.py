"""OPI's disk scenario, in OPI's order, through ``oint bitrix24 ...``: once with a webhook
URL and once with the portal's URL and ``--token``. Storages, folders (create, copy, move,
rename, trash, restore, delete), uploads both ways, copies and moves of files, external
links, and a download whose bytes equal the upload. Each reply is compared with the real
portal's recordings of the function.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape

PICTURE = base64.b64decode("R0lGODlhAQABAAAAACw=")


@pytest.fixture(scope="module")
def running() -> Iterator[EmulatorProcess]:
    with launch() as process:
        yield process


class Oint:
    """``oint bitrix24`` with one auth form; each reply checked against the recordings."""

    def __init__(self, cli: Any, process: EmulatorProcess, form: str) -> None:
        self.cli = cli
        self.form = form
        self.auth = (["--url", process.webhook_url] if form == "webhook" else
                     ["--url", process.base_url, "--token", process.token])

    def run(self, method: str, *options: str, code: int = 0) -> Any:
        done = self.cli("bitrix24", method, *self.auth, *options)
        assert done.code == code, f"{method}: {done.stderr}"
        return done.json()

    def __call__(self, method: str, *options: str) -> Any:
        reply = self.run(method, *options)
        if method != "DownloadFile":
            assert_shape(reply, method)
        return reply["result"]


@pytest.mark.parametrize("form", ["token", "webhook"])
def test_opis_disk_scenario(running: EmulatorProcess, cli: Any, form: str,
                            tmp_path: Path) -> None:
    oint = Oint(cli, running, form)
    # Storages management
    storages = oint("GetStoragesList")
    common = next(s for s in storages if s["ENTITY_TYPE"] == "common")["ID"]
    if form == "token":
        app = oint("GetAppStorage")["ID"]
        assert oint("RenameStorage", "--storageid", app, "--title", "New storage name")[
            "NAME"] == "New storage name"
    else:  # a webhook has no application
        refused = oint.run("GetAppStorage", code=3)
        assert refused["error"] == "ACCESS_DENIED"
    assert oint("GetStorage", "--storageid", common)["ENTITY_TYPE"] == "common"
    catalog = oint("CreateStorageFolder", "--storageid", common, "--title",
                   f"New catalog {form}")["ID"]
    picture = tmp_path / "picture1.gif"
    picture.write_bytes(PICTURE)
    stored = oint("UploadFileToStorage", "--title", f"Picture2 {form}.gif", "--file",
                  str(picture), "--storageid", common)
    objects = oint.run("GetStorageObjects", "--storageid", common)["result"]
    assert {f"New catalog {form}", stored["NAME"]} <= {item["NAME"] for item in objects}

    # Catalogs management
    first = oint("CreateSubfolder", "--folderid", str(catalog), "--title", "New subfolder")["ID"]
    second = oint("CreateSubfolder", "--folderid", str(catalog), "--title",
                  "New subfolder 2")["ID"]
    copy = oint("MakeFolderCopy", "--folderid", str(first), "--tagetid", str(second))
    assert copy["PARENT_ID"] == str(second)
    moved = oint("MoveFolder", "--folderid", str(second), "--tagetid", str(first))
    assert moved["PARENT_ID"] == first
    oint("RenameFolder", "--folderid", str(catalog), "--title", f"New catalog {form} 2")
    assert oint("GetFolderInformation", "--folderid", str(catalog))["NAME"] == \
        f"New catalog {form} 2"
    # The copy of the first went into the second, and the second into the first.
    items = oint("GetFolderItems", "--folderid", str(first))
    assert [item["NAME"] for item in items] == ["New subfolder 2"]
    inner = oint("GetFolderItems", "--folderid", str(second), "--filter", "{'TYPE': 'folder'}")
    assert [item["NAME"] for item in inner] == ["New subfolder"]
    structure = oint.run("GetFolderFilterStructure")["result"]
    assert structure["TYPE"] == "enum"
    assert set(oint.run("GetFolderFilterStructure", "--empty", "true")["result"].values()) \
        == {""}
    link = oint("GetFolderExternalLink", "--folderid", str(catalog))
    assert link.startswith(running.base_url)
    trashed = oint("MarkFolderAsDeleted", "--folderid", str(first))
    assert trashed["DELETED_TYPE"] == "3"
    assert oint("RestoreFolder", "--folderid", str(first))["DELETED_TYPE"] == "0"

    # File management
    uploaded = oint("UploadFileToFolder", "--title", "Picture1.gif", "--file", str(picture),
                    "--folderid", str(catalog))
    file = str(uploaded["ID"])
    assert oint("GetFileInformation", "--fileid", file)["SIZE"] == str(len(PICTURE))
    assert oint("GetFileExternalLink", "--fileid", file).startswith(running.base_url)
    oint("RenameFile", "--fileid", file, "--title", "New file name.gif")
    copied = oint("MakeFileCopy", "--fileid", file, "--folderid", str(first))
    assert copied["NAME"] == "New file name.gif"
    moved_file = oint("MoveFileToFolder", "--fileid", file, "--folderid", str(second))
    assert moved_file["PARENT_ID"] == second
    oint("MarkFileAsDeleted", "--fileid", file)
    assert oint("RestoreFile", "--fileid", file)["DELETED_TYPE"] == "0"
    target = tmp_path / "downloaded.gif"
    saved = oint("DownloadFile", "--fileid", file, "--out", str(target))
    assert saved == {"path": str(target), "size": len(PICTURE)}
    assert target.read_bytes() == PICTURE
    assert oint("DeleteFile", "--fileid", file) is True
    assert oint("DeleteFolder", "--folderid", str(catalog)) is True
    gone = oint.run("GetFolderInformation", "--folderid", str(catalog), code=3)
    assert gone["error"] == "ERROR_NOT_FOUND"
