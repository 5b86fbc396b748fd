"""The success envelope of a Bitrix24 call, kept whole."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["Response"]

T = TypeVar("T")


class Response(Mapping[str, Any], Generic[T]):
    """One reply: ``result`` plus ``time`` and, for lists, ``total`` and ``next``.

    It reads like the JSON map OPI returns (``resp["result"]``, ``dict(resp)``) and has typed
    attributes for Python code (``resp.result``). It never changes after it is built.
    """

    __slots__ = ("_envelope", "method")

    def __init__(self, envelope: Mapping[str, Any], method: str | None = None) -> None:
        self._envelope = dict(envelope)
        self.method = method

    @property
    def result(self) -> T:
        value: T = self._envelope.get("result")  # type: ignore[assignment]
        return value

    @property
    def time(self) -> Mapping[str, Any]:
        value = self._envelope.get("time")
        return value if isinstance(value, Mapping) else {}

    @property
    def total(self) -> int | None:
        value = self._envelope.get("total")
        return int(value) if value is not None else None

    @property
    def next(self) -> int | None:
        value = self._envelope.get("next")
        return int(value) if value is not None else None

    def with_result(self, result: Any) -> Response[Any]:
        """The same envelope with another result (a declaration's ``transform``)."""
        return Response({**self._envelope, "result": result}, self.method)

    def json(self) -> dict[str, Any]:
        """The whole envelope as a plain dict (a copy)."""
        return dict(self._envelope)

    def __getitem__(self, key: str) -> Any:
        return self._envelope[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._envelope)

    def __len__(self) -> int:
        return len(self._envelope)

    def __repr__(self) -> str:
        extra = f", total={self.total}" if "total" in self._envelope else ""
        return f"<Response {self.method or ''} result={self.result!r}{extra}>"
