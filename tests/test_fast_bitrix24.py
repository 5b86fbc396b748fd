"""A script written for fast_bitrix24, a Bitrix24 client nobody here wrote, runs unchanged
against the emulator: ``get_all`` of users and of deals reads every page.

fast_bitrix24 is not a dependency of oint; the test is skipped where it is not installed
(``pip install fast-bitrix24==1.8.14``, as bench/run.sh installs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from clients import BucketlessClient
from oint.bitrix24 import calls
from oint.emulator.process import launch

pytest.importorskip("fast_bitrix24")

# As a fast_bitrix24 user writes it: the webhook from the environment, get_all for lists.
SCRIPT = """
import json, os
from fast_bitrix24 import Bitrix

b = Bitrix(os.environ["B24_WEBHOOK"], verbose=False)
users = b.get_all("user.get")
deals = b.get_all("crm.deal.list", params={
    "select": ["ID", "TITLE", "OPPORTUNITY", "STAGE_ID"],
    "filter": {">OPPORTUNITY": 1000},
})
sales = b.get_all("user.get", params={"FILTER": {"UF_DEPARTMENT": 2}})
print(json.dumps({"users": users, "deals": deals, "sales": sales}))
"""


def test_a_fast_bitrix24_script_reads_every_page() -> None:
    with launch() as portal, BucketlessClient(portal.webhook_url) as b24:
        b24.batch([calls.create_user({"EMAIL": f"{uuid.uuid4()}@example.org",
                                      "NAME": f"Hire {i}", "UF_DEPARTMENT": 2})
                   for i in range(40)])
        b24.batch([calls.create_deal({"TITLE": f"Deal {i}", "OPPORTUNITY": i * 100,
                                      "STAGE_ID": "WON" if i % 3 else "NEW"})
                   for i in range(130)])
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
            env={**os.environ, "B24_WEBHOOK": portal.webhook_url + "/"}, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert sorted(int(u["ID"]) for u in found["users"]) == list(range(1, 61))
    assert sum("WORK_POSITION" not in u for u in found["users"]) >= 55  # nulls, met
    deals = found["deals"]
    assert sorted(d["TITLE"] for d in deals) == sorted(f"Deal {i}" for i in range(11, 130))
    assert len({d["ID"] for d in deals}) == len(deals)
    assert {frozenset(d) for d in deals} == {frozenset({"ID", "TITLE", "OPPORTUNITY",
                                                        "STAGE_ID"})}
    assert len(found["sales"]) == 4 + 40
