"""What the disk regions' examples make first (see ``Example``), and their limits."""

from __future__ import annotations

import os
from typing import Any

from .._spec import ExamplePortal
from ._common import PICTURE

__all__ = [
    "MAX_REQUEST",
    "a_file",
    "a_folder",
    "a_trashed",
    "an_app_storage",
    "common_storage",
    "fresh_name",
]

# The cloud's web servers take no request larger than this (REST docs, "how to upload
# files"): a larger file is refused before it is sent.
MAX_REQUEST = 2 * 1024 ** 3


def fresh_name(stem: str, extension: str = "") -> str:
    """A name no example used before (names are unique within a folder)."""
    return f"{stem} {os.urandom(4).hex()}{extension}"


def common_storage(portal: ExamplePortal) -> int:
    """The portal's common storage."""
    found = portal.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
    return int(found[0]["ID"])


def a_folder(portal: ExamplePortal) -> int:
    """A new folder in the common storage."""
    made = portal.call("disk.storage.addfolder", {"id": common_storage(portal),
                                                  "data": {"NAME": fresh_name("New catalog")}})
    return int(made["ID"])


def a_file(portal: ExamplePortal, folder: int | None = None) -> int:
    """A new picture in a (new) folder."""
    made = portal.call("disk.folder.uploadfile", {
        "id": folder if folder is not None else a_folder(portal),
        "data": {"NAME": "Picture1.gif"}, "fileContent": ["Picture1.gif", PICTURE]})
    return int(made["ID"])


def a_trashed(portal: ExamplePortal, kind: str) -> int:
    """A folder or a file in the trash."""
    made = a_folder(portal) if kind == "folder" else a_file(portal)
    portal.call(f"disk.{kind}.markdeleted", {"id": made})
    return made


def an_app_storage(portal: ExamplePortal) -> int:
    """The storage of an application the portal knows: only an application's own token
    reaches it (``disk.storage.getForApp``)."""
    import httpx  # only this example needs a token of an application's

    grant = portal.oauth_grant()
    tokens = httpx.post(f"{portal.base_url}/oauth/token/", data={
        "grant_type": "refresh_token", "client_id": grant["client_id"],
        "client_secret": grant["client_secret"], "refresh_token": grant["refresh_token"],
    }).json()
    reply: Any = httpx.post(f"{portal.base_url}/rest/disk.storage.getforapp",
                            json={"auth": tokens["access_token"]}).json()
    return int(reply["result"]["ID"])
