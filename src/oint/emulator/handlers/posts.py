"""The feed: ``log.blogpost.add/update/delete/get/share``, ``log.blogpost.getusers.important``
and ``log.blogcomment.add`` (the model is ``model/posts``).

The socialnetwork module throws its errors without a code (``""``, status 400); deleting
wraps them, so those come with the code ``0``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model.posts import (
    PostError,
    add_comment,
    add_post,
    delete_post,
    destinations,
    important_readers,
    may_change,
    post_exists,
    post_view,
    share_post,
    update_post,
    visible_posts,
)
from ._args import intval, text
from ._image import decode_base64
from ._lists import page_of
from ._registry import Context, Reply, handler

# What log.blogpost.share takes: no plain D<id> there.
_SHARED = re.compile(r"^(UA|SG\d+|U\d+|UE.+|DR\d+)$")


def _error(message: str, code: str = "") -> ApiError:
    return ApiError(code, message)


def _items(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return list(value.values())
    return value if isinstance(value, list) else []


def _files(value: Any) -> list[tuple[str, bytes]]:
    """``FILES``: ``[name, base64]`` pairs; what ``CRestUtil::saveFile`` cannot read is
    left out."""
    files = []
    for item in _items(value):
        pair = _items(item)
        if len(pair) >= 2 and isinstance(pair[0], str) and pair[0] and isinstance(pair[1], str):
            data = decode_base64(pair[1])
            if data is not None:
                files.append((pair[0], data))
    return files


def _removed(value: Any) -> list[int]:
    # On update, {disk id: "del"} takes a file off the post.
    if not isinstance(value, Mapping):
        return []
    return [intval(key) for key, item in value.items() if item == "del" and intval(key) > 0]


def _post_id(params: Mapping[str, Any], code: str = "") -> int:
    post_id = intval(params.get("POST_ID"))
    if post_id <= 0:
        raise _error("Wrong post ID", code)
    return post_id


@handler("log.blogpost.add")
def blogpost_add(ctx: Context, params: dict[str, Any]) -> int:
    dest = params.get("DEST")
    # A DEST that is not an array is not read: the post goes to everyone.
    codes = destinations(ctx, _items(dest)) if isinstance(dest, (list, Mapping)) and dest \
        else ["UA"]
    try:
        return add_post(ctx, text(params.get("POST_MESSAGE")), text(params.get("POST_TITLE")),
                        codes, important=params.get("IMPORTANT") == "Y",
                        files=_files(params.get("FILES")))
    except PostError as exc:
        raise _error(str(exc)) from None


@handler("log.blogpost.update")
def blogpost_update(ctx: Context, params: dict[str, Any]) -> int:
    post_id = _post_id(params)
    if not may_change(ctx, post_id):
        raise _error("No write perms")
    if not post_exists(ctx, post_id):
        raise _error("No post found")
    dest = params.get("DEST")
    codes = destinations(ctx, _items(dest) or [dest]) if dest else None
    important = None if "IMPORTANT" not in params else params["IMPORTANT"] == "Y"
    update_post(ctx, post_id,
                text=None if "POST_MESSAGE" not in params else text(params["POST_MESSAGE"]),
                title=None if "POST_TITLE" not in params else text(params["POST_TITLE"]),
                codes=codes or None, important=important, files=_files(params.get("FILES")),
                removed=_removed(params.get("FILES")))
    return post_id


@handler("log.blogpost.delete")
def blogpost_delete(ctx: Context, params: dict[str, Any]) -> bool:
    post_id = _post_id(params, "0")
    if not may_change(ctx, post_id):
        raise _error("You do not have permission to delete this post", "0")
    if not post_exists(ctx, post_id):
        raise _error("The post could not be deleted", "0")
    delete_post(ctx, post_id)
    return True


@handler("log.blogpost.get")
def blogpost_get(ctx: Context, params: dict[str, Any]) -> Reply:
    rights = params.get("LOG_RIGHTS")
    found = visible_posts(ctx, intval(params.get("POST_ID")),
                          _items(rights) if isinstance(rights, (list, Mapping)) else None)
    page = page_of(found, intval(params.get("START", 0)))
    page.result = [post_view(ctx, post_id) for post_id in page.result]
    return page


@handler("log.blogpost.share")
def blogpost_share(ctx: Context, params: dict[str, Any]) -> bool:
    post_id = _post_id(params)
    dest = params.get("DEST")
    wanted = [str(code) for code in (_items(dest) or [dest]) if _SHARED.match(str(code))]
    if not wanted:
        raise _error("Wrong destinations")
    if not post_exists(ctx, post_id) or not may_change(ctx, post_id):
        raise _error("No read perms")
    share_post(ctx, post_id, destinations(ctx, wanted))
    return True


@handler("log.blogpost.getusers.important")
def blogpost_important_readers(ctx: Context, params: dict[str, Any]) -> list[str]:
    return important_readers(ctx, _post_id(params))


@handler("log.blogcomment.add")
def blogcomment_add(ctx: Context, params: dict[str, Any]) -> int:
    post_id = intval(params.get("POST_ID"))
    if post_id <= 0 or not post_exists(ctx, post_id):
        raise _error("No post found")
    try:
        return add_comment(ctx, post_id, text(params.get("TEXT")))
    except PostError as exc:
        raise _error(str(exc)) from None
