# SQL is assembled from this module's own column names only; values are always bound.
# ruff: noqa: S608
"""Tasks' custom fields (``task.item.userfield.*``): ``UF_`` names, types and labels.

Every portal has three of them from the start (CRM items, disk files, a mail message);
the ones a caller adds appear in ``tasks.task.getFields`` and take values on tasks.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from . import Actor, schema
from .tasks import forget_uf

__all__ = ["LANGUAGES", "TYPES", "add_field", "delete_field", "field", "field_json",
           "uf_definitions", "update_field"]

# The languages a label is kept in, as the server lists them.
LANGUAGES = ("ar", "br", "de", "en", "fr", "id", "it", "ja", "la", "ms", "pl", "ru", "sc",
             "tc", "th", "tr", "ua", "vn")
# The types a field may have (USER_TYPE_ID), with the SETTINGS a new one starts with.
TYPES: dict[str, Any] = {
    "string": {"SIZE": 20, "ROWS": 1, "REGEXP": "", "MIN_LENGTH": 0, "MAX_LENGTH": 0,
               "DEFAULT_VALUE": ""},
    "integer": {"SIZE": 20, "MIN_VALUE": 0, "MAX_VALUE": 0, "DEFAULT_VALUE": ""},
    "double": {"PRECISION": 4, "SIZE": 20, "MIN_VALUE": 0, "MAX_VALUE": 0,
               "DEFAULT_VALUE": ""},
    "boolean": {"DEFAULT_VALUE": 0, "DISPLAY": "CHECKBOX", "LABEL": ["", ""],
                "LABEL_CHECKBOX": ""},
    "date": {"DEFAULT_VALUE": {"TYPE": "NONE", "VALUE": ""}},
    "datetime": {"DEFAULT_VALUE": {"TYPE": "NONE", "VALUE": ""}, "USE_SECOND": "Y",
                 "USE_TIMEZONE": "N"},
    "enumeration": {"DISPLAY": "LIST", "LIST_HEIGHT": 1, "CAPTION_NO_VALUE": "",
                    "SHOW_NO_VALUE": "Y"},
    "url": {"POPUP": "Y", "SIZE": 20, "MIN_LENGTH": 0, "MAX_LENGTH": 0, "DEFAULT_VALUE": "",
            "ROWS": 1},
    "file": {"SIZE": 20, "LIST_WIDTH": 0, "LIST_HEIGHT": 0, "MAX_SHOW_SIZE": 0,
             "MAX_ALLOWED_SIZE": 0, "EXTENSIONS": []},
    "employee": [],
    "crm": [],
    "disk_file": [],
    "mail_message": [],
    "money": {"DEFAULT_VALUE": ""},
    "address": {"SHOW_MAP": "Y"},
}

_CRM = {"LEAD": "Y", "CONTACT": "Y", "COMPANY": "Y", "DEAL": "Y", "ORDER": "Y",
        "SMART_INVOICE": "Y"}
# (name, type, XML_ID, multiple, searchable, shown in lists, settings, title)
_SYSTEM: tuple[tuple[str, str, str | None, str, str, str, Any, str | None], ...] = (
    ("UF_CRM_TASK", "crm", None, "Y", "N", "Y", _CRM, "CRM Entities"),
    ("UF_TASK_WEBDAV_FILES", "disk_file", "TASK_WEBDAV_FILES", "Y", "Y", "Y", [],
     "Upload Files"),
    ("UF_MAIL_MESSAGE", "mail_message", "", "N", "N", "N", [], None),
)


def _seed(db: sqlite3.Connection) -> None:
    for number, (name, type_, xml_id, multiple, searchable, listed, settings, title) \
            in enumerate(_SYSTEM, start=1):
        labels = json.dumps({lang: title or "" for lang in LANGUAGES})
        db.execute(
            "INSERT OR IGNORE INTO task_userfields (id, field_name, user_type_id, xml_id,"
            " multiple, show_in_list, edit_in_list, is_searchable, settings, edit_form_label,"
            " list_label, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, name, type_, xml_id, multiple, listed, listed, searchable,
             json.dumps(settings), labels, labels, title))


SCHEMA = schema("task_userfields", """
CREATE TABLE IF NOT EXISTS task_userfields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    field_name TEXT NOT NULL UNIQUE,
    user_type_id TEXT NOT NULL,
    xml_id TEXT,
    sort INTEGER NOT NULL DEFAULT 100,
    multiple TEXT NOT NULL DEFAULT 'N',
    mandatory TEXT NOT NULL DEFAULT 'N',
    show_filter TEXT NOT NULL DEFAULT 'N',
    show_in_list TEXT NOT NULL DEFAULT 'Y',
    edit_in_list TEXT NOT NULL DEFAULT 'Y',
    is_searchable TEXT NOT NULL DEFAULT 'N',
    settings TEXT NOT NULL,
    edit_form_label TEXT NOT NULL,
    list_label TEXT NOT NULL,
    title TEXT
);
""", seed=_seed)


def field(ctx: Actor, field_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM task_userfields WHERE id = ?", (field_id,))


def field_json(row: sqlite3.Row, labels: bool = False) -> dict[str, Any]:
    """A field as ``getlist`` lists it, or with its labels as ``get`` answers it."""
    found: dict[str, Any] = {
        "ID": str(row["id"]), "ENTITY_ID": "TASKS_TASK", "FIELD_NAME": row["field_name"],
        "USER_TYPE_ID": row["user_type_id"], "XML_ID": row["xml_id"],
        "SORT": str(row["sort"]), "MULTIPLE": row["multiple"], "MANDATORY": row["mandatory"],
        "SHOW_FILTER": row["show_filter"], "SHOW_IN_LIST": row["show_in_list"],
        "EDIT_IN_LIST": row["edit_in_list"], "IS_SEARCHABLE": row["is_searchable"],
        "SETTINGS": json.loads(row["settings"]),
    }
    if labels:
        listed = json.loads(row["list_label"])
        found.update({"EDIT_FORM_LABEL": json.loads(row["edit_form_label"]),
                      "LIST_COLUMN_LABEL": listed, "LIST_FILTER_LABEL": listed,
                      "ERROR_MESSAGE": listed, "HELP_MESSAGE": listed})
    return found


def uf_definitions(ctx: Actor) -> list[sqlite3.Row]:
    return ctx.store.rows("SELECT * FROM task_userfields ORDER BY sort, id")


def _labels(value: Any, fallback: Mapping[str, str] | None = None) -> dict[str, str]:
    """A label given as text (every language) or as a map by language."""
    if isinstance(value, Mapping):
        base = dict(fallback or dict.fromkeys(LANGUAGES, ""))
        base.update({str(k): str(v) for k, v in value.items() if str(k) in LANGUAGES})
        return base
    return dict.fromkeys(LANGUAGES, "" if value is None else str(value))


def add_field(ctx: Actor, params: Mapping[str, Any]) -> int:
    """A new field from checked parameters (USER_TYPE_ID known, FIELD_NAME with UF_)."""
    label = params.get("LABEL")
    listed = _labels(label)
    form = _labels(params["EDIT_FORM_LABEL"]) if "EDIT_FORM_LABEL" in params else listed
    return ctx.store.insert(
        "INSERT INTO task_userfields (field_name, user_type_id, xml_id, sort, multiple,"
        " mandatory, settings, edit_form_label, list_label, title) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (params["FIELD_NAME"], params["USER_TYPE_ID"], params.get("XML_ID"),
         int(params.get("SORT") or 100), _yn(params.get("MULTIPLE")),
         _yn(params.get("MANDATORY")), json.dumps(TYPES[params["USER_TYPE_ID"]]),
         json.dumps(form), json.dumps(listed), form.get("en") or None))


def update_field(ctx: Actor, row: sqlite3.Row, data: Mapping[str, Any]) -> None:
    changes: dict[str, Any] = {}
    if "XML_ID" in data:
        changes["xml_id"] = data["XML_ID"]
    if "SORT" in data:
        changes["sort"] = int(data["SORT"] or 100)
    if "MANDATORY" in data:
        changes["mandatory"] = _yn(data["MANDATORY"])
    if "LABEL" in data:
        changes["list_label"] = json.dumps(_labels(data["LABEL"]))
    if "EDIT_FORM_LABEL" in data:
        form = _labels(data["EDIT_FORM_LABEL"], json.loads(row["edit_form_label"]))
        changes.update({"edit_form_label": json.dumps(form), "title": form.get("en") or None})
    for column, value in changes.items():
        ctx.store.execute(
            f"UPDATE task_userfields SET {column} = ? WHERE id = ?", (value, row["id"]))


def delete_field(ctx: Actor, row: sqlite3.Row) -> None:
    ctx.store.execute("DELETE FROM task_userfields WHERE id = ?", (row["id"],))
    forget_uf(ctx, row["field_name"])


def _yn(value: Any) -> str:
    return "Y" if str(value or "").strip().upper() in ("Y", "1", "TRUE") else "N"
