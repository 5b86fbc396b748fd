"""The fidelity report (bench/fidelity.py) finds nothing unexplained: every recording matches
the emulator's reply to the same call, but for version drift and KNOWN_DIFFERENCES."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from shapes import RECORDINGS

REPORT = Path(__file__).resolve().parent.parent / "bench" / "fidelity.py"


def test_every_recording_matches_but_for_drift_and_known_differences() -> None:
    spec = importlib.util.spec_from_file_location("fidelity", REPORT)
    assert spec is not None and spec.loader is not None
    fidelity = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fidelity)
    results = dict(fidelity.report())
    assert set(results) == {path.stem for path in RECORDINGS.glob("*.json")}
    unexplained = {name: [d for d, verdict in found if not verdict]
                   for name, found in results.items()}
    assert not {name: found for name, found in unexplained.items() if found}
