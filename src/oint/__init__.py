"""oint: drive Bitrix24 from Python and from the shell.

``import oint`` stays cheap on purpose: the HTTP stack and the emulator are imported
only by the code paths that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
