"""Notifications management."""

from __future__ import annotations

from typing import Any

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import BLOCKS, USER_ID

REGION = "Notifications management"

_NOTIFICATION_PARAMS = (
    USER_ID,
    Param("text", "text", Kind.TEXT, "Notification text", key="MESSAGE"),
    Param(
        "tag", "tag", Kind.TEXT, "Notification tag (kept for OAuth apps)",
        key="TAG", required=False,
    ),
    BLOCKS,
)


def _notification(portal: ExamplePortal) -> dict[str, Any]:
    sent = portal.call("im.notify.personal.add", {"USER_ID": 1, "MESSAGE": "To be deleted"})
    return {"notification_id": int(sent)}


CREATE_PERSONAL_NOTIFICATION = Operation(
    "CreatePersonalNotification",
    REGION,
    "Send a user a notification from you",
    method="im.notify.personal.add",
    params=_NOTIFICATION_PARAMS,
    result="int",
    example=Example({"user_id": 1, "text": "Message text", "tag": "example"}),
)

CREATE_SYSTEM_NOTIFICATION = Operation(
    "CreateSystemNotification",
    REGION,
    "Send a user a system notification",
    method="im.notify.system.add",
    params=_NOTIFICATION_PARAMS,
    result="int",
    example=Example({"user_id": 1, "text": "Message text", "tag": "example"}),
)

DELETE_NOTIFICATION = Operation(
    "DeleteNotification",
    REGION,
    "Delete one of your notifications",
    method="im.notify.delete",
    params=(Param("notification_id", "notif", Kind.INTEGER, "Notification ID", key="ID"),),
    result="bool",
    example=Example(setup=_notification),
)

OPERATIONS = (CREATE_PERSONAL_NOTIFICATION, CREATE_SYSTEM_NOTIFICATION, DELETE_NOTIFICATION)
