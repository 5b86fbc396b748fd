"""Portal-wide methods: ``server.time``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._registry import Context, handler


@handler("server.time")
def server_time(ctx: Context, params: dict[str, Any]) -> str:
    return dt.datetime.fromtimestamp(ctx.now, dt.timezone.utc).isoformat(timespec="seconds")
