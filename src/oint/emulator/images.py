"""The pictures behind the absolute URLs the messenger's replies carry.

A user without a photo has ``avatar_hr`` pointing at the portal's blank image, and a chat
with a picture has an ``avatar`` URL; a client that follows either gets an image, as from
a real portal.
"""

from __future__ import annotations

import base64

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .model.chat import stored_avatar
from .store import Store

__all__ = ["BLANK_PATH", "chat_avatar_path", "image_routes"]

BLANK_PATH = "/bitrix/js/im/images/blank.gif"
# A transparent 1x1 GIF, the kind of picture the portal's blank.gif is.
_BLANK = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
_TYPES = {b"\x89PNG": "image/png", b"GIF8": "image/gif", b"\xff\xd8\xff": "image/jpeg",
          b"BM": "image/bmp", b"RIFF": "image/webp"}


def chat_avatar_path(chat_id: int) -> str:
    return f"/upload/im/chat{chat_id}/avatar"


def _media_type(data: bytes) -> str:
    return next((kind for magic, kind in _TYPES.items() if data.startswith(magic)),
                "application/octet-stream")


def image_routes(store: Store) -> list[Route]:
    async def blank(request: Request) -> Response:
        return Response(_BLANK, media_type="image/gif")

    async def chat_avatar(request: Request) -> Response:
        # Imported here: the handlers import this module for its paths.
        from .handlers._image import decode_base64

        encoded = stored_avatar(store, int(request.path_params["chat_id"]))
        data = decode_base64(encoded) if encoded else None
        if data is None:
            return Response(b"", status_code=404)
        return Response(data, media_type=_media_type(data))

    return [
        Route(BLANK_PATH, blank, methods=["GET"]),
        Route("/upload/im/chat{chat_id:int}/avatar", chat_avatar, methods=["GET"]),
    ]
