"""The user fields of a feed post as ``log.blogpost.get`` writes them: each field's whole
description from the portal's field manager, with the post's value in it.

They come with a post that has properties (files, or the important mark); a plain post has
none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["user_fields"]

_MAIN = "Bitrix\\Main\\UserField\\Types\\"


def _type(type_id: str, class_name: str, description: str, base: str, *,
          callbacks: bool = False, **more: Any) -> dict[str, Any]:
    described: dict[str, Any] = {"USER_TYPE_ID": type_id, "CLASS_NAME": class_name}
    if callbacks:
        described.update({"EDIT_CALLBACK": [class_name, "renderEdit"],
                          "VIEW_CALLBACK": [class_name, "renderView"],
                          "USE_FIELD_COMPONENT": True})
    described.update({"DESCRIPTION": description, "BASE_TYPE": base, **more})
    return described


_INTEGER = _type("integer", f"{_MAIN}IntegerType", "Integer", "int", callbacks=True)
_INTEGER_SETTINGS = {"SIZE": 20, "MIN_VALUE": 0, "MAX_VALUE": 0, "DEFAULT_VALUE": None}
_MAIL = "Bitrix\\Mail\\MessageUserType"
# (name, id, XML_ID, type, multiple, searchable, shown in lists, settings, labels, type)
_FIELDS: tuple[tuple[Any, ...], ...] = (
    ("UF_BLOG_POST_DOC", "1", "UF_BLOG_POST_DOC", "file", "Y", "Y", "N",
     {"SIZE": 20, "LIST_WIDTH": 0, "LIST_HEIGHT": 0, "MAX_SHOW_SIZE": 0,
      "MAX_ALLOWED_SIZE": 0, "EXTENSIONS": [], "TARGET_BLANK": "Y", "DEFAULT_VIEW": None},
     (None, None, None),
     _type("file", f"{_MAIN}FileType", "File", "file", callbacks=True)),
    ("UF_BLOG_POST_URL_PRV", "5", "UF_BLOG_POST_URL_PRV", "url_preview", "N", "Y", "N", [],
     (None, None, None),
     _type("url_preview", "Bitrix\\Main\\UrlPreview\\UrlPreviewUserType", "Link contents",
           "int")),
    ("UF_GRATITUDE", "9", "UF_GRATITUDE", "integer", "N", "N", "N", _INTEGER_SETTINGS,
     (None, None, None), _INTEGER),
    ("UF_BLOG_POST_FILE", "19", "UF_BLOG_POST_FILE", "disk_file", "Y", "Y", "N",
     {"IBLOCK_ID": None, "SECTION_ID": None, "UF_TO_SAVE_ALLOW_EDIT": False},
     (None, None, None),
     _type("disk_file", "Bitrix\\Disk\\Uf\\FileUserType", "File (Drive)", "int",
           TAG=["DISK FILE ID", "DOCUMENT ID"])),
    ("UF_MAIL_MESSAGE", "75", "", "mail_message", "N", "N", "N", None, (None, None, None),
     {"USER_TYPE_ID": "mail_message", "CLASS_NAME": _MAIL, "DESCRIPTION": "Email message",
      "BASE_TYPE": "int", "VIEW_CALLBACK": [_MAIL, "getPublicView"],
      "EDIT_CALLBACK": [_MAIL, "getPublicEdit"], "onBeforeSave": [_MAIL, "onBeforeSave"],
      "onDelete": [_MAIL, "onDelete"]}),
    ("UF_BLOG_POST_IMPRTNT", "93", "UF_BLOG_POST_IMPRTNT", "integer", "N", "N", "Y",
     _INTEGER_SETTINGS, ("Important message", "Important", "Important"), _INTEGER),
    ("UF_IMPRTANT_DATE_END", "95", "UF_IMPRTANT_DATE_END", "datetime", "N", "N", "N",
     {"DEFAULT_VALUE": {"TYPE": "NONE", "VALUE": ""}, "USE_SECOND": "Y", "USE_TIMEZONE": "N"},
     ("Valid until", "Until", None),
     _type("datetime", f"{_MAIN}DateTimeType", "Date with time", "datetime",
           callbacks=True)),
    ("UF_BLOG_POST_VOTE", "143", "UF_BLOG_POST_VOTE", "vote", "N", "N", "Y",
     {"CHANNEL_ID": 1, "UNIQUE": 8, "UNIQUE_IP_DELAY": {"DELAY": "10", "DELAY_TYPE": "D"},
      "NOTIFY": "I"}, (None, None, None),
     _type("vote", "Bitrix\\Vote\\Uf\\VoteUserType", "Poll", "int")),
)


def _serialized(ids: Sequence[int]) -> str:
    """PHP's ``serialize`` of a list of numbers, as the field keeps it (``VALUE_RAW``)."""
    return f"a:{len(ids)}:{{" + "".join(f"i:{i};i:{v};" for i, v in enumerate(ids)) + "}"


def user_fields(post_id: int, files: Sequence[int], important: bool) -> dict[str, Any]:
    """The post's user fields: its files (disk ids) and its important mark."""
    values: dict[str, tuple[Any, Any]] = {
        "UF_BLOG_POST_DOC": (False, None),
        "UF_BLOG_POST_FILE": (list(files), _serialized(files)) if files else (False, None),
        "UF_BLOG_POST_IMPRTNT": ("1" if important else None, "1" if important else None),
        "UF_IMPRTANT_DATE_END": ("", None),
    }
    fields: dict[str, Any] = {}
    for (name, field_id, xml_id, type_id, multiple, searchable, listed, settings, labels,
         user_type) in _FIELDS:
        value, raw = values.get(name, (None, None))
        edit_label, column_label, filter_label = labels
        fields[name] = {
            "ID": field_id, "ENTITY_ID": "BLOG_POST", "FIELD_NAME": name,
            "USER_TYPE_ID": type_id, "XML_ID": xml_id, "SORT": "100", "MULTIPLE": multiple,
            "MANDATORY": "N", "SHOW_FILTER": "N", "SHOW_IN_LIST": listed, "EDIT_IN_LIST": "Y",
            "IS_SEARCHABLE": searchable, "SETTINGS": settings, "EDIT_FORM_LABEL": edit_label,
            "LIST_COLUMN_LABEL": column_label, "LIST_FILTER_LABEL": filter_label,
            "ERROR_MESSAGE": None, "HELP_MESSAGE": None, "USER_TYPE": user_type,
            "VALUE": value, "ENTITY_VALUE_ID": post_id, "VALUE_EXISTS": True,
            "VALUE_RAW": raw,
            "CUSTOM_DATA": {"PHOTO_TEMPLATE": ""} if type_id == "disk_file" else [],
        }
    return fields
