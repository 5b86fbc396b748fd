"""No secret oint sends reaches a log in clear: a filter on the loggers of the HTTP stack.

httpx logs each request's URL at INFO (a webhook URL holds its code) and httpcore, at
DEBUG, each reply's headers (a ``Location`` may hold it too). The application owns the
handlers, so the filter sits on those loggers themselves. It hides the secrets of every
live client (codes, tokens, client secrets, passwords) and whatever sits where a URL keeps
one, whoever logs the record.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from .endpoint import redact

__all__ = ["HTTP_LOGGERS", "SecretFilter", "install", "watch", "watching"]

HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _HasSecrets(Protocol):
    @property
    def secrets(self) -> tuple[str, ...]: ...


_lock = threading.Lock()
# By identity: a source need not be hashable, and it leaves when it is collected.
_sources: weakref.WeakValueDictionary[int, _HasSecrets] = weakref.WeakValueDictionary()


def watch(source: _HasSecrets) -> None:
    """Hide ``source.secrets`` (read afresh for each record) in every HTTP log record."""
    with _lock:
        _sources[id(source)] = source


@contextmanager
def watching(source: _HasSecrets) -> Iterator[None]:
    watch(source)
    try:
        yield
    finally:
        with _lock:
            _sources.pop(id(source), None)


def _live_secrets() -> list[str]:
    with _lock:
        sources = list(_sources.values())
    return [secret for source in sources for secret in source.secrets]


class SecretFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted carries nothing readable
            return True
        hidden = redact(message, _live_secrets())
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def install() -> None:
    """Put the filter on the HTTP stack's loggers (once; a logger exists, and keeps its
    filters, from the first time its name is asked for, before or after httpx loads)."""
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretFilter) for f in logger.filters):
            logger.addFilter(SecretFilter())


install()  # whoever loads this module (a client, a token request) is covered from then on
