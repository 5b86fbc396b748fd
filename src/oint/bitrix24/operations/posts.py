"""Feed posts management: ``log.blogpost.*``, ``log.blogcomment.add``.

Who sees a post is its destinations (``vision``): ``UA`` everyone, ``U<id>`` a person,
``D<id>`` a department, ``DR<id>`` a department with those under it, ``SG<id>`` a
workgroup. Files are a ``{file name: path | URL | bytes | base64}`` map; they go to the
author's disk and are attached to the post.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .. import _values as values
from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import PICTURE

REGION = "Feed posts management"


class Post(TypedDict, total=False):
    """A post as ``log.blogpost.get`` returns it. A post with files or the important mark
    also carries its user fields (``UF_BLOG_POST_FILE`` and the like, each a description
    with its ``VALUE``), and ``FILES``: the ids of its files on the disk."""

    ID: str
    BLOG_ID: str
    PUBLISH_STATUS: str
    TITLE: str
    AUTHOR_ID: str
    ENABLE_COMMENTS: str
    NUM_COMMENTS: str
    CODE: str | None
    MICRO: str
    DETAIL_TEXT: str
    DATE_PUBLISH: str
    CATEGORY_ID: str | None
    HAS_SOCNET_ALL: str
    HAS_TAGS: str
    HAS_IMAGES: str
    HAS_PROPS: str
    HAS_COMMENT_IMAGES: str | None
    FILES: list[int]


POST_ID = Param("post_id", "postid", Kind.INTEGER, "Post ID", key="POST_ID")
TEXT = Param("text", "text", Kind.TEXT, "Text of the post", key="POST_MESSAGE")
VISION = Param(
    "vision", "vision", Kind.ARRAY,
    "Who sees it: UA (everyone), U<id>, D<id>, DR<id>, SG<id>; one code or an array",
    key="DEST", required=False, default="UA", annotation="Sequence[str] | str",
)
FILES = Param(
    "files", "files", Kind.COLLECTION,
    "Files to attach: {file name: path, URL, bytes or base64} (JSON)", required=False,
    annotation="Mapping[str, bytes | str | os.PathLike[str]] | str",
)
TITLE = Param("title", "title", Kind.TEXT, "Title (none: the text starts the post)",
              key="POST_TITLE", required=False)


def _post_body(args: dict[str, Any]) -> dict[str, Any]:
    body = {str(param.key): args[param.name] for param in (POST_ID, TEXT, VISION, TITLE)
            if param.name in args}
    if "important" in args:
        body["IMPORTANT"] = args["important"]
    if "files" in args:
        body["FILES"] = [[str(name), values.to_base64(source, f"file {name}")]
                         for name, source in args["files"].items()]
    return body


def _post(portal: ExamplePortal, **fields: Any) -> int:
    made = portal.call("log.blogpost.add", {
        "POST_MESSAGE": "Text of post", "POST_TITLE": "Post title", "DEST": ["UA"], **fields})
    return int(made)


def _plain_post(portal: ExamplePortal) -> dict[str, Any]:
    return {"post_id": _post(portal)}


def _post_with_files(portal: ExamplePortal) -> dict[str, Any]:
    return {"post_id": _post(portal, FILES=[["1.gif", PICTURE], ["2.gif", PICTURE]])}


def _important_post(portal: ExamplePortal) -> dict[str, Any]:
    return {"post_id": _post(portal, IMPORTANT="Y")}


CREATE_POST = Operation(
    "CreatePost", REGION, "Publish a post in the feed", method="log.blogpost.add",
    params=(TEXT, VISION, FILES, TITLE,
            Param("important", "important", Kind.FLAG, "Mark it important (to be read)",
                  required=False, default=False)),
    result="int", build=_post_body,
    example=Example({"text": "Text of post", "title": "Post title", "important": True,
                     "files": {"1.gif": PICTURE, "2.gif": PICTURE}}),
)

UPDATE_POST = Operation(
    "UpdatePost", REGION, "Change a post (its new files are added to those it has)",
    method="log.blogpost.update", params=(POST_ID, TEXT, VISION, FILES, TITLE),
    result="int", build=_post_body,
    example=Example({"text": "New post text", "title": "New post title",
                     "files": {"1.gif": PICTURE}}, setup=_post_with_files),
)

DELETE_POST = Operation(
    "DeletePost", REGION, "Delete a post", method="log.blogpost.delete", params=(POST_ID,),
    result="bool",
    example=Example(setup=_plain_post),
)

GET_IMPORTANT_POST_VIEWERS = Operation(
    "GetImportantPostViewers", REGION, "Get the IDs of those who have read an important post",
    method="log.blogpost.getusers.important", params=(POST_ID,), reads=True,
    result="list[str]",
    example=Example(setup=_important_post),
)

GET_POSTS = Operation(
    "GetPosts", REGION, "Get a post, or the posts visible to the given destinations",
    method="log.blogpost.get",
    params=(POST_ID.but(required=False),
            Param("selection", "sel", Kind.ARRAY,
                  "Destinations whose posts to get (UA: everyone's), when no post ID is given",
                  key="LOG_RIGHTS", required=False, default="UA",
                  annotation="Sequence[str] | str")),
    reads=True, result="list[Post]",
    example=Example(setup=_post_with_files),
)

ADD_POST_COMMENT = Operation(
    "AddPostComment", REGION, "Comment on a post", method="log.blogcomment.add",
    params=(POST_ID, Param("text", "text", Kind.TEXT, "Text of the comment", key="TEXT")),
    result="int",
    example=Example({"text": "Comment for post"}, setup=_plain_post),
)

ADD_POST_RECIPIENTS = Operation(
    "AddPostRecipients", REGION, "Show a post to more people (destinations are added)",
    method="log.blogpost.share",
    params=(POST_ID, VISION.but(required=True, default=None)),
    result="bool",
    example=Example({"vision": "UA"}, setup=_plain_post),
)

# In OPI's order.
OPERATIONS = (
    CREATE_POST,
    UPDATE_POST,
    DELETE_POST,
    GET_IMPORTANT_POST_VIEWERS,
    GET_POSTS,
    ADD_POST_COMMENT,
    ADD_POST_RECIPIENTS,
)
