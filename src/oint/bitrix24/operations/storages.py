"""Storages management: ``disk.storage.*``.

A portal has a storage per user, the common one, one per workgroup and one per application;
GetStoragesList lists those of users, workgroups and the common one that the caller may see,
and an application reaches its own only through GetAppStorage, with its own token (a
webhook has no application: the portal answers ``ACCESS_DENIED``). Only an application's
storage can be renamed.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import PICTURE
from ._disk import an_app_storage, common_storage, fresh_name

REGION = "Storages management"


class DiskStorage(TypedDict, total=False):
    """A storage as ``disk.storage.*`` return it (every value is text)."""

    ID: str
    NAME: str
    CODE: str | None
    MODULE_ID: str
    ENTITY_TYPE: str
    ENTITY_ID: str
    ROOT_OBJECT_ID: str


STORAGE_ID = Param("storage_id", "storageid", Kind.INTEGER, "Storage ID", key="id")
NAME = Param("name", "title", Kind.TEXT, "Name")


def _storage(portal: ExamplePortal) -> dict[str, Any]:
    return {"storage_id": common_storage(portal)}


def _app_storage(portal: ExamplePortal) -> dict[str, Any]:
    return {"storage_id": an_app_storage(portal)}


def _files_at_a_root(portal: ExamplePortal) -> dict[str, Any]:
    # An application's storage holds no folder: its root lists files only, as OPI's did.
    storage = an_app_storage(portal)
    portal.call("disk.storage.uploadfile", {
        "id": storage, "data": {"NAME": fresh_name("Picture", ".gif")},
        "fileContent": ["Picture.gif", PICTURE]})
    return {"storage_id": storage}


def _new_folder(portal: ExamplePortal) -> dict[str, Any]:
    return {"storage_id": common_storage(portal), "name": fresh_name("New catalog")}


GET_STORAGES_LIST = Operation(
    "GetStoragesList", REGION, "Get the storages the caller may see (a page of 50)",
    method="disk.storage.getlist", reads=True, result="list[DiskStorage]",
    example=Example(),
)

GET_APP_STORAGE = Operation(
    "GetAppStorage", REGION, "Get the calling application's storage (made on first use)",
    method="disk.storage.getforapp", reads=True, result="DiskStorage",
    example=Example(),
)

GET_STORAGE = Operation(
    "GetStorage", REGION, "Get a storage", method="disk.storage.get", params=(STORAGE_ID,),
    reads=True, result="DiskStorage",
    example=Example(setup=_storage),
)

RENAME_STORAGE = Operation(
    "RenameStorage", REGION, "Rename an application's storage", method="disk.storage.rename",
    params=(STORAGE_ID, NAME.but(key="newName", help="New name")), result="DiskStorage",
    example=Example({"name": "New storage name"}, setup=_app_storage),
)

GET_STORAGE_OBJECTS = Operation(
    "GetStorageObjects", REGION, "Get the folders and files at a storage's root",
    method="disk.storage.getchildren", params=(STORAGE_ID,), reads=True,
    result="list[DiskObject]",
    example=Example(setup=_files_at_a_root),
)

CREATE_STORAGE_FOLDER = Operation(
    "CreateStorageFolder", REGION, "Create a folder at a storage's root",
    method="disk.storage.addfolder", params=(STORAGE_ID, NAME.but(help="Folder name")),
    build=lambda args: {"id": args["storage_id"], "data": {"NAME": args["name"]}},
    result="DiskObject",
    example=Example(setup=_new_folder),
)

# In OPI's order.
OPERATIONS = (
    GET_STORAGES_LIST,
    GET_APP_STORAGE,
    GET_STORAGE,
    RENAME_STORAGE,
    GET_STORAGE_OBJECTS,
    CREATE_STORAGE_FOLDER,
)
