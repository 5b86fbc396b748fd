"""A task's checklist items, comments and elapsed time: ``task.checklistitem.*``,
``task.commentitem.*`` and ``task.elapseditem.*`` (models ``task_checklist``,
``task_comments``, ``task_elapsed``).

These are the server's older methods: parameters are read by position (TASKID, ITEMID,
FIELDS in that order, whatever their names) and errors are ``ERROR_CORE`` with the text of
a TasksException.
"""

from __future__ import annotations

from typing import Any

from ..model import task_checklist as checklist
from ..model import task_comments as comments
from ..model import task_elapsed as elapsed
from ..model.tasks import actions, can_read, is_admin, task, user_exists
from ._args import intval
from ._registry import Context, Reply, handler
from ._tasks import Arg, assert_positive, core_error, legacy_error, positional, readable_task

_TASK = Arg("taskId", "integer")
_ITEM = Arg("itemId", "integer")
_CHECKLIST_KEYS = frozenset({"TITLE", "SORT_INDEX", "IS_COMPLETE", "IS_IMPORTANT",
                             "PARENT_ID", "MEMBERS"})
_ORDER_KEYS = frozenset({"ID", "PARENT_ID", "CREATED_BY", "TITLE", "SORT_INDEX",
                         "IS_COMPLETE", "IS_IMPORTANT", "TOGGLED_BY", "TOGGLED_DATE"})


def _task_for(ctx: Context, task_id: int, right: str) -> dict[str, Any] | None:
    """The task when the caller may read it and has ``right`` on it (CREATE, which everyone
    has, for reading alone); else None."""
    found = task(ctx, task_id)
    if found is None or not can_read(ctx, found, ctx.user_id):
        return None
    return found if actions(ctx, found, ctx.user_id)[right] else None


# -- checklists -------------------------------------------------------------------------------

@handler("task.checklistitem.add")
def checklist_add(ctx: Context, params: dict[str, Any]) -> int:
    task_id, fields = positional(params, "ctaskchecklistitem::add",
                                 (_TASK, Arg("arFields", "array", keys=_CHECKLIST_KEYS)))
    if not str(fields.get("TITLE") or "").strip():
        raise legacy_error(8, "Item name not specified")
    if _task_for(ctx, task_id, "CHECKLIST.ADD") is None:
        raise legacy_error(8, "Adding item: action not allowed")
    return checklist.add_item(ctx, task_id, fields)


def _item(ctx: Context, item_id: int, task_id: int | None, right: str, refusal: Any) -> Any:
    """The checklist item, if it belongs to ``task_id`` (None: any task) and the caller has
    ``right`` on its task; else ``refusal``."""
    row = checklist.item(ctx, item_id)
    if row is None or (task_id is not None and row["task_id"] != task_id) \
            or _task_for(ctx, row["task_id"], right) is None:
        raise refusal
    return row


@handler("task.checklistitem.update")
def checklist_update(ctx: Context, params: dict[str, Any]) -> None:
    task_id, item_id, fields = positional(
        params, "ctaskchecklistitem::update",
        (_TASK, _ITEM, Arg("arFields", "array", keys=_CHECKLIST_KEYS)))
    row = _item(ctx, item_id, task_id, "CHECKLIST.ADD",
                legacy_error(4, "No access to edit the task"))
    checklist.rename_item(ctx, row, fields)


@handler("task.checklistitem.getlist")
def checklist_list(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    task_id, *rest = positional(params, "ctaskchecklistitem::getlist",
                                (_TASK, Arg("arOrder", "array", False, _ORDER_KEYS)))
    if _task_for(ctx, task_id, "CREATE") is None:
        raise legacy_error(8, "Action failed")
    order = rest[0] if rest and isinstance(rest[0], dict) else None
    return [checklist.item_json(row) for row in checklist.items(ctx, task_id, order)]


@handler("task.checklistitem.get")
def checklist_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id, item_id = positional(params, "ctaskchecklistitem::get", (_TASK, _ITEM))
    row = _item(ctx, item_id, task_id, "CREATE",
                legacy_error(512, "Check listitem not found or not accessible"))
    return checklist.item_json(row)


@handler("task.checklistitem.delete")
def checklist_delete(ctx: Context, params: dict[str, Any]) -> bool:
    task_id, item_id = positional(params, "ctaskchecklistitem::delete", (_TASK, _ITEM))
    row = _item(ctx, item_id, task_id, "CHECKLIST.ADD",
                legacy_error(8, "Deleting item: action not allowed"))
    checklist.delete_item(ctx, row)
    return True


def _toggle(complete: bool) -> Any:
    method = "complete" if complete else "renew"

    def run(ctx: Context, params: dict[str, Any]) -> bool:
        task_id, item_id = positional(params, f"ctaskchecklistitem::{method}", (_TASK, _ITEM))
        assert_positive(task_id, item_id)
        # The item is found by its id alone; which task was named is not checked.
        row = _item(ctx, item_id, None, "CHECKLIST.ADD",
                    legacy_error(512, "Check listitem not found or not accessible"))
        checklist.toggle_item(ctx, row, complete)
        return True

    return run


handler("task.checklistitem.complete")(_toggle(True))
handler("task.checklistitem.renew")(_toggle(False))


# -- comments ---------------------------------------------------------------------------------

_COMMENT_KEYS = frozenset({"POST_MESSAGE", "AUTHOR_ID", "AUTHOR_NAME", "AUTHOR_EMAIL",
                           "USE_SMILES", "POST_DATE", "UF_FORUM_MESSAGE_DOC"})
_COMMENT_EDIT_KEYS = frozenset({"POST_MESSAGE", "UF_FORUM_MESSAGE_DOC"})
_COMMENT_ORDER = frozenset({"ID", "AUTHOR_ID", "AUTHOR_NAME", "AUTHOR_EMAIL", "POST_DATE"})
_FILTER_PREFIXES = ("", "=", "!", "<", ">", "<=", ">=")


@handler("task.commentitem.getlist")
def comment_list(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    values = positional(params, "ctaskcommentitem::getlist",
                        (_TASK, Arg("arOrder", "array", False, _COMMENT_ORDER),
                         Arg("arFilter", "array", False, frozenset(
                             p + name for p in _FILTER_PREFIXES
                             for name in comments.FILTERABLE))))
    task_id = values[0]
    order = values[1] if len(values) > 1 and isinstance(values[1], dict) else {}
    filter_ = values[2] if len(values) > 2 and isinstance(values[2], dict) else {}
    readable_task(ctx, task_id, legacy_error(8, "Action failed"))
    return [comments.comment_json(row) for row in comments.comments(ctx, task_id, order,
                                                                      filter_)]


def _comment(ctx: Context, task_id: int, item_id: int, refusal: Any, own: bool) -> Any:
    row = comments.comment(ctx, item_id)
    found = task(ctx, task_id)
    if row is None or found is None or row["task_id"] != task_id \
            or not can_read(ctx, found, ctx.user_id):
        raise refusal
    if own and row["author_id"] != ctx.user_id and not is_admin(ctx, ctx.user_id):
        raise refusal
    return row


@handler("task.commentitem.get")
def comment_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id, item_id = positional(params, "ctaskcommentitem::get", (_TASK, _ITEM))
    row = _comment(ctx, task_id, item_id, legacy_error(
        512, "Check listitem not found or not accessible"), own=False)
    return comments.comment_json(row)


@handler("task.commentitem.add")
def comment_add(ctx: Context, params: dict[str, Any]) -> int:
    task_id, fields = positional(params, "ctaskcommentitem::add",
                                 (_TASK, Arg("arFields", "array", keys=_COMMENT_KEYS)))
    readable_task(ctx, task_id, core_error("Insufficient permissions to add a comment."))
    message = str(fields.get("POST_MESSAGE") or "").strip()
    if not message:
        raise core_error("Comment text is not specified")
    author = intval(fields.get("AUTHOR_ID")) or ctx.user_id
    if not user_exists(ctx, author):
        author = ctx.user_id
    return comments.add_comment(ctx, task_id, author, message)


@handler("task.commentitem.update")
def comment_update(ctx: Context, params: dict[str, Any]) -> bool:
    task_id, item_id, fields = positional(
        params, "ctaskcommentitem::update",
        (_TASK, _ITEM, Arg("arFields", "array", keys=_COMMENT_EDIT_KEYS)))
    row = _comment(ctx, task_id, item_id, legacy_error(4, "Action is not allowed"), own=True)
    message = str(fields.get("POST_MESSAGE") or "").strip()
    if not message:
        raise core_error("Comment text not specified.")
    comments.update_comment(ctx, row, message)
    return True


@handler("task.commentitem.delete")
def comment_delete(ctx: Context, params: dict[str, Any]) -> bool:
    task_id, item_id = positional(params, "ctaskcommentitem::delete", (_TASK, _ITEM))
    row = _comment(ctx, task_id, item_id, legacy_error(4, "Action is not allowed"), own=True)
    comments.delete_comment(ctx, row)
    return True


# -- elapsed time -----------------------------------------------------------------------------



def _no_task() -> Any:
    return legacy_error(1, "Task not found or not accessible")


_ELAPSED_ADD_KEYS = frozenset({"USER_ID", "SECONDS", "MINUTES", "COMMENT_TEXT",
                               "CREATED_DATE"})
_ELAPSED_EDIT_KEYS = frozenset({"SECONDS", "MINUTES", "COMMENT_TEXT", "CREATED_DATE"})
_ELAPSED_ORDER = frozenset({"ID", "USER_ID", "MINUTES", "SECONDS", "CREATED_DATE",
                            "DATE_START", "DATE_STOP"})


@handler("task.elapseditem.add")
def elapsed_add(ctx: Context, params: dict[str, Any]) -> int:
    task_id, fields = positional(params, "ctaskelapseditem::add",
                                 (_TASK, Arg("arFields", "array", keys=_ELAPSED_ADD_KEYS)))
    found = readable_task(ctx, task_id, _no_task())
    if not actions(ctx, found, ctx.user_id)["ELAPSEDTIME.ADD"]:
        raise legacy_error(4, "")
    return elapsed.add_record(ctx, task_id, fields)


@handler("task.elapseditem.getlist")
def elapsed_list(ctx: Context, params: dict[str, Any]) -> Reply:
    given = list(params.values())
    # Without a task id first, the list is of every task's records (the server shifts the
    # parameters the same way).
    args = [0, *given] if given and isinstance(given[0], (dict, list)) else given
    values = positional({str(i): v for i, v in enumerate(args)}, "ctaskelapseditem::getlist",
                        (Arg("taskId", "integer", False), Arg("arOrder", "array", False,
                                                                 _ELAPSED_ORDER),
                         Arg("arFilter", "array", False), Arg("arSelect", "array", False),
                         Arg("arParams", "array", False)))
    task_id = values[0] if values else 0
    order = values[1] if len(values) > 1 and isinstance(values[1], dict) else {}
    if task_id:
        readable_task(ctx, task_id, _no_task())
        rows = elapsed.records(ctx, task_id, order)
    else:
        rows = [row for row in elapsed.records(ctx, None, order)
                if _readable(ctx, row["task_id"])]
    return Reply([elapsed.record_json(row) for row in rows], total=len(rows))


def _readable(ctx: Context, task_id: int) -> bool:
    found = task(ctx, task_id)
    return found is not None and can_read(ctx, found, ctx.user_id)


def _record(ctx: Context, task_id: int, item_id: int, modify: bool) -> Any:
    row = elapsed.record(ctx, item_id)
    if row is None or row["task_id"] != task_id or not _readable(ctx, task_id):
        # The server fails to find the record and has no message for it.
        raise core_error("TASKS_ERROR_UNKNOWN")
    if modify and row["user_id"] != ctx.user_id and not is_admin(ctx, ctx.user_id):
        raise legacy_error(4, "")
    return row


@handler("task.elapseditem.get")
def elapsed_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id, item_id = positional(params, "ctaskelapseditem::get", (_TASK, _ITEM))
    return elapsed.record_json(_record(ctx, task_id, item_id, modify=False))


@handler("task.elapseditem.update")
def elapsed_update(ctx: Context, params: dict[str, Any]) -> None:
    task_id, item_id, fields = positional(
        params, "ctaskelapseditem::update",
        (_TASK, _ITEM, Arg("arFields", "array", keys=_ELAPSED_EDIT_KEYS)))
    elapsed.update_record(ctx, _record(ctx, task_id, item_id, modify=True), fields)


@handler("task.elapseditem.delete")
def elapsed_delete(ctx: Context, params: dict[str, Any]) -> None:
    task_id, item_id = positional(params, "ctaskelapseditem::delete", (_TASK, _ITEM))
    elapsed.delete_record(ctx, _record(ctx, task_id, item_id, modify=True))
