"""Settings and administartion (OPI's spelling of the region).

GetToken and RefreshToken talk to the OAuth server, not to the portal, so they take no
portal URL and no access token and name that ``service``: the server is ``https://oauth.bitrix.info``
unless ``server`` names another (the emulator serves one at ``/oauth/token/``). Each is one
step (a form POST, so that the secrets travel in the body, never in a URL), so ``--test``
shows it, secrets hidden, and sends nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from .._spec import Example, ExamplePortal, Kind, Operation, Param, ServiceRequest, Steps

REGION = "Settings and administartion"

CLIENT_ID = Param("client_id", "clientid", Kind.TEXT, "Application client ID")
CLIENT_SECRET = Param("client_secret", "clientsecret", Kind.TEXT, "Application client secret")
SERVER = Param(
    "server", "server", Kind.TEXT, "OAuth server (default https://oauth.bitrix.info)",
    required=False,
)


# The OAuth module is imported by the runners, not here: a command of this region that does
# not need it should not pay for its import.


def _auth_link(args: dict[str, Any]) -> str:
    from .._auth import oauth

    return oauth.auth_link(args["domain"], args["client_id"])


def _token_step(grant: str, args: dict[str, Any]) -> ServiceRequest:
    from .._auth import oauth

    build = oauth.code_request if grant == "code" else oauth.refresh_request
    request = build(args.get("server"), args["client_id"], args["client_secret"], args[grant])
    return ServiceRequest(
        request.url, "oauth/token", form=request.params, secrets=request.secrets,
        reply=partial(oauth.read_reply, secrets=request.secrets),
    )


def _get_token(args: dict[str, Any]) -> Steps:
    return (yield _token_step("code", args))


def _refresh_token(args: dict[str, Any]) -> Steps:
    return (yield _token_step("refresh", args))



def _code_grant(portal: ExamplePortal) -> dict[str, str]:
    grant = portal.oauth_grant()
    return {"client_id": grant["client_id"], "client_secret": grant["client_secret"],
            "code": grant["code"], "server": portal.base_url}


def _refresh_grant(portal: ExamplePortal) -> dict[str, str]:
    grant = portal.oauth_grant()
    return {"client_id": grant["client_id"], "client_secret": grant["client_secret"],
            "refresh": grant["refresh_token"], "server": portal.base_url}


GET_APP_AUTH_LINK = Operation(
    "GetAppAuthLink",
    REGION,
    "Get the link where a user grants the application access",
    params=(Param("domain", "domain", Kind.TEXT, "Portal domain"), CLIENT_ID),
    reads=True,
    result="str",
    local=_auth_link,
    example=Example({"domain": "b24-example.bitrix24.com",
                     "client_id": "local.6667fc928a50a9.70414732"}),
)

GET_TOKEN = Operation(
    "GetToken",
    REGION,
    "Exchange an authorization code for tokens at the OAuth server",
    params=(CLIENT_ID, CLIENT_SECRET, Param("code", "code", Kind.TEXT, "Authorization code"),
            SERVER),
    result="dict[str, Any]",
    steps=_get_token,
    service="OAuth server: POST /oauth/token/",
    example=Example(setup=_code_grant),
)

REFRESH_TOKEN = Operation(
    "RefreshToken",
    REGION,
    "Get a new token pair for a refresh token at the OAuth server",
    params=(CLIENT_ID, CLIENT_SECRET, Param("refresh", "refresh", Kind.TEXT, "Refresh token"),
            SERVER),
    result="dict[str, Any]",
    steps=_refresh_token,
    service="OAuth server: POST /oauth/token/",
    example=Example(setup=_refresh_grant),
)

SERVER_TIME = Operation(
    "ServerTime",
    REGION,
    "Get the portal's current time",
    method="server.time",
    reads=True,
    result="str",
    example=Example(),
)

OPERATIONS = (GET_APP_AUTH_LINK, GET_TOKEN, REFRESH_TOKEN, SERVER_TIME)
