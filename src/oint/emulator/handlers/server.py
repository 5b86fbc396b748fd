"""Portal-wide methods: ``server.time``."""

from __future__ import annotations

from typing import Any

from ..timing import iso
from ._registry import Context, handler


@handler("server.time")
def server_time(ctx: Context, params: dict[str, Any]) -> str:
    return iso(ctx.now)
