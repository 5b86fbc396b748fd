"""Start-up of the CLI and of ``import oint.bitrix24``, and whether it grows with the table.

    .venv/bin/python bench/startup.py [--runs 30] [--before REV ...]

Copies of the package are made in a temporary folder: the table as it is, the same table
with its empty regions filled by synthetic operations (clones of the declared ones) up to
OPI's 179 when fewer are declared, and the package at each ``--before`` git revision (an
earlier table, e.g. the 44 operations the regions were added to). Each command runs
``--runs`` times against every copy, alternating, beside ``python -c pass``; medians are
printed with their ratio to ``python -c pass`` and to the first copy (1.00x: no growth). No
request leaves the machine: the remote command runs with ``--test``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed import environment
from revisions import package_at

SOURCE = Path(__file__).resolve().parent.parent / "src" / "oint"
OPI_TOTAL = 179
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "import oint.bitrix24": ["-c", "import oint.bitrix24"],
    "oint bitrix24 GetChatStructure": ["-m", "oint", "bitrix24", "GetChatStructure"],
    "oint bitrix24 CreateChat --test": [
        "-m", "oint", "bitrix24", "CreateChat", "--url", "https://b24-x.bitrix24.com/rest/1/c",
        "--fields", "{'TYPE':'CHAT','TITLE':'Private chat','USERS':[10,1]}", "--test"],
}

# Fills an empty region with clones of declared operations (new names, same shapes).
_SYNTHETIC = '''
from .._spec import Operation
from .{source} import OPERATIONS as _SOURCE


def _clone(op: Operation, number: int) -> Operation:
    return Operation(
        f"{{op.name}}Synthetic{{number}}", REGION, op.summary, method=op.method,
        params=op.params, reads=op.reads, result=op.result, fixed=op.fixed, build=op.build,
        local=op.local, service=op.service, transform=op.transform, steps=op.steps,
        example=op.example,
    )


OPERATIONS = tuple(_clone(_SOURCE[n % len(_SOURCE)], {start} + n) for n in range({count}))
'''


def _copy(target: Path) -> Path:
    package = target / "src" / "oint"
    shutil.copytree(SOURCE, package, ignore=shutil.ignore_patterns("__pycache__"))
    return target / "src"


def _fill(src: Path) -> int:
    """Fill the empty regions of a copy up to OPI's total; the number of operations."""
    env = environment(src)
    probe = ("from oint.bitrix24.operations import REGION_MODULES, region\n"
             "print(' '.join(f'{m}:{len(region(m).OPERATIONS)}' for m in REGION_MODULES))")
    counts = dict(
        (name, int(count)) for name, count in (
            item.split(":") for item in subprocess.run(
                [sys.executable, "-c", probe], env=env, check=True, capture_output=True,
                text=True).stdout.split()))
    missing = OPI_TOTAL - sum(counts.values())
    empty = [name for name, count in counts.items() if count == 0]
    sources = [name for name, count in counts.items() if count > 0 and name != "settings"]
    if missing <= 0 or not empty:
        return sum(counts.values())
    for index, name in enumerate(empty):
        share = missing // len(empty) + (1 if index < missing % len(empty) else 0)
        path = src / "oint" / "bitrix24" / "operations" / f"{name}.py"
        text = path.read_text(encoding="utf-8")
        text = text.replace("OPERATIONS: tuple[Operation, ...] = ()\n", "")
        path.write_text(text + _SYNTHETIC.format(
            source=sources[index % len(sources)], start=index * 100, count=share),
            encoding="utf-8")
    subprocess.run([sys.executable, "-m", "oint.bitrix24._codegen"], env=env, check=True,
                   capture_output=True)
    return OPI_TOTAL


def _once(arguments: list[str], src: Path) -> float:
    env = environment(src)
    began = time.perf_counter()
    subprocess.run([sys.executable, *arguments], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--before", action="append", default=[], metavar="REV",
                        help="also time the package at this git revision")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oint-startup-") as folder:
        tables: list[tuple[str, Path]] = []
        for revision in options.before:
            src = package_at(revision, Path(folder) / f"at-{revision}")
            tables.append((f"{revision} ({_declared(src)} ops)", src))
        today = _copy(Path(folder) / "today")
        tables.append((f"now ({_declared(today)} ops)", today))
        if _declared(today) < OPI_TOTAL:
            full = _copy(Path(folder) / "full")
            tables.append((f"now, filled ({_fill(full)} ops)", full))
        samples: dict[tuple[str, str], list[float]] = {}
        for _, src in tables:  # the bytecode caches, as an installed package has them
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)],
                           env=environment(src), check=True, stdout=subprocess.DEVNULL)
        for _ in range(options.runs):
            for name, arguments in COMMANDS.items():
                for label, src in tables:
                    samples.setdefault((name, label), []).append(_once(arguments, src))
    median = {key: statistics.median(values) for key, values in samples.items()}
    first = tables[0][0]
    base = median[("python -c pass", first)]
    print(f"median wall time of {options.runs} runs each, python {sys.version.split()[0]}")
    print()
    print("| command | " + " | ".join(f"{label}: ms, vs python, vs {first.split()[0]}"
                                      for label, _ in tables) + " |")
    print("|---|" + "---|" * len(tables))
    for name in COMMANDS:
        cells = []
        for label, _ in tables:
            value = median[(name, label)]
            cells.append(f"{value * 1000:.1f}, {value / base:.1f}x, "
                         f"{value / median[(name, first)]:.2f}x")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _declared(src: Path) -> int:
    env = environment(src)
    out = subprocess.run(
        [sys.executable, "-c", "from oint.bitrix24 import operations;"
                               "print(len(operations.ALL))"],
        env=env, check=True, capture_output=True, text=True).stdout
    return int(out)


if __name__ == "__main__":
    main()
