"""The success envelope of a Bitrix24 call, kept whole."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

from ._errors import ServerError

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
        return self._count("total")

    @property
    def next(self) -> int | None:
        return self._count("next")

    def _count(self, key: str) -> int | None:
        value = self._envelope.get(key)
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            raise ServerError(
                "ERROR_UNEXPECTED_ANSWER", f"the reply's {key} is not a number: {value!r:.40}",
                method=self.method,
            ) from None

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
        extra = f", total={self._envelope['total']!r}" if "total" in self._envelope else ""
        return f"<Response {self.method or ''} result={self.result!r}{extra}>"
