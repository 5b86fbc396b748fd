"""What users do to a task besides editing it: the status actions (start, pause, complete,
approve, disapprove, renew, defer), delegate, favorites, mute, and watching.

A status action that would not change the status succeeds without a check, as the server
skips the update then (approving a completed task is allowed, disapproving it is not).
Approve, disapprove and stopwatch answer with the task's older shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model.task_comments import service_comment
from ..model.task_records import full, legacy
from ..model.task_rules import (
    COMPLETED,
    completing_approves,
    completion_status,
    target_status,
)
from ..model.tasks import actions, delegate, roles, set_auditor, set_flag, set_status, user_exists
from ._args import intval
from ._registry import Context, Handler, handler
from ._tasks import NumericError, core_error, missing, not_allowed, readable_task, task_id_param

_NOT_ACCESSIBLE = (1, "Task not found or not accessible")
# The emulator's words for the portal's own comments on a change (the real ones are not
# recorded).
_SERVICE_TEXTS = {"COMPLETE": "The task is completed.", "APPROVE": "The task is completed.",
                  "RENEW": "The task is back in progress.",
                  "DELEGATE": "The task was delegated."}


def _status_action(action: str, shape: Callable[[Context, int], dict[str, Any]]) -> Handler:
    def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        task_id = task_id_param(params)
        found = readable_task(ctx, task_id, not_allowed())
        can = actions(ctx, found, ctx.user_id)
        who = roles(ctx, found, ctx.user_id)
        if action == "COMPLETE":
            status = completion_status(who, found, ctx.user_id)
            permitted = can[action] or completing_approves(who, found, ctx.user_id,
                                                           [k for k, v in can.items() if v])
        else:
            status, permitted = target_status(action), can[action]
        if int(found["STATUS"]) != status:
            if not permitted:
                raise not_allowed()
            set_status(ctx, found, status)
            if status == COMPLETED or action == "RENEW":
                service_comment(ctx, task_id, _SERVICE_TEXTS[action])
        return {"task": shape(ctx, task_id)}

    return run


for _name, _shape in (("start", full), ("pause", full), ("complete", full), ("defer", full),
                      ("renew", full), ("approve", legacy), ("disapprove", legacy)):
    handler(f"tasks.task.{_name}")(_status_action(_name.upper(), _shape))


@handler("tasks.task.delegate")
def task_delegate(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params)
    if params.get("USERID") is None:
        raise missing("userId")
    refused = NumericError(0, "Action on the task is not allowed")
    found = readable_task(ctx, task_id, refused)
    user_id = intval(params["USERID"])
    if user_id != int(found["RESPONSIBLE_ID"]):
        if not actions(ctx, found, ctx.user_id)["DELEGATE"]:
            raise refused
        if not user_exists(ctx, user_id):
            raise core_error('The user specified in the "Responsible" field was not found')
        delegate(ctx, found, user_id)
        service_comment(ctx, task_id, _SERVICE_TEXTS["DELEGATE"])
    return {"task": full(ctx, task_id)}


def _mark(column: str, value: bool, answer: Callable[[Context, int], Any]) -> Handler:
    def run(ctx: Context, params: dict[str, Any]) -> Any:
        task_id = task_id_param(params)
        readable_task(ctx, task_id, NumericError(*_NOT_ACCESSIBLE))
        set_flag(ctx, task_id, column, value)
        return answer(ctx, task_id)

    return run


def _task_reply(ctx: Context, task_id: int) -> dict[str, Any]:
    return {"task": full(ctx, task_id)}


handler("tasks.task.favorite.add")(_mark("favorite", True, lambda ctx, task_id: True))
handler("tasks.task.favorite.remove")(_mark("favorite", False, lambda ctx, task_id: True))
handler("tasks.task.mute")(_mark("muted", True, _task_reply))
handler("tasks.task.unmute")(_mark("muted", False, _task_reply))


def _watch(watching: bool, shape: Callable[[Context, int], dict[str, Any]]) -> Handler:
    def run(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        task_id = task_id_param(params)
        # TE_ACTION_FAILED_TO_BE_PROCESSED with an empty serialized list of errors.
        found = readable_task(ctx, task_id, NumericError(1048584, "a:0:{}"))
        set_auditor(ctx, found, ctx.user_id, watching)
        return {"task": shape(ctx, task_id)}

    return run


handler("tasks.task.startwatch")(_watch(True, full))
handler("tasks.task.stopwatch")(_watch(False, legacy))
