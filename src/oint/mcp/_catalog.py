"""What an ``oint mcp`` serves: which operations, and the tools that reach them.

By default a compact set of tools (find an operation, describe it, run it, read a list
with a limit, call any REST method), because clients choke on hundreds of tools; with
``--tools`` the chosen regions' operations become typed tools of their own too. Everything
comes from the declarations, in OPI's order: a region that lands is served by itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..bitrix24 import operations
from ..bitrix24._spec import Operation
from ._schema import description, input_schema, page_param, tool_annotations

__all__ = [
    "ALL_REGIONS",
    "CALL",
    "DESCRIBE",
    "FIND",
    "MAX_LIMIT",
    "READ_LIST",
    "RUN",
    "Catalog",
    "Tool",
    "ToolError",
]

FIND = "find_operations"
DESCRIBE = "describe_operation"
RUN = "run_operation"
READ_LIST = "read_list"
CALL = "call"
ALL_REGIONS = "all"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Enough to choose from; a longer list would only fill the model's context.
MAX_FOUND = 60


class ToolError(Exception):
    """A tool call that cannot be served, with a code the model can act on."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class Tool:
    """One MCP tool: a compact one (``operation`` None) or an operation's typed tool."""

    __slots__ = ("annotations", "description", "input_schema", "name", "operation")

    def __init__(self, name: str, description: str, input_schema: dict[str, Any],
                 annotations: dict[str, Any], operation: Operation | None = None) -> None:
        self.name = name
        self.description = description
        self.input_schema = input_schema
        self.annotations = annotations
        self.operation = operation


def _object(properties: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


_NAME = {"type": "string", "description": "The operation's name, e.g. CreateChat"}
_ARGUMENTS = {"type": "object", "default": {},
              "description": "The operation's arguments (describe_operation shows them)"}


def _hints(*, reads: bool, title: str, open_world: bool = True) -> dict[str, Any]:
    return {"title": title, "read_only_hint": reads, "destructive_hint": not reads,
            "idempotent_hint": reads, "open_world_hint": open_world}


class Catalog:
    """The served operations and the tools, for ``--tools`` regions and ``--read-only``.

    Operations that ask only the OAuth server (GetToken, RefreshToken) are never served:
    they take the application's secret and answer with tokens, which a model must not see.
    """

    def __init__(self, regions: Sequence[str] = (), *, read_only: bool = False) -> None:
        self.typed_regions = tuple(operations.REGION_MODULES) if ALL_REGIONS in regions \
            else tuple(regions)
        self.read_only = read_only
        self._tools: dict[str, Tool] | None = None

    # -- operations ---------------------------------------------------------------------

    def regions(self) -> Iterator[tuple[str, str, list[Operation]]]:
        """(module, title, served operations) of every region, in OPI's order."""
        for module in operations.REGION_MODULES:
            declared = operations.region(module)
            yield module, declared.REGION, [op for op in declared.OPERATIONS if self.serves(op)]

    def serves(self, op: Operation) -> bool:
        if not (op.needs_portal or op.is_local):
            return False
        return op.reads or not self.read_only

    def lookup(self, name: str) -> Operation:
        """A served operation by OPI name (any case) or Python name, or a ToolError saying
        why not."""
        op = operations.find(name.strip()) if name.strip() else None
        if op is None:
            raise ToolError("UNKNOWN_OPERATION",
                            f"no operation {name!r}; {FIND} finds them by words or region")
        if not (op.needs_portal or op.is_local):
            raise ToolError("NOT_SERVED", f"{op.name} sends the application's secret to the "
                            "OAuth server and answers with tokens; oint mcp does not serve it")
        if not self.serves(op):
            raise ToolError("READ_ONLY", f"{op.name} writes, and this server runs only "
                            "operations that read (--read-only)")
        return op

    def methods(self, *, reads: bool) -> frozenset[str]:
        """REST methods (lower case) the declared operations call to read, or to write."""
        return frozenset((op.method or "").lower() for op in operations.ALL
                         if op.method and op.reads == reads)

    # -- tools --------------------------------------------------------------------------

    def tools(self) -> list[Tool]:
        return list(self._by_name().values())

    def tool(self, name: str) -> Tool | None:
        return self._by_name().get(name)

    def _by_name(self) -> dict[str, Tool]:
        if self._tools is None:
            tools = self._compact()
            for module, _, served in self.regions():
                if module in self.typed_regions:
                    tools += [self.typed(op) for op in served]
            self._tools = {tool.name: tool for tool in tools}
        return self._tools

    @staticmethod
    def typed(op: Operation) -> Tool:
        return Tool(op.name, description(op), input_schema(op), tool_annotations(op), op)

    def _compact(self) -> list[Tool]:
        only_reads = self.read_only
        scope = "operations that read" if only_reads else "operations"
        return [
            Tool(FIND, f"Find Bitrix24 {scope} by words (in names, summaries, REST methods "
                 "and parameters) or by region. Without arguments: the regions and their "
                 "sizes.",
                 _object({
                     "words": {"type": "string",
                               "description": "Words that must all appear, e.g. 'lead list'"},
                     "region": {"type": "string",
                                "description": "A region, e.g. chats or leads"},
                 }),
                 _hints(reads=True, title="Find operations", open_world=False)),
            Tool(DESCRIBE, "Describe one operation: what it does, its REST method, the JSON "
                 "schema of its arguments, an example, whether it only reads.",
                 _object({"name": _NAME}, ["name"]),
                 _hints(reads=True, title="Describe an operation", open_world=False)),
            Tool(RUN, f"Run one of the {scope} with its arguments. Through the client's "
                 "rate limiter and safe retries; a write whose reply was lost is not sent "
                 "again and comes back as an error saying it may have run.",
                 _object({"name": _NAME, "arguments": _ARGUMENTS}, ["name"]),
                 _hints(reads=only_reads, title="Run an operation")),
            Tool(READ_LIST, "Read the records of a list operation (GetLeadsList, ...) page "
                 f"after page, up to a limit (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}); "
                 "says whether more are left.",
                 _object({
                     "name": _NAME,
                     "arguments": _ARGUMENTS,
                     "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                               "default": DEFAULT_LIMIT,
                               "description": "At most this many records"},
                 }, ["name"]),
                 _hints(reads=True, title="Read a list")),
            Tool(CALL, "Call any Bitrix24 REST method by name with its parameters, for what "
                 "no operation covers. Set reads=true only for a method that changes nothing "
                 "(it may then be repeated after a lost reply)."
                 + (" Only REST methods that the declared operations read with are allowed "
                    "(--read-only)." if only_reads else ""),
                 _object({
                     "method": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_.]*$",
                                "description": "REST method, e.g. crm.lead.get"},
                     "params": {"type": "object", "default": {},
                                "description": "The method's parameters"},
                     "reads": {"type": "boolean", "default": False,
                               "description": "The method only reads (safe to repeat)"},
                 }, ["method"]),
                 _hints(reads=only_reads, title="Call a REST method")),
        ]

    # -- what the compact tools answer --------------------------------------------------

    def find(self, words: str = "", region: str = "") -> dict[str, Any]:
        wanted = words.lower().split()
        area = region.strip().lower().replace("-", "_")
        if not wanted and not area:
            regions = [{"region": module, "title": title, "operations": len(served)}
                       for module, title, served in self.regions() if served]
            return {"regions": regions, "operations": sum(r["operations"] for r in regions)}
        found = []
        known = False
        for module, title, served in self.regions():
            if area and area not in (module, title.lower()):
                continue
            known = True
            found += [self._summary(op, module) for op in served
                      if all(word in _haystack(op, module) for word in wanted)]
        if area and not known:
            names = ", ".join(operations.REGION_MODULES)
            raise ToolError("UNKNOWN_REGION", f"no region {region!r}; regions: {names}")
        answer: dict[str, Any] = {"operations": found[:MAX_FOUND], "count": len(found)}
        if len(found) > MAX_FOUND:
            answer["more"] = f"{len(found) - MAX_FOUND} more: add words or a region"
        return answer

    def _summary(self, op: Operation, module: str) -> dict[str, Any]:
        return {"name": op.name, "region": module, "summary": op.summary, "where": op.where,
                "reads": op.reads}

    def describe(self, name: str) -> dict[str, Any]:
        op = self.lookup(name)
        tool = self.typed(op)
        answer: dict[str, Any] = {
            "name": op.name,
            "region": op.region,
            "summary": op.summary,
            "where": op.where,
            "reads": op.reads,
            "description": tool.description,
            "input_schema": tool.input_schema,
            "annotations": tool.annotations,
            "run_with": f"{RUN}(name={op.name!r}, arguments={{...}})"
                        + (f", or the tool {op.name}" if self.tool(op.name) else ""),
        }
        if page_param(op) is not None:
            answer["read_list"] = f"{READ_LIST}(name={op.name!r}) reads several pages"
        example = op.example.args if op.example is not None else None
        if example and _plain_json(example):
            answer["example_arguments"] = example
        return answer


def _haystack(op: Operation, module: str) -> str:
    texts = [op.name, op.python_name, op.summary, op.method or "", op.region, module]
    texts += [text for param in op.params for text in (param.name, param.help)]
    return " ".join(texts).lower()


def _plain_json(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))
