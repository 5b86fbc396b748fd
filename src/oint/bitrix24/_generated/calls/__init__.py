"""Generated from the operation declarations by ``oint.bitrix24._codegen``."""
