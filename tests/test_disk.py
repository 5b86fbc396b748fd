"""The disk through the Python API: storages, the tree of folders and files, the trash,
names, filters, rights and the errors of each, over HTTP against the emulator.

User 1 (the administrator) calls through a webhook and through a token of an application;
user 2, an employee, through a webhook of their own. Expected values come from the REST
docs (disk.* pages), the server's public source (disk/lib/rest/service/*.php and
disk/lib/baseobject.php) and the recordings.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from clients import BucketlessClient
from oint.bitrix24 import AccessError, Bitrix24Error, Client, InvalidArgumentError, NotFoundError
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded, same_unmasked

PICTURE = "R0lGODlhAQABAAAAACw="  # a 1x1 GIF
NON_UNIQUE_FOLDER = "Папка с таким именем уже есть (DISK_OBJ_22000)."  # noqa: RUF001
NON_UNIQUE_FILE = "Файл с таким именем уже есть (DISK_OBJ_22000)."  # noqa: RUF001


@dataclass
class Disk:
    process: EmulatorProcess
    one: Client  # user 1, the administrator, by webhook
    app: Client  # user 1 through an application's token
    two: Client  # user 2 by webhook
    common: int  # the common storage

    def folder(self, name: str | None = None, parent: int | None = None,
               b24: Client | None = None) -> int:
        b24 = b24 or self.one
        name = name or f"Folder {secrets.token_hex(3)}"
        if parent is None:
            return int(b24.create_storage_folder(self.common, name).result["ID"])
        return int(b24.create_subfolder(parent, name).result["ID"])

    def file(self, folder: int, name: str = "a.txt", data: bytes = b"hello") -> int:
        return int(self.one.upload_file_to_folder(name, data, folder).result["ID"])


@pytest.fixture(scope="module")
def disk() -> Iterator[Disk]:
    code = secrets.token_hex(12)
    with launch(["--webhook", f"2/{code}"]) as running, \
            BucketlessClient(running.webhook_url) as one, \
            BucketlessClient(running.base_url, running.token) as app, \
            BucketlessClient(f"{running.base_url}/rest/2/{code}") as two:
        common = one.get_storages_list().result
        storage = next(s for s in common if s["ENTITY_TYPE"] == "common")
        yield Disk(running, one, app, two, int(storage["ID"]))


def _fails(call: Any, cls: type[Bitrix24Error], code: str, status: int, text: str) -> None:
    with pytest.raises(cls) as caught:
        call()
    error = caught.value
    assert (error.payload["error"], error.status, error.description) == (code, status, text)


def _names(b24: Client, folder: int, **kwargs: Any) -> list[str]:
    return [item["NAME"] for item in b24.get_folder_items(folder, **kwargs).result]


# -- storages --------------------------------------------------------------------------------

def test_the_administrator_lists_every_storage_a_page_at_a_time(disk: Disk) -> None:
    first = disk.one.get_storages_list()
    assert_shape(first.json(), "GetStoragesList")
    assert (len(first.result), first.total, first.next) == (50, 51, 50)  # 20 users, 30 groups
    second = disk.one.call("disk.storage.getlist", {"start": 50})
    assert len(second.result) == 1 and second.next is None
    kinds = {s["ENTITY_TYPE"] for s in [*first.result, *second.result]}
    assert kinds == {"user", "common", "group"}  # not applications' nor the messenger's
    mine = disk.one.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user",
                                                             "ENTITY_ID": 1}}).result
    assert [s["NAME"] for s in mine] == ["Alex Morgan"]


def test_an_employee_sees_their_own_storage_and_the_shared_ones(disk: Disk) -> None:
    seen = disk.two.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "user"}})
    assert [s["ENTITY_ID"] for s in seen.result] == ["2"]
    own = int(seen.result[0]["ID"])
    root = int(seen.result[0]["ROOT_OBJECT_ID"])
    _fails(lambda: disk.two.get_storage(own - 1), AccessError, "ACCESS_DENIED", 403,
           "Access denied!")
    assert disk.two.get_storage(own).result["ROOT_OBJECT_ID"] == str(root)
    assert disk.two.get_storage_objects(disk.common).result is not None


def test_get_a_storage(disk: Disk) -> None:
    reply = disk.one.get_storage(disk.common)
    assert_shape(reply.json(), "GetStorage")
    assert reply.result["ENTITY_ID"] == "shared_files_s1"
    # The server's get() answers null, and no error, for an id that is not a number.
    assert disk.one.call("disk.storage.get", {"id": "abc"}).result is None
    _fails(lambda: disk.one.get_storage(10**6), NotFoundError, "ERROR_NOT_FOUND", 400,
           "Could not find entity with id '1000000'.")


def test_an_application_has_a_storage_of_its_own(disk: Disk) -> None:
    made = disk.app.get_app_storage()
    assert_shape(made.json(), "GetAppStorage")
    assert made.result["ENTITY_TYPE"] == "restapp"
    assert disk.app.get_app_storage().result["ID"] == made.result["ID"]  # made once
    renamed = disk.app.rename_storage(int(made.result["ID"]), "New storage name")
    assert_shape(renamed.json(), "RenameStorage")
    assert renamed.result["NAME"] == "New storage name"
    # A webhook has no application; only an application's storage takes a new name.
    _fails(disk.one.get_app_storage, AccessError, "ACCESS_DENIED", 403,
           "Access denied! Application context required")
    _fails(lambda: disk.one.rename_storage(disk.common, "Mine"), Bitrix24Error,
           "", 400, "Access denied (invalid type of storage)")


def test_folders_at_a_storage_root_have_unique_names(disk: Disk) -> None:
    name = f"New catalog {secrets.token_hex(3)}"
    made = disk.one.create_storage_folder(disk.common, name)
    assert_shape(made.json(), "CreateStorageFolder")
    assert isinstance(made.result["ID"], int) and made.result["DELETED_BY"] is None
    assert made.result["DETAIL_URL"] == f"{disk.process.base_url}/docs/path/{name}"
    _fails(lambda: disk.one.create_storage_folder(disk.common, name), InvalidArgumentError,
           "DISK_OBJ_22000", 400, NON_UNIQUE_FOLDER)
    disk.one.upload_file_to_storage(f"{name}.gif", PICTURE, disk.common)
    children = disk.one.get_storage_objects(disk.common)
    assert {name, f"{name}.gif"} <= {item["NAME"] for item in children.result}
    # The recordings hold files only (OPI's storage root had no folder).
    files = [item for item in children.result if item["TYPE"] == "file"]
    assert_shape({**children.json(), "result": files}, "GetStorageObjects")


# -- folders ---------------------------------------------------------------------------------

def test_a_folder_and_what_it_holds(disk: Disk) -> None:
    parent = disk.folder()
    sub = disk.one.create_subfolder(parent, "New subfolder")
    assert_shape(sub.json(), "CreateSubfolder")
    other = disk.folder("New subfolder 2", parent)
    file = disk.file(parent, "Picture.gif")
    got = disk.one.get_folder_information(int(sub.result["ID"]))
    assert_shape(got.json(), "GetFolderInformation")
    assert got.result["PARENT_ID"] == str(parent)
    items = disk.one.get_folder_items(parent)
    assert_shape(items.json(), "GetFolderItems")  # as OPI's: two folders, then a file
    assert [i["ID"] for i in items.result] == [str(sub.result["ID"]), str(other), str(file)]
    assert items.total == 3


def test_the_filter_of_a_folder_takes_its_fields(disk: Disk) -> None:
    parent = disk.folder()
    disk.folder("Alpha", parent)
    first = disk.file(parent, "alpha.txt")
    disk.file(parent, "beta.txt")
    assert _names(disk.one, parent, filter={"TYPE": "file"}) == ["alpha.txt", "beta.txt"]
    assert _names(disk.one, parent, filter={"%NAME": "alpha"}) == ["Alpha", "alpha.txt"]
    assert _names(disk.one, parent, filter={">ID": first}) == ["beta.txt"]
    # Fields a filter does not take are dropped from it, as the server drops them.
    assert len(_names(disk.one, parent, filter={"CREATED_BY": 99})) == 3
    assert _names(disk.one, parent, filter="{'TYPE': 'folder'}") == ["Alpha"]


def test_the_filter_structure_is_opis_map_of_getfields(disk: Disk) -> None:
    types = disk.one.get_folder_filter_structure()
    assert types.result == recorded("GetFolderFilterStructure_wh")
    blank = disk.one.get_folder_filter_structure(empty=True)
    assert same_unmasked(blank.result, recorded("GetFolderFilterStructure"))


def test_copy_a_folder_with_its_files(disk: Disk) -> None:
    source, target = disk.folder(), disk.folder()
    inner = disk.folder("Inner", source)
    file = disk.file(inner, "doc.txt", b"copied bytes")
    copy = disk.one.make_folder_copy(source, target)
    assert_shape(copy.json(), "MakeFolderCopy")
    assert copy.result["PARENT_ID"] == str(target)
    [copied_inner] = disk.one.get_folder_items(int(copy.result["ID"])).result
    [copied_file] = disk.one.get_folder_items(int(copied_inner["ID"])).result
    original = disk.one.get_file_information(file).result
    assert (copied_file["NAME"], copied_file["SIZE"]) == ("doc.txt", original["SIZE"])
    assert copied_file["FILE_ID"] != original["FILE_ID"]  # a copy of its own
    assert httpx.get(copied_file["DOWNLOAD_URL"]).content == b"copied bytes"
    _fails(lambda: disk.one.make_folder_copy(source, target), InvalidArgumentError,
           "DISK_OBJ_22000", 400, NON_UNIQUE_FOLDER)


def test_move_a_folder(disk: Disk) -> None:
    folder, target = disk.folder(), disk.folder()
    moved = disk.one.move_folder(folder, target)
    assert_shape(moved.json(), "MoveFolder")
    assert moved.result["PARENT_ID"] == target  # the portal writes the new parent as a number
    inner = disk.folder("Inner", folder)
    _fails(lambda: disk.one.move_folder(folder, inner), Bitrix24Error, "", 400,
           "Could not move the folder into itself.")
    root = int(disk.one.get_storage(disk.common).result["ROOT_OBJECT_ID"])
    _fails(lambda: disk.one.move_folder(root, target), Bitrix24Error, "", 400,
           "Could not move root folder.")
    # Into another storage the server moves nothing, and answers false.
    own_root = int(disk.one.get_storages_list().result[0]["ROOT_OBJECT_ID"])
    assert disk.one.move_folder(folder, own_root).result is False


def test_rename_a_folder(disk: Disk) -> None:
    parent = disk.folder()
    folder = disk.folder("Old", parent)
    disk.folder("Taken", parent)
    renamed = disk.one.rename_folder(folder, "New folder name")
    assert_shape(renamed.json(), "RenameFolder")
    assert _names(disk.one, parent) == ["New folder name", "Taken"]
    _fails(lambda: disk.one.rename_folder(folder, "Taken"), InvalidArgumentError,
           "DISK_OBJ_22000", 400, NON_UNIQUE_FOLDER)
    _fails(lambda: disk.one.rename_folder(folder, ""), Bitrix24Error, "0", 400,
           "Empty name. (0).")
    _fails(lambda: disk.one.rename_folder(folder, "a/b"), InvalidArgumentError,
           "BX_INVALID_VALUE", 400,
           'The "Name" field contains invalid characters (BX_INVALID_VALUE).')
    _fails(lambda: disk.one.rename_folder(folder, "x" * 256), InvalidArgumentError,
           "BX_INVALID_VALUE", 400,
           'The "Name" field must be no longer than 255 characters (BX_INVALID_VALUE).')


def test_trash_and_restore_a_folder(disk: Disk) -> None:
    parent = disk.folder()
    folder = disk.folder("Reports", parent)
    file = disk.file(folder, "q1.txt")
    trashed = disk.one.mark_folder_as_deleted(folder)
    assert_shape(trashed.json(), "MarkFolderAsDeleted")
    assert (trashed.result["NAME"], trashed.result["DELETED_TYPE"]) == ("Reports", "3")
    assert trashed.result["DETAIL_URL"] != f"{disk.process.base_url}/docs/path/" \
        f"{disk.one.get_folder_information(parent).result['NAME']}/Reports"  # stored suffix
    assert _names(disk.one, parent) == []
    assert disk.one.get_file_information(file).result["DELETED_TYPE"] == "4"  # went with it
    # The trash keeps the name free: a new folder takes it, and the restored one another.
    disk.folder("Reports", parent)
    restored = disk.one.restore_folder(folder)
    assert_shape(restored.json(), "RestoreFolder")
    assert restored.result["DELETED_TYPE"] == "0"
    assert restored.result["DELETE_TIME"] is not None  # the server keeps when it was trashed
    assert _names(disk.one, parent) == ["Reports (1)", "Reports"]
    assert _names(disk.one, folder) == ["q1.txt"]


def test_restoring_a_file_brings_back_the_trashed_folders_above_it(disk: Disk) -> None:
    parent = disk.folder()
    folder = disk.folder("Archive", parent)
    kept, other = disk.file(folder, "kept.txt"), disk.file(folder, "other.txt")
    disk.one.mark_folder_as_deleted(folder)
    disk.one.restore_file(kept)
    assert _names(disk.one, parent) == ["Archive"]
    assert _names(disk.one, folder) == ["kept.txt"]
    # What else went with the folder stays in the trash, now on its own.
    assert disk.one.get_file_information(other).result["DELETED_TYPE"] == "3"


def test_delete_a_folder_for_good(disk: Disk) -> None:
    folder = disk.folder()
    file = disk.file(disk.folder("Inner", folder))
    assert disk.one.delete_folder(folder).result is True
    for gone in (lambda: disk.one.get_folder_information(folder),
                 lambda: disk.one.get_file_information(file)):
        with pytest.raises(NotFoundError):
            gone()
    root = int(disk.one.get_storage(disk.common).result["ROOT_OBJECT_ID"])
    _fails(lambda: disk.one.delete_folder(root), Bitrix24Error, "", 400,
           "Could not delete root folder.")
    _fails(lambda: disk.one.mark_folder_as_deleted(root), Bitrix24Error, "", 400,
           "Could not delete root folder.")


def test_external_links_are_made_once(disk: Disk) -> None:
    folder = disk.folder()
    file = disk.file(folder)
    link = disk.one.get_folder_external_link(folder)
    assert_shape(link.json(), "GetFolderExternalLink")
    assert link.result.startswith(f"{disk.process.base_url}/~")
    assert disk.one.get_folder_external_link(folder).result == link.result
    file_link = disk.one.get_file_external_link(file)
    assert_shape(file_link.json(), "GetFileExternalLink")
    assert file_link.result not in (link.result, "")


# -- files -----------------------------------------------------------------------------------

def test_a_file_moved_copied_renamed_trashed_and_deleted(disk: Disk) -> None:
    folder, other = disk.folder(), disk.folder()
    file = disk.file(folder, "Picture1.gif")
    assert_shape(disk.one.get_file_information(file).json(), "GetFileInformation")
    copy = disk.one.make_file_copy(file, other)
    assert_shape(copy.json(), "MakeFileCopy")
    _fails(lambda: disk.one.make_file_copy(file, other), InvalidArgumentError,
           "DISK_OBJ_22000", 400, NON_UNIQUE_FILE)
    renamed = disk.one.rename_file(file, "New file name.gif")
    assert_shape(renamed.json(), "RenameFile")
    moved = disk.one.move_file_to_folder(file, other)
    assert_shape(moved.json(), "MoveFileToFolder")
    assert _names(disk.one, other) == ["New file name.gif", "Picture1.gif"]  # by ID
    trashed = disk.one.mark_file_as_deleted(file)
    assert_shape(trashed.json(), "MarkFileAsDeleted")
    assert _names(disk.one, other) == ["Picture1.gif"]
    restored = disk.one.restore_file(file)
    assert_shape(restored.json(), "RestoreFile")
    assert disk.one.delete_file(file).result is True
    assert _names(disk.one, other) == ["Picture1.gif"]
    _fails(lambda: disk.one.get_file_information(file), NotFoundError, "ERROR_NOT_FOUND",
           400, f"Could not find entity with id '{file}'.")


def test_a_file_is_not_a_folder_nor_the_other_way_round(disk: Disk) -> None:
    folder = disk.folder()
    file = disk.file(folder)
    _fails(lambda: disk.one.get_folder_information(file), NotFoundError, "ERROR_NOT_FOUND",
           400, f"Could not find entity with id '{file}'.")
    _fails(lambda: disk.one.make_file_copy(file, file), NotFoundError, "ERROR_NOT_FOUND",
           400, f"Could not find entity with id '{file}'.")


# -- rights and arguments --------------------------------------------------------------------

def test_an_employee_cannot_reach_another_users_storage(disk: Disk) -> None:
    own = disk.one.call("disk.storage.getlist", {"filter": {"ENTITY_ID": 1,
                                                            "ENTITY_TYPE": "user"}}).result
    private = disk.folder("Private", int(own[0]["ROOT_OBJECT_ID"]))
    file = disk.file(private)
    _fails(lambda: disk.two.get_folder_information(private), AccessError, "ACCESS_DENIED",
           403, "Access denied!")
    _fails(lambda: disk.two.get_file_information(file), AccessError, "ACCESS_DENIED", 403,
           "Access denied!")
    _fails(lambda: disk.two.create_subfolder(private, "Mine"), AccessError, "ACCESS_DENIED",
           403, "Access denied!")
    assert disk.two.get_folder_items(private).result == []  # the rights leave nothing to see
    shared = disk.folder()  # the common storage is everyone's
    assert disk.two.create_subfolder(shared, "Mine").result["CREATED_BY"] == "2"


@pytest.mark.parametrize(("method", "params", "code", "text"), [
    ("disk.folder.get", {}, "ERROR_ARGUMENT",
     "Invalid value of parameter { Parameter #0 [ <required> $id ] }."),
    ("disk.folder.copyto", {"id": 1}, "ERROR_ARGUMENT",
     "Invalid value of parameter { Parameter #1 [ <required> $targetFolderId ] }."),
    ("disk.folder.rename", {"id": 1}, "ERROR_ARGUMENT",
     "Invalid value of parameter { Parameter #1 [ <required> $newName ] }."),
    ("disk.folder.addsubfolder", {"id": 1}, "ERROR_ARGUMENT",
     "Invalid value of parameter { Parameter #1 [ <required> array $data ] }."),
    ("disk.folder.addsubfolder", {"id": 1, "data": {"TITLE": "x"}}, "DISK_BASE_SERVICE_22001",
     "Error: required parameter NAME (DISK_BASE_SERVICE_22001)."),
    ("disk.storage.addfolder", {"id": 1, "data": {"NAME": ""}}, "DISK_BASE_SERVICE_22001",
     "Error: required parameter NAME (DISK_BASE_SERVICE_22001)."),
    ("disk.storage.uploadfile", {"id": 1, "data": {"NAME": "a"}}, "ERROR_ARGUMENT",
     "Invalid value of parameter { Parameter #1 [ <required> $fileContent ] }."),
    ("disk.file.get", {"id": "x"}, "ERROR_NOT_FOUND", "Could not find entity with id 'x'."),
], ids=lambda value: value if isinstance(value, str) and "." in value[:5] else None)
def test_arguments_are_checked_the_servers_way(disk: Disk, method: str, params: dict[str, Any],
                                               code: str, text: str) -> None:
    reply = httpx.post(f"{disk.process.webhook_url}/{method}", json=params)
    assert (reply.status_code, reply.json()) == (400, {"error": code, "error_description": text})
    assert "time" not in reply.json()


def test_a_one_step_upload_needs_content(disk: Disk) -> None:
    folder = disk.folder()
    for content in (["empty.txt", ""], "", ["x.txt", "===="]):
        reply = httpx.post(f"{disk.process.webhook_url}/disk.folder.uploadfile", json={
            "id": folder, "data": {"NAME": "x.txt"}, "fileContent": content})
        assert (reply.status_code, reply.json()) == (
            400, {"error": "", "error_description": "Could not save file."})
    reply = httpx.post(f"{disk.process.webhook_url}/disk.folder.uploadfile", json={
        "id": folder, "data": {"NAME": "x.txt"}, "fileContent": ["x.txt", "aGk!"]})
    assert reply.json()["result"]["SIZE"] == "2"  # PHP's base64 skips what is not base64
    assert _names(disk.one, folder) == ["x.txt"]


# -- the messenger's files, on the same disk -------------------------------------------------

def test_a_chats_files_folder_is_a_folder_of_the_disk(disk: Disk) -> None:
    chat = disk.one.create_chat({"TITLE": "Files", "USERS": [3]}).result
    folder = int(disk.one.get_chat_files_folder(chat).result["ID"])
    info = disk.one.get_folder_information(folder).result
    assert info["NAME"] == f"chat{chat}"
    # Only the chat's members reach it (user 2 is not one).
    _fails(lambda: disk.two.get_folder_information(folder), AccessError, "ACCESS_DENIED", 403,
           "Access denied!")
    uploaded = disk.one.upload_file_to_folder("notes.txt", b"chat notes", folder).result
    sent = disk.one.send_file(chat, int(uploaded["ID"]), "Read this").result
    [shown] = sent["FILES"].values()
    origin = disk.process.base_url
    for url in (shown["urlShow"], shown["urlDownload"], shown["viewerAttrs"]["src"]):
        assert url.startswith(f"{origin}/bitrix/services/main/ajax.php?action=disk.api.")
        assert httpx.get(url).content == b"chat notes"  # the messenger's address serves it
    assert shown["viewerAttrs"]["unifiedLink"].startswith(f"{origin}/disk/file/")
    [model] = sent["FILE_MODELS"].values()
    assert model["storageId"] == int(info["STORAGE_ID"])
    assert model["etag"] == hashlib.md5(b"chat notes").hexdigest()  # the bytes' checksum
    assert model["size"] == len(b"chat notes")
    assert [i["NAME"] for i in disk.one.get_folder_items(folder).result] == ["notes.txt"]


def test_a_disk_file_sent_to_a_chat_is_copied_into_its_folder(disk: Disk) -> None:
    chat = disk.one.create_chat({"TITLE": "Share", "USERS": [3]}).result
    mine = disk.file(disk.folder(), "mine.txt", b"shared bytes")
    sent = disk.one.call("im.disk.file.commit", {"CHAT_ID": chat, "DISK_ID": mine}).result
    [copy_id] = sent["DISK_ID"]
    assert copy_id != str(mine)
    folder = int(disk.one.get_chat_files_folder(chat).result["ID"])
    copy = disk.one.get_file_information(int(copy_id)).result
    assert (copy["PARENT_ID"], copy["NAME"]) == (str(folder), "mine.txt")
    assert httpx.get(copy["DOWNLOAD_URL"]).content == b"shared bytes"


def test_rights_given_to_a_storage_method_are_checked(disk: Disk) -> None:
    reply = httpx.post(f"{disk.process.webhook_url}/disk.storage.addfolder", json={
        "id": disk.common, "data": {"NAME": "With rights"}, "rights": [{"TASK_ID": 42}]})
    assert (reply.status_code, reply.json()) == (
        400, {"error": "", "error_description": "Invalid rights format"})
    made = disk.one.upload_file_to_storage(
        f"r{secrets.token_hex(3)}.gif", PICTURE, disk.common,
        rights=[{"TASK_ID": 42, "ACCESS_CODE": "U2"}])
    assert made.result["SIZE"] == "14"
