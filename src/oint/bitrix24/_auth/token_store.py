"""Where the OAuth tokens live between runs.

Every refresh returns a new refresh token and retires the old one, so the new one must be
kept before anything else happens: a process that loses it can no longer refresh at all.
``FileTokenStore`` is the default; ``CallbackTokenStore`` hands the tokens to the caller's
own storage (a database, a secrets manager).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .._errors import TokenStoreError

__all__ = [
    "CallbackTokenStore",
    "FileTokenStore",
    "OAuthTokens",
    "RefreshLock",
    "SharedTokenStore",
    "TokenStore",
    "TokenStoreError",
    "default_token_path",
    "read_record",
]


@dataclass(frozen=True, repr=False)
class OAuthTokens:
    """An access token with the refresh token that renews it."""

    access_token: str
    refresh_token: str
    expires_at: float | None = None  # Unix time, when the OAuth server said
    client_endpoint: str | None = None

    def __repr__(self) -> str:
        # Tokens end up in logs through reprs; show only what is not secret.
        return f"OAuthTokens(expires_at={self.expires_at!r}, endpoint={self.client_endpoint!r})"

    def to_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "client_endpoint": self.client_endpoint,
        }

    @classmethod
    def from_json(cls, data: Any) -> OAuthTokens:
        keys = ("access_token", "refresh_token")
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key), str) and data[key] for key in keys
        ):
            raise ValueError("not a token record")
        expires = data.get("expires_at")
        endpoint = data.get("client_endpoint")
        return cls(
            data["access_token"],
            data["refresh_token"],
            float(expires) if isinstance(expires, (int, float)) else None,
            endpoint if isinstance(endpoint, str) else None,
        )


class TokenStore(Protocol):
    """Keeps the latest tokens. ``save`` is called after every refresh, before the call
    that needed it is repeated; ``load`` once, when a client starts."""

    def load(self) -> OAuthTokens | None: ...

    def save(self, tokens: OAuthTokens) -> None: ...


def read_record(text: str | bytes, where: str) -> OAuthTokens:
    """The tokens a store kept as JSON; ``where`` names the place for the error."""
    try:
        return OAuthTokens.from_json(json.loads(text))
    except ValueError:
        raise TokenStoreError(f"{where} is not a token record; delete it to start over"
                              ) from None


class RefreshLock(Protocol):
    def acquire(self) -> None:
        """Wait for the lock; raise ``TokenStoreError`` if it cannot be had in time."""

    def release(self) -> None: ...


class SharedTokenStore(TokenStore, Protocol):
    """A store that several processes use at once (``RedisTokenStore``). A refresh holds its
    lock, and first takes the pair another process may have stored meanwhile."""

    def refresh_lock(self) -> RefreshLock: ...


def default_token_path(client_id: str, portal: str) -> Path:
    """``$XDG_CONFIG_HOME/oint/bitrix24-tokens/<portal>-<client id>.json``."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{portal}-{client_id}")
    return base / "oint" / "bitrix24-tokens" / f"{name}.json"


class FileTokenStore:
    """Tokens in a JSON file only its owner can read (0600), replaced atomically, so a
    crash mid-write leaves the previous pair rather than half a file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def load(self) -> OAuthTokens | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TokenStoreError(
                f"cannot read the token file {self.path}: {exc.strerror}"
            ) from None
        return read_record(text, f"the token file {self.path}")

    def save(self, tokens: OAuthTokens) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file 0600, so the tokens are never readable by others,
            # not even for the moment before a chmod.
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(tokens.to_json(), handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TokenStoreError(
                f"cannot save the rotated tokens to {self.path}: {exc.strerror}"
            ) from None


class CallbackTokenStore:
    """The caller's own storage: ``save(tokens)`` after each refresh, ``load()`` at start."""

    def __init__(
        self,
        save: Callable[[OAuthTokens], None],
        load: Callable[[], OAuthTokens | None] | None = None,
    ) -> None:
        self._save = save
        self._load = load

    def load(self) -> OAuthTokens | None:
        return self._load() if self._load is not None else None

    def save(self, tokens: OAuthTokens) -> None:
        self._save(tokens)
