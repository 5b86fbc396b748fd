"""A 200 MB file up the two-step way and back down, in a child process whose peak memory
(``VmHWM``) must stay under 100 MB: the client streams both ways, never holding the
file. The emulator keeps the bytes beside its SQLite file (``--db``). A few seconds on
loopback; the figures are printed (``pytest -s``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from clients import BucketlessClient
from oint.emulator.process import launch

SIZE = 200 * 1024 * 1024
PEAK_LIMIT_KB = 100 * 1024

CHILD = """
import json, resource, sys, time
from oint.bitrix24 import Client

url, folder, source, target = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with Client(url, limits=None) as b24:
    began = time.monotonic()
    made = b24.upload_file_to_folder("big.bin", source, folder).result
    uploaded = time.monotonic()
    saved = b24.download(int(made["ID"]), target).result
    done = time.monotonic()
def peak_kb():
    # VmHWM belongs to this program's own memory: ru_maxrss also counts what the parent
    # (pytest, large) had when it forked this process, before exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

print(json.dumps({"size": int(made["SIZE"]), "saved": saved["size"],
                  "upload_s": uploaded - began, "download_s": done - uploaded,
                  "peak_kb": peak_kb()}))
"""


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while piece := file.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def test_200_mb_up_and_down_in_little_memory(tmp_path: Path) -> None:
    source, target = tmp_path / "source.bin", tmp_path / "target.bin"
    block = os.urandom(1 << 20)
    with open(source, "wb") as file:
        for index in range(SIZE >> 20):  # a different megabyte each time
            file.write(block[index:] + block[:index])
    with launch(db=str(tmp_path / "portal.db")) as portal:
        with BucketlessClient(portal.webhook_url) as b24:
            common = b24.call("disk.storage.getlist", {"filter": {"ENTITY_TYPE": "common"}})
            folder = b24.create_storage_folder(int(common.result[0]["ID"]), "Large").result
        done = subprocess.run(
            [sys.executable, "-c", CHILD, portal.webhook_url, str(folder["ID"]), str(source),
             str(target)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    print(f"\n200 MB two-step upload and download: {figures}")
    assert figures["size"] == figures["saved"] == SIZE
    assert _sha(target) == _sha(source)
    assert figures["peak_kb"] < PEAK_LIMIT_KB
