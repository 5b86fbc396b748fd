"""Each operation's request, built and checked but not sent: for ``batch`` and walks.

    b24.batch([calls.get_lead(1), calls.update_lead(2, {"TITLE": "x"})])

Every operation of one REST call has its function here. Operations of several requests
(each depending on the last reply, such as UploadFileToFolder) and local ones have none:
they cannot go into a batch, and asking for one says so. A function loads its region only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._generated.index import CALLS, NOT_BATCHABLE

if TYPE_CHECKING:
    from ._generated.calls_api import *  # noqa: F403  (every request function)

__all__ = sorted(CALLS)  # noqa: PLE0605


# Hidden from type checkers, so that a misspelt name is an error there, not Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = CALLS.get(name)
        if module is None:
            if name in NOT_BATCHABLE:
                raise AttributeError(
                    f"no request value, so it cannot go into a batch: {NOT_BATCHABLE[name]}"
                )
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f"._generated.calls.{module}", __package__), name)
        globals()[name] = value
        return value
