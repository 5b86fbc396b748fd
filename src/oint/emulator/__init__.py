"""A local Bitrix24 portal: a real HTTP server on loopback with a real SQLite store.

It imports nothing from the client; the two meet only over HTTP, so it also serves clients
nobody here wrote. Run it with ``oint emulator`` (needs the ``oint[emulator]`` extra).
"""
