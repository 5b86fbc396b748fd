"""Which portal a command talks to: ``--url``/``--token``, or the environment."""

from __future__ import annotations

from ..bitrix24._errors import UsageError
from ._io import Console
from ._options import TOKEN_OPTION, URL_OPTION, Invocation

__all__ = ["ENV_TOKEN", "ENV_URL", "command_secrets", "endpoint_args"]

ENV_URL = "OINT_BITRIX24_URL"
ENV_TOKEN = "OINT_BITRIX24_TOKEN"


def command_secrets(invocation: Invocation, console: Console) -> list[str]:
    """The secrets this command line carries, to be hidden in everything it prints."""
    from ..bitrix24._http.endpoint import url_secrets  # not on a local command's path

    values = [invocation.values.get(TOKEN_OPTION), console.environ.get(ENV_TOKEN)]
    for url in (invocation.values.get(URL_OPTION), console.environ.get(ENV_URL)):
        values.extend(url_secrets(url or ""))
    return [v for v in values if v]


def endpoint_args(invocation: Invocation, console: Console) -> tuple[str, str | None]:
    url = invocation.values.get(URL_OPTION) or console.environ.get(ENV_URL)
    token = invocation.values.get(TOKEN_OPTION) or console.environ.get(ENV_TOKEN) or None
    if not url:
        raise UsageError(f"--url is required (or set {ENV_URL})")
    return url, token
