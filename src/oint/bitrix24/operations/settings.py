"""Settings and administartion (OPI's spelling of the region)."""

from __future__ import annotations

from .._spec import Operation

REGION = "Settings and administartion"

SERVER_TIME = Operation(
    "ServerTime",
    REGION,
    "Get the portal's current time",
    method="server.time",
    reads=True,
    result="str",
)

OPERATIONS = (SERVER_TIME,)
