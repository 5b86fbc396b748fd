"""Customs tasks fields management: ``task.item.userfield.*``.

These methods read their parameters by position (the server's older task methods): the
bodies list them in the order OPI sends them. A new field's name gets the ``UF_`` prefix
on the portal.
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param

REGION = "Customs tasks fields management"


class CustomTaskField(TypedDict, total=False):
    """A custom task field as ``task.item.userfield.get``/``getlist`` describe it."""

    ID: str
    ENTITY_ID: str
    FIELD_NAME: str
    USER_TYPE_ID: str
    XML_ID: str | None
    SORT: str
    MULTIPLE: str
    MANDATORY: str
    SHOW_FILTER: str
    SHOW_IN_LIST: str
    EDIT_IN_LIST: str
    IS_SEARCHABLE: str
    SETTINGS: Any
    EDIT_FORM_LABEL: dict[str, str]
    LIST_COLUMN_LABEL: dict[str, str]
    LIST_FILTER_LABEL: dict[str, str]
    ERROR_MESSAGE: dict[str, str]
    HELP_MESSAGE: dict[str, str]


FIELD_ID = Param("field_id", "fieldid", Kind.INTEGER, "Custom field ID", key="ID")
EXTERNAL_ID = Param("external_id", "externalid", Kind.TEXT, "External ID (XML_ID)",
                    required=False)
TITLE = Param("title", "title", Kind.TEXT, "Title in lists (every language)", required=False)
LABEL = Param("label", "label", Kind.COLLECTION,
              "Label in the edit form, by language (JSON: {'en': '...', 'ru': '...'})",
              required=False, annotation="Mapping[str, str] | str")


def _labels(args: dict[str, Any]) -> dict[str, Any]:
    named = (("XML_ID", "external_id"), ("LABEL", "title"), ("EDIT_FORM_LABEL", "label"))
    return {key: args[name] for key, name in named if name in args}


def _add_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"PARAMS": {"USER_TYPE_ID": args["type"], "FIELD_NAME": args["name"],
                       **_labels(args)}}


def _update_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"ID": args["field_id"], "DATA": _labels(args)}


def _new_name(portal: ExamplePortal) -> dict[str, Any]:
    # Field names are unique on a portal, and every use of the example adds one.
    return {"name": f"TEXT_FIELD_{uuid.uuid4().hex[:8].upper()}"}


def _field(portal: ExamplePortal) -> dict[str, Any]:
    params = {"USER_TYPE_ID": "string", **_new_name(portal), "LABEL": "Text field"}
    params["FIELD_NAME"] = params.pop("name")
    return {"field_id": int(portal.call("task.item.userfield.add", {"PARAMS": params}))}


GET_CUSTOM_TASK_FIELDS_LIST = Operation(
    "GetCustomTaskFieldsList", REGION, "Get the list of custom task fields",
    method="task.item.userfield.getlist", reads=True, result="list[CustomTaskField]",
    example=Example(),
)

ADD_CUSTOM_TASK_FIELD = Operation(
    "AddCustomTaskField", REGION, "Add a custom task field", method="task.item.userfield.add",
    params=(
        Param("type", "type", Kind.TEXT,
              "Field type: string, integer, double, date, datetime, boolean, ..."),
        Param("name", "fieldname", Kind.TEXT, "Field name (UF_ is added in front)"),
        EXTERNAL_ID, TITLE, LABEL,
    ),
    build=_add_body,
    result="int",
    example=Example({"type": "string", "external_id": "NEW_TEXT_FIELD", "title": "Text field",
                     "label": {"en": "Text field", "ru": "Tekstovoe pole"}}, setup=_new_name),
)

UPDATE_CUSTOM_TASK_FIELD = Operation(
    "UpdateCustomTaskField", REGION, "Change a custom task field's labels",
    method="task.item.userfield.update", params=(FIELD_ID, EXTERNAL_ID, TITLE, LABEL),
    build=_update_body, result="bool",
    example=Example({"label": {"en": "Updated field", "ru": "Izmenennoe pole"}},
                    setup=_field),
)

GET_CUSTOM_TASK_FIELD = Operation(
    "GetCustomTaskField", REGION, "Get a custom task field", method="task.item.userfield.get",
    params=(FIELD_ID,), reads=True, result="CustomTaskField",
    example=Example(setup=_field),
)

DELETE_CUSTOM_TASK_FIELD = Operation(
    "DeleteCustomTaskField", REGION, "Delete a custom task field",
    method="task.item.userfield.delete", params=(FIELD_ID,), result="bool",
    example=Example(setup=_field),
)

OPERATIONS = (
    GET_CUSTOM_TASK_FIELDS_LIST,
    ADD_CUSTOM_TASK_FIELD,
    UPDATE_CUSTOM_TASK_FIELD,
    GET_CUSTOM_TASK_FIELD,
    DELETE_CUSTOM_TASK_FIELD,
)
