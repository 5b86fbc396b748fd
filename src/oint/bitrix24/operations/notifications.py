"""Notifications management."""

from __future__ import annotations

from .._spec import Kind, Operation, Param
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

CREATE_PERSONAL_NOTIFICATION = Operation(
    "CreatePersonalNotification",
    REGION,
    "Send a user a notification from you",
    method="im.notify.personal.add",
    params=_NOTIFICATION_PARAMS,
    result="int",
)

CREATE_SYSTEM_NOTIFICATION = Operation(
    "CreateSystemNotification",
    REGION,
    "Send a user a system notification",
    method="im.notify.system.add",
    params=_NOTIFICATION_PARAMS,
    result="int",
)

DELETE_NOTIFICATION = Operation(
    "DeleteNotification",
    REGION,
    "Delete one of your notifications",
    method="im.notify.delete",
    params=(Param("notification_id", "notif", Kind.INTEGER, "Notification ID", key="ID"),),
    result="bool",
)

OPERATIONS = (CREATE_PERSONAL_NOTIFICATION, CREATE_SYSTEM_NOTIFICATION, DELETE_NOTIFICATION)
