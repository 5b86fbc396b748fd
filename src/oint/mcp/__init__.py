"""``oint mcp``: every declared operation as a Model Context Protocol tool.

The tools, their JSON schemas and annotations are derived from the operation declarations
(``oint.bitrix24.operations``), so a region that lands serves its tools by itself. Calls go
through ``AsyncClient.run``: the same limiter, safe retries, OAuth refresh and secret
redaction as the library. Only ``_server`` imports the MCP SDK (the ``mcp`` extra); the rest
is plain data and can be read and tested without it.
"""
