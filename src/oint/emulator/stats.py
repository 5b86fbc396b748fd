"""What the emulated portal saw: requests, refusals, injected faults and OAuth grants.

Tests compare these counts (and the rows stored) with what the client was asked to do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .store import Store

__all__ = ["Stats"]


@dataclass
class Stats:
    requests: int = 0  # REST requests received
    calls: Counter[str] = field(default_factory=Counter)  # method calls that ran
    refused: Counter[str] = field(default_factory=Counter)  # by the portal's own limits
    faults: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> method -> n
    oauth: Counter[str] = field(default_factory=Counter)  # grant type or error -> n

    def fault(self, kind: str, method: str) -> None:
        self.faults.setdefault(kind, Counter())[method] += 1

    def reset(self) -> None:
        self.requests = 0
        for counter in (self.calls, self.refused, self.oauth):
            counter.clear()
        self.faults.clear()

    def snapshot(self, store: Store) -> dict[str, Any]:
        tables = [
            str(row[0]) for row in store.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            "requests": self.requests,
            "calls": dict(self.calls),
            "refused": dict(self.refused),
            "faults": {kind: dict(by_method) for kind, by_method in self.faults.items()},
            "faults_total": sum(sum(c.values()) for c in self.faults.values()),
            "oauth": dict(self.oauth),
            # Table names come from sqlite_master, never from a request.
            "rows": {t: int(store.scalar(f'SELECT COUNT(*) FROM "{t}"')) for t in tables},  # noqa: S608
        }
