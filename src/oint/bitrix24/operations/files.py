"""File management: ``disk.file.*``, uploads, and (beyond OPI) downloads.

Files go up two ways, as the portal offers them. UploadFileToStorage sends the file as
base64 in the call (``fileContent``), so the whole file is in memory. UploadFileToFolder
asks the folder for an upload URL, then POSTs the file there as multipart, read from its
path in pieces: any size costs one piece of memory. Its upload is a write, so a lost reply
is never sent again by itself (outcome unknown). Neither sends a file the cloud would refuse
(over 2 GB per request).

DownloadFile (``Client.download``) streams a file into a path: by its ID (its
``DOWNLOAD_URL`` comes from ``disk.file.get``) or by such a URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import unquote

from .._errors import TransportError, UsageError
from .._spec import (
    ApiRequest,
    DownloadRequest,
    Example,
    ExamplePortal,
    FilePart,
    Kind,
    Operation,
    Param,
    ServiceRequest,
    Steps,
)
from ._common import PICTURE
from ._disk import MAX_REQUEST, a_file, a_folder, a_trashed, common_storage, fresh_name

REGION = "File management"


class DownloadedFile(TypedDict):
    """Where DownloadFile put a file, and how many bytes it wrote."""

    path: str
    size: int


FILE_ID = Param("file_id", "fileid", Kind.INTEGER, "File ID", key="id")
FOLDER_ID = Param("folder_id", "folderid", Kind.INTEGER, "Folder ID")
NAME = Param("name", "title", Kind.TEXT, "File name")
_TOKEN = re.compile(r"[?&]token=([^&#]+)")


def _link_secrets(url: str) -> tuple[str, ...]:
    """The signed token of an upload or download link, as written in it and decoded: it
    lets whoever holds it in, so it is hidden wherever the request is shown."""
    found = _TOKEN.search(url)
    return (found.group(1), unquote(found.group(1))) if found else ()


def _upload_to_storage(args: dict[str, Any]) -> dict[str, Any]:
    if len(args["file"]) > MAX_REQUEST:
        raise UsageError("--file: over 2 GB as base64, more than the portal takes in one "
                         "request; use UploadFileToFolder")
    body: dict[str, Any] = {"id": args["storage_id"], "data": {"NAME": args["name"]},
                            "fileContent": [args["name"], args["file"]]}
    if "rights" in args:
        body["rights"] = args["rights"]
    return body


def _upload_to_folder(args: dict[str, Any]) -> Steps:
    upload = args["file"]
    if upload.size > MAX_REQUEST:
        raise UsageError(f"--file: {upload.size} bytes, more than the portal takes in one "
                         "request (2 GB)")
    reply = yield ApiRequest("disk.folder.uploadfile", {"id": args["folder_id"]}, reads=True,
                             operation="UploadFileToFolder")
    target = reply.result
    if not isinstance(target, Mapping) or not target.get("uploadUrl"):
        raise TransportError("disk.folder.uploadfile gave no upload URL",
                             method="disk.folder.uploadfile")
    url = str(target["uploadUrl"])
    part = FilePart(str(target.get("field") or "file"), args["name"], upload)
    return (yield ServiceRequest(url, "disk.folder.uploadfile (upload)", files=(part,),
                                 secrets=_link_secrets(url)))


def _download(args: dict[str, Any]) -> Steps:
    target = args["file_id"].strip()
    if target.startswith(("http://", "https://")):
        url = target
    elif target.isdigit():
        reply = yield ApiRequest("disk.file.get", {"id": int(target)}, reads=True,
                                 operation="DownloadFile")
        url = str((reply.result or {}).get("DOWNLOAD_URL") or "")
        if not url:
            raise TransportError(f"disk.file.get gave no DOWNLOAD_URL for file {target}",
                                 method="disk.file.get")
    else:
        raise UsageError("--fileid must be a file ID or the file's DOWNLOAD_URL")
    return (yield DownloadRequest(url, "download", args["out"], secrets=_link_secrets(url)))


def _file(portal: ExamplePortal) -> dict[str, Any]:
    return {"file_id": a_file(portal)}


def _file_and_folder(portal: ExamplePortal) -> dict[str, Any]:
    return {"file_id": a_file(portal), "folder_id": a_folder(portal)}


def _trashed(portal: ExamplePortal) -> dict[str, Any]:
    return {"file_id": a_trashed(portal, "file")}


def _into_storage(portal: ExamplePortal) -> dict[str, Any]:
    return {"storage_id": common_storage(portal), "name": fresh_name("Picture", ".gif")}


def _into_folder(portal: ExamplePortal) -> dict[str, Any]:
    return {"folder_id": a_folder(portal)}


def _download_target(portal: ExamplePortal) -> dict[str, Any]:
    import tempfile

    return {"file_id": str(a_file(portal)),
            "out": f"{tempfile.gettempdir()}/{fresh_name('oint-example', '.gif')}"}


UPLOAD_FILE_TO_STORAGE = Operation(
    "UploadFileToStorage", REGION, "Upload a file to a storage's root (sent as base64)",
    method="disk.storage.uploadfile",
    params=(
        NAME,
        Param("file", "file", Kind.BINARY, "The file: a path, a URL, bytes or base64"),
        Param("storage_id", "storageid", Kind.INTEGER, "Storage ID"),
        Param("rights", "rights", Kind.ARRAY,
              'Access rights: [{"TASK_ID": 42, "ACCESS_CODE": "U35"}, ...]', required=False,
              annotation="Sequence[Mapping[str, Any]] | str"),
    ),
    build=_upload_to_storage,
    result="DiskObject",
    example=Example({"file": PICTURE}, setup=_into_storage),
)

UPLOAD_FILE_TO_FOLDER = Operation(
    "UploadFileToFolder", REGION,
    "Upload a file to a folder (multipart to the folder's upload URL, read in pieces)",
    method="disk.folder.uploadfile",
    params=(
        NAME,
        Param("file", "file", Kind.FILE, "The file: a path, a URL, bytes or base64"),
        FOLDER_ID,
    ),
    steps=_upload_to_folder,
    result="DiskObject",
    example=Example({"name": "Picture2.gif", "file": PICTURE}, setup=_into_folder),
)

GET_FILE_INFORMATION = Operation(
    "GetFileInformation", REGION, "Get a file", method="disk.file.get", params=(FILE_ID,),
    reads=True, result="DiskObject",
    example=Example(setup=_file),
)

DELETE_FILE = Operation(
    "DeleteFile", REGION, "Delete a file for good (not to the trash)", method="disk.file.delete",
    params=(FILE_ID,), result="bool",
    example=Example(setup=_file),
)

GET_FILE_EXTERNAL_LINK = Operation(
    "GetFileExternalLink", REGION, "Get a public link to a file (made once, then the same)",
    method="disk.file.getExternalLink", params=(FILE_ID,), reads=True, result="str",
    example=Example(setup=_file),
)

MARK_FILE_AS_DELETED = Operation(
    "MarkFileAsDeleted", REGION, "Move a file to the trash", method="disk.file.markdeleted",
    params=(FILE_ID,), result="DiskObject",
    example=Example(setup=_file),
)

RESTORE_FILE = Operation(
    "RestoreFile", REGION, "Bring a file back from the trash to where it was",
    method="disk.file.restore", params=(FILE_ID,), result="DiskObject",
    example=Example(setup=_trashed),
)

MAKE_FILE_COPY = Operation(
    "MakeFileCopy", REGION, "Copy a file into a folder", method="disk.file.copyto",
    params=(FILE_ID, FOLDER_ID.but(key="targetFolderId")), result="DiskObject",
    example=Example(setup=_file_and_folder),
)

MOVE_FILE_TO_FOLDER = Operation(
    "MoveFileToFolder", REGION, "Move a file into another folder of its storage",
    method="disk.file.moveto", params=(FILE_ID, FOLDER_ID.but(key="targetFolderId")),
    result="DiskObject | bool",
    example=Example(setup=_file_and_folder),
)

RENAME_FILE = Operation(
    "RenameFile", REGION, "Rename a file", method="disk.file.rename",
    params=(FILE_ID, NAME.but(key="newName", help="New name")), result="DiskObject",
    example=Example({"name": "New file name.gif"}, setup=_file),
)

DOWNLOAD_FILE = Operation(
    "DownloadFile", REGION,
    "Download a file into a path, streamed (beyond OPI; Client.download)",
    method="disk.file.get",
    params=(
        Param("file_id", "fileid", Kind.TEXT, "File ID, or the file's DOWNLOAD_URL",
              annotation="int | str"),
        Param("out", "out", Kind.TEXT, "Path of the file to write (replaced when whole)",
              annotation="str | os.PathLike[str]"),
    ),
    reads=True,
    steps=_download,
    result="DownloadedFile",
    example=Example(setup=_download_target),
)

# In OPI's order; DownloadFile, which OPI has not, last.
OPERATIONS = (
    UPLOAD_FILE_TO_STORAGE,
    UPLOAD_FILE_TO_FOLDER,
    GET_FILE_INFORMATION,
    DELETE_FILE,
    GET_FILE_EXTERNAL_LINK,
    MARK_FILE_AS_DELETED,
    RESTORE_FILE,
    MAKE_FILE_COPY,
    MOVE_FILE_TO_FOLDER,
    RENAME_FILE,
    DOWNLOAD_FILE,
)
