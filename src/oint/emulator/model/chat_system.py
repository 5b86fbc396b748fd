"""The messages a group chat gets from the server itself (author 0), and their texts.

A real group chat is never empty: creating it posts a greeting and a banner, inviting,
removing and leaving post theirs, and so do a new title, colour or picture. Their texts and
``params`` are the im module's (its English ``lang`` files, ``Bitrix\\Im\\V2\\Chat``,
``GroupChat`` and ``CIMChat``), as ``im.dialog.messages.get`` shows them: ``CODE`` comes
back as a list there, ``NOTIFY`` and ``COMPONENT_ID`` as text. Each is posted on a member's
action, who has read it; the greeting and the banner raise nobody's counter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import Actor
from .chat import add_message
from .notify import add_notification
from .users import full_name, user_row

__all__ = ["BANNER_TEXT", "COLOR_TITLES", "announce_change", "announce_invited",
           "announce_removed", "greet"]

BANNER_TEXT = "Group chat. Communicate, share files, leave comments and likes."
# Color::getName in English (lib/color.php): the names a colour change and a default title use.
COLOR_TITLES = {
    "RED": "Red", "GREEN": "Green", "MINT": "Mint", "LIGHT_BLUE": "Sky blue",
    "DARK_BLUE": "Blue", "PURPLE": "Purple", "AQUA": "Aqua", "PINK": "Pink", "LIME": "Lime",
    "BROWN": "Brown", "AZURE": "Azure", "KHAKI": "Khaki", "SAND": "Sand",
    "MARENGO": "Marengo", "GRAY": "Grey", "GRAPHITE": "Graphite",
}
_QUIET = {"NOTIFY": "N"}
_JOINED = {"CODE": ["CHAT_JOIN"], "NOTIFY": "N"}
_LEFT = {"CODE": ["CHAT_LEAVE"], "NOTIFY": "N"}


def _mention(user_id: int) -> str:
    return f"[USER={user_id}][/USER]"


def _post(ctx: Actor, chat_id: int, text: str, params: Mapping[str, Any] | None = None,
          *, counted: bool = True) -> int:
    return add_message(ctx, chat_id, 0, text, params, counted=counted)


def _name(ctx: Actor) -> str:
    row = user_row(ctx, ctx.user_id)
    return full_name(row) if row is not None else ""


def greet(ctx: Actor, chat_id: int) -> None:
    """A new chat's greeting and banner (GroupChat::sendGreetingMessage, sendBanner)."""
    _post(ctx, chat_id, f"{_mention(ctx.user_id)} created a chat.", _QUIET, counted=False)
    _post(ctx, chat_id, BANNER_TEXT, {"COMPONENT_ID": "ChatCreationMessage", **_QUIET},
          counted=False)


def announce_invited(ctx: Actor, chat_id: int, user_ids: Iterable[int]) -> None:
    """Members the caller added (Chat::sendMessageUsersAdd); nothing when there are none."""
    invited = ", ".join(_mention(user) for user in user_ids)
    if invited:
        _post(ctx, chat_id, f"{_mention(ctx.user_id)} invited {invited} to chat.", _JOINED)


def announce_removed(ctx: Actor, chat_id: int, user_id: int) -> None:
    """A member who left, or whom the caller removed (Chat::sendMessageUserDelete); the
    removed one also gets a notification saying who did it."""
    if user_id == ctx.user_id:
        _post(ctx, chat_id, f"{_mention(user_id)} left the chat.", _LEFT)
        return
    _post(ctx, chat_id, f"{_mention(ctx.user_id)} removed {_mention(user_id)} from the chat.",
          _LEFT)
    # IM_CHAT_KICK_NOTIFICATION, a system one (its title, the chat's name, is not kept).
    add_notification(ctx, user_id, "SYSTEM",
                     f"[USER={ctx.user_id}]{_name(ctx)}[/USER] removed you from chat.",
                     tag=None, sub_tag=None, attach=None)


def announce_change(ctx: Actor, chat_id: int, what: str, value: str = "") -> None:
    """A new title, colour or picture (CIMChat::Rename, SetColor, CIMDisk::UpdateAvatarId):
    named with the caller's full name, without params."""
    texts = {
        "title": f'{_name(ctx)} changed chat name to "{value}".',
        "color": f'{_name(ctx)} changed chat color to "{COLOR_TITLES.get(value, value)}".',
        "avatar": f"{_name(ctx)} changed the chat icon",
    }
    _post(ctx, chat_id, texts[what])
