"""Catalogs management: ``disk.folder.*``.

Names are unique within a folder (the trash included): a clash is the portal's
``DISK_OBJ_22000``. MarkFolderAsDeleted moves a folder to the trash with what it holds,
RestoreFolder brings it back where it was, DeleteFolder deletes it for good.
GetFolderFilterStructure reshapes ``disk.folder.getfields`` into OPI's map of the fields
a filter takes (GetFolderItems), each with its type, or ``""`` with ``--empty``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM
from ._disk import a_folder, a_trashed

REGION = "Catalogs management"


class DiskObject(TypedDict, total=False):
    """A folder or a file as ``disk.folder.*``, ``disk.file.*`` and ``disk.storage.*``
    return it. Numbers come as text, except in the reply that made or moved the object,
    where the portal writes what it just set as numbers. Folders have ``REAL_OBJECT_ID``;
    files have ``GLOBAL_CONTENT_VERSION``, ``FILE_ID``, ``SIZE`` and ``DOWNLOAD_URL`` (which
    carries the caller's credentials, as the portal's does)."""

    ID: str | int
    NAME: str
    CODE: str | None
    STORAGE_ID: str
    TYPE: str
    REAL_OBJECT_ID: str | int
    PARENT_ID: str | int | None
    DELETED_TYPE: str | int
    GLOBAL_CONTENT_VERSION: str | int
    FILE_ID: str | int
    SIZE: str
    CREATE_TIME: str
    UPDATE_TIME: str
    DELETE_TIME: str | None
    CREATED_BY: str
    UPDATED_BY: str
    DELETED_BY: str | None
    DOWNLOAD_URL: str
    DETAIL_URL: str


FOLDER_ID = Param("folder_id", "folderid", Kind.INTEGER, "Folder ID", key="id")
# OPI's option is spelt --tagetid.
DESTINATION_ID = Param("destination_id", "tagetid", Kind.INTEGER, "ID of the folder to go into",
                       key="targetFolderId")
NAME = Param("name", "title", Kind.TEXT, "Folder name")


def _folder(portal: ExamplePortal) -> dict[str, Any]:
    return {"folder_id": a_folder(portal)}


def _folder_in_a_folder(portal: ExamplePortal) -> dict[str, Any]:
    # A folder of its own around it: the new name is free however often this runs.
    made = portal.call("disk.folder.addsubfolder", {"id": a_folder(portal),
                                                    "data": {"NAME": "New catalog"}})
    return {"folder_id": int(made["ID"])}


def _two_folders(portal: ExamplePortal) -> dict[str, Any]:
    return {"folder_id": a_folder(portal), "destination_id": a_folder(portal)}


def _trashed(portal: ExamplePortal) -> dict[str, Any]:
    return {"folder_id": a_trashed(portal, "folder")}


def _filter_structure(result: Any, args: dict[str, Any]) -> dict[str, str]:
    """OPI's GetFolderFilterStructure: the fields a filter takes, with their types."""
    empty = bool(args.get("empty"))
    return {name: "" if empty else str(field.get("TYPE", ""))
            for name, field in (result or {}).items()
            if isinstance(field, dict) and field.get("USE_IN_FILTER")}


GET_FOLDER_INFORMATION = Operation(
    "GetFolderInformation", REGION, "Get a folder", method="disk.folder.get",
    params=(FOLDER_ID,), reads=True, result="DiskObject",
    example=Example(setup=_folder),
)

CREATE_SUBFOLDER = Operation(
    "CreateSubfolder", REGION, "Create a folder in a folder", method="disk.folder.addsubfolder",
    params=(FOLDER_ID, NAME),
    build=lambda args: {"id": args["folder_id"], "data": {"NAME": args["name"]}},
    result="DiskObject",
    example=Example({"name": "New subfolder"}, setup=_folder),
)

MAKE_FOLDER_COPY = Operation(
    "MakeFolderCopy", REGION, "Copy a folder, with what it holds, into another folder",
    method="disk.folder.copyto", params=(FOLDER_ID, DESTINATION_ID), result="DiskObject",
    example=Example(setup=_two_folders),
)

MOVE_FOLDER = Operation(
    "MoveFolder", REGION, "Move a folder into another folder of its storage",
    method="disk.folder.moveto", params=(FOLDER_ID, DESTINATION_ID),
    # The portal answers false for a move into another storage, and moves nothing.
    result="DiskObject | bool",
    example=Example(setup=_two_folders),
)

DELETE_FOLDER = Operation(
    "DeleteFolder", REGION, "Delete a folder and what it holds for good (not to the trash)",
    method="disk.folder.deletetree", params=(FOLDER_ID,), result="bool",
    example=Example(setup=_folder),
)

GET_FOLDER_EXTERNAL_LINK = Operation(
    "GetFolderExternalLink", REGION, "Get a public link to a folder (made once, then the same)",
    method="disk.folder.getExternalLink", params=(FOLDER_ID,), reads=True, result="str",
    example=Example(setup=_folder),
)

GET_FOLDER_ITEMS = Operation(
    "GetFolderItems", REGION, "Get the folders and files in a folder (a page of 50)",
    method="disk.folder.getchildren",
    params=(FOLDER_ID, Param("filter", "filter", Kind.COLLECTION,
                             "Filter (JSON); see GetFolderFilterStructure", key="filter",
                             required=False)),
    reads=True, result="list[DiskObject]",
    example=Example({"filter": {"TYPE": "folder"}}, setup=_folder),
)

MARK_FOLDER_AS_DELETED = Operation(
    "MarkFolderAsDeleted", REGION, "Move a folder, with what it holds, to the trash",
    method="disk.folder.markdeleted", params=(FOLDER_ID,), result="DiskObject",
    example=Example(setup=_folder),
)

RESTORE_FOLDER = Operation(
    "RestoreFolder", REGION, "Bring a folder back from the trash to where it was",
    method="disk.folder.restore", params=(FOLDER_ID,), result="DiskObject",
    example=Example(setup=_trashed),
)

RENAME_FOLDER = Operation(
    "RenameFolder", REGION, "Rename a folder", method="disk.folder.rename",
    params=(FOLDER_ID, NAME.but(key="newName", help="New name")), result="DiskObject",
    example=Example({"name": "New folder name"}, setup=_folder_in_a_folder),
)

GET_FOLDER_FILTER_STRUCTURE = Operation(
    "GetFolderFilterStructure", REGION,
    "Get the fields a folder filter takes (GetFolderItems), with their types",
    method="disk.folder.getfields", params=(EMPTY_PARAM,), reads=True,
    result="dict[str, str]", transform=_filter_structure,
    example=Example(),
)

# In OPI's order.
OPERATIONS = (
    GET_FOLDER_INFORMATION,
    CREATE_SUBFOLDER,
    MAKE_FOLDER_COPY,
    MOVE_FOLDER,
    DELETE_FOLDER,
    GET_FOLDER_EXTERNAL_LINK,
    GET_FOLDER_ITEMS,
    MARK_FOLDER_AS_DELETED,
    RESTORE_FOLDER,
    RENAME_FOLDER,
    GET_FOLDER_FILTER_STRUCTURE,
)
