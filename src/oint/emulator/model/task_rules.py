"""Who may do what to a task, and where each status action leads: pure rules, no storage.

The table is the server's (``CTaskItem::getBaseAllowedActions`` and
``getAllowedActionsArrayInternal``): actions by status and role, then what a portal
administrator may do besides; the current server also lets the creator and an
administrator start, pause, delegate and defer (``_LEADING``), as its recorded replies
show. Statuses: 1 new, 2 pending, 3 in progress, 4 supposedly completed (waiting for the
creator's approval), 5 completed, 6 deferred, 7 declined.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

__all__ = [
    "ACTIONS",
    "COMPLETED",
    "DEFERRED",
    "IN_PROGRESS",
    "NEW",
    "PENDING",
    "SUPPOSEDLY_COMPLETED",
    "Roles",
    "allowed",
    "completion_status",
    "target_status",
]

NEW, PENDING, IN_PROGRESS, SUPPOSEDLY_COMPLETED, COMPLETED, DEFERRED, DECLINED = range(1, 8)

# Every action, in the order the server writes them (tasks.task.getaccess, a task's
# ``action``): the server's names after its renames (CHANGE_DIRECTOR is EDIT.ORIGINATOR, ...).
ACTIONS = (
    "ACCEPT", "DECLINE", "COMPLETE", "APPROVE", "DISAPPROVE", "START", "PAUSE", "DELEGATE",
    "REMOVE", "EDIT", "DEFER", "RENEW", "CREATE", "CHANGE_DEADLINE", "CHECKLIST_ADD_ITEMS",
    "ADD_FAVORITE", "DELETE_FAVORITE", "RATE", "TAKE", "EDIT.ORIGINATOR", "CHECKLIST.REORDER",
    "ELAPSEDTIME.ADD", "DAYPLAN.TIMER.TOGGLE", "EDIT.PLAN", "CHECKLIST.ADD", "FAVORITE.ADD",
    "FAVORITE.DELETE",
)

_ANY_STATUS = {
    "director": ("CHECKLIST_ADD_ITEMS", "CHECKLIST.REORDER", "ELAPSEDTIME.ADD",
                 "EDIT.ORIGINATOR", "CHANGE_DEADLINE"),
    "responsible": ("CHECKLIST_ADD_ITEMS", "CHECKLIST.REORDER", "ELAPSEDTIME.ADD"),
    "accomplice": ("CHECKLIST_ADD_ITEMS", "CHECKLIST.REORDER", "ELAPSEDTIME.ADD"),
    "auditor": (),
}
_BY_STATUS: dict[int, dict[str, tuple[str, ...]]] = {
    NEW: {"director": ("EDIT", "REMOVE", "COMPLETE"),
          "responsible": ("ACCEPT", "START", "DELEGATE")},
    PENDING: {"director": ("EDIT", "REMOVE", "COMPLETE"),
              "responsible": ("START", "DELEGATE", "DEFER", "COMPLETE"),
              "accomplice": ("START", "DEFER", "COMPLETE")},
    IN_PROGRESS: {"director": ("EDIT", "REMOVE", "COMPLETE"),
                  "responsible": ("PAUSE", "DELEGATE", "DEFER", "COMPLETE"),
                  "accomplice": ("PAUSE", "DEFER", "COMPLETE")},
    SUPPOSEDLY_COMPLETED: {"director": ("EDIT", "REMOVE", "APPROVE", "DISAPPROVE"),
                           "responsible": ("RENEW",), "accomplice": ("RENEW",)},
    COMPLETED: {"director": ("EDIT", "REMOVE", "RENEW"),
                "responsible": ("RENEW", "DELEGATE"), "accomplice": ("RENEW",)},
    DEFERRED: {"director": ("EDIT", "REMOVE", "COMPLETE"),
               "responsible": ("START", "RENEW", "DELEGATE", "COMPLETE"),
               "accomplice": ("START", "RENEW", "COMPLETE")},
    DECLINED: {"director": ("EDIT", "REMOVE", "COMPLETE", "RENEW"),
               "responsible": ("DELEGATE",)},
}

# What the creator or an administrator may do besides, by status: read from the recorded
# replies of the current server (``action`` of a task whose creator, an administrator, is
# not its responsible), where the older table gave an administrator DEFER in progress too.
_LEADING: dict[int, tuple[str, ...]] = {
    PENDING: ("START", "DELEGATE", "DEFER"),
    IN_PROGRESS: ("PAUSE", "DELEGATE"),
    DEFERRED: ("DELEGATE", "RENEW"),
    COMPLETED: ("RENEW",),
}

# Where each status action leads (complete is decided by completion_status).
_TARGETS = {"START": IN_PROGRESS, "PAUSE": PENDING, "DEFER": DEFERRED, "RENEW": PENDING,
            "DISAPPROVE": PENDING, "APPROVE": COMPLETED, "ACCEPT": PENDING}


@dataclass(frozen=True)
class Roles:
    """A user's place in one task, and whether the user administers the portal."""

    director: bool = False
    responsible: bool = False
    accomplice: bool = False
    auditor: bool = False
    admin: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name in ("director", "responsible", "accomplice", "auditor")
                     if getattr(self, name))

    @property
    def member(self) -> bool:
        return bool(self.names)


def allowed(roles: Roles, task: Mapping[str, object]) -> dict[str, bool]:
    """Every action (see :data:`ACTIONS`) with whether the user may take it now.

    ``task`` holds ``STATUS``, ``TASK_CONTROL``, ``ALLOW_CHANGE_DEADLINE`` and ``FAVORITE``
    (for this user).
    """
    status = int(str(task["STATUS"]))
    can: set[str] = {"CREATE"}
    can.add("DELETE_FAVORITE" if task.get("FAVORITE") == "Y" else "ADD_FAVORITE")
    for role in roles.names:
        can.update(_BY_STATUS.get(status, {}).get(role, ()))
        can.update(_ANY_STATUS[role])
    if roles.admin:
        can.update(("REMOVE", "EDIT"))
    edit = "EDIT" in can
    if roles.admin or edit or (task.get("ALLOW_CHANGE_DEADLINE") == "Y" and roles.responsible):
        can.add("CHANGE_DEADLINE")
    if roles.admin or edit:
        can.update(("ELAPSEDTIME.ADD", "CHECKLIST_ADD_ITEMS", "CHECKLIST.REORDER",
                    "EDIT.ORIGINATOR"))
    if roles.director:
        can.add("EDIT.ORIGINATOR")
    if roles.admin and status != COMPLETED:
        if task.get("TASK_CONTROL") == "Y" and status == SUPPOSEDLY_COMPLETED:
            can.update(("APPROVE", "DISAPPROVE"))
        else:
            can.add("COMPLETE")
    if roles.admin and status in (SUPPOSEDLY_COMPLETED, COMPLETED, DEFERRED):
        can.add("RENEW")
    if roles.admin or roles.director:
        can.update(_LEADING.get(status, ()))
    # Newer names the server adds beside the old ones, with the same meaning.
    if edit:
        can.add("RATE")
    aliases = {"EDIT.PLAN": "CHANGE_DEADLINE", "CHECKLIST.ADD": "CHECKLIST_ADD_ITEMS",
               "FAVORITE.ADD": "ADD_FAVORITE", "FAVORITE.DELETE": "DELETE_FAVORITE"}
    can.update(alias for alias, name in aliases.items() if name in can)
    return {action: action in can for action in ACTIONS}


def target_status(action: str) -> int:
    """The status a status action (other than COMPLETE) leads to."""
    return _TARGETS[action]


def completion_status(
    roles: Roles, task: Mapping[str, object], user_id: int, creators_boss: bool = False,
) -> int:
    """Where completing leads: to 5, or to 4 when the creator must approve the result
    (``TASK_CONTROL`` and someone other than the creator completes)."""
    status = int(str(task["STATUS"]))
    creator = int(str(task["CREATED_BY"]))
    if ((roles.admin or creators_boss) and status == SUPPOSEDLY_COMPLETED) \
            or creator == int(str(task["RESPONSIBLE_ID"])) or creator == user_id \
            or task.get("TASK_CONTROL") != "Y":
        return COMPLETED
    return SUPPOSEDLY_COMPLETED


def completing_approves(roles: Roles, task: Mapping[str, object], user_id: int,
                        can: Collection[str]) -> bool:
    """True when completing stands for approving: the creator (or an administrator)
    completes a task waiting for approval, which the rules would not call COMPLETE."""
    creator = int(str(task["CREATED_BY"])) == user_id
    return (roles.admin or creator) and task.get("TASK_CONTROL") == "Y" \
        and "APPROVE" in can and "COMPLETE" not in can
