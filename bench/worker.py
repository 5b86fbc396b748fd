"""One client, one workload, in a process of its own; prints one JSON line of results.

    python bench/worker.py CLIENT WORKLOAD CONFIG_JSON

CLIENT is oint, fast_bitrix24 or b24pysdk; WORKLOAD is write (N calls of the write method
into one chat) or read (every lead's ID and TITLE, through the client's fastest documented
way) or walk (oint's iter_list of whole records with nothing kept, for the memory
figures). Each client is used as its documentation shows, with its defaults; only the
certificate is trusted through the environment (SSL_CERT_FILE, REQUESTS_CA_BUNDLE), as a
user would do for a private CA.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterable
from typing import Any

SELECT = ["ID", "TITLE"]


def _write_calls(config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    method, count = config["method"], config["count"]
    if method == "im.message.add":
        return [(method, {"DIALOG_ID": f"chat{config['chat']}", "MESSAGE": f"bench {i}"})
                for i in range(count)]
    return [(method, {"fields": {"TITLE": f"bench {i}"}}) for i in range(count)]


class _Tally:
    """Records seen, checked against the seeded ids 1..M without keeping the records."""

    def __init__(self, expected: int) -> None:
        self.seen = bytearray(expected + 1)
        self.records = 0
        self.duplicates = 0
        self.unexpected = 0

    def add(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.records += 1
            record_id = int(record["ID"])
            if not 0 < record_id < len(self.seen):
                self.unexpected += 1
            elif self.seen[record_id]:
                self.duplicates += 1
            else:
                self.seen[record_id] = 1

    def summary(self) -> dict[str, int]:
        found = sum(self.seen)
        return {"records": self.records, "missing": len(self.seen) - 1 - found,
                "duplicates": self.duplicates + self.unexpected}


def run_oint(workload: str, config: dict[str, Any]) -> dict[str, Any]:
    from oint.bitrix24 import Client, Response, calls

    with Client(config["webhook"], verify=config["cert"]) as b24:
        began = time.perf_counter()
        if workload == "write":
            outcomes = b24.batch(_write_calls(config))
            errors = [str(o) for o in outcomes if not isinstance(o, Response)]
            return {"seconds": time.perf_counter() - began, "errors": errors}
        tally = _Tally(config["count"])
        tally.add(b24.iter_list(calls.get_leads_list(), {"select": SELECT}))
        return {"seconds": time.perf_counter() - began, "errors": [], **tally.summary()}


def run_fast_bitrix24(workload: str, config: dict[str, Any]) -> dict[str, Any]:
    from fast_bitrix24 import Bitrix

    b24 = Bitrix(config["webhook"] + "/", verbose=False)
    began = time.perf_counter()
    errors: list[str] = []
    if workload == "write":
        items = [params for _, params in _write_calls(config)]
        try:
            b24.call(config["method"], items)
        except Exception as exc:  # its errors surface as exceptions
            errors.append(f"{type(exc).__name__}: {exc}")
        return {"seconds": time.perf_counter() - began, "errors": errors}
    tally = _Tally(config["count"])
    try:
        tally.add(b24.get_all("crm.lead.list", params={"select": SELECT}))
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    return {"seconds": time.perf_counter() - began, "errors": errors, **tally.summary()}


def run_b24pysdk(workload: str, config: dict[str, Any]) -> dict[str, Any]:
    from b24pysdk import BitrixWebhook, Client

    domain = config["webhook"].split("://", 1)[1].split("/rest/", 1)[0]
    user_and_code = config["webhook"].split("/rest/", 1)[1]
    client = Client(BitrixWebhook(domain=domain, webhook_token=user_and_code))
    began = time.perf_counter()
    errors: list[str] = []
    try:
        if workload == "write":
            if config["method"] == "im.message.add":
                requests = [client.im.message.add(p["DIALOG_ID"], message=p["MESSAGE"])
                            for _, p in _write_calls(config)]
            else:
                requests = [client.crm.lead.add(fields=p["fields"])
                            for _, p in _write_calls(config)]
            reply = client.call_batches(requests).result
            failed = getattr(reply, "result_error", None) or {}
            errors += [json.dumps(e) for e in (failed.values() if isinstance(failed, dict)
                                               else failed)]
            return {"seconds": time.perf_counter() - began, "errors": errors}
        tally = _Tally(config["count"])
        tally.add(client.crm.lead.list(select=SELECT).as_list_fast().result)
        return {"seconds": time.perf_counter() - began, "errors": errors, **tally.summary()}
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
        return {"seconds": time.perf_counter() - began, "errors": errors}


def run_walk(config: dict[str, Any]) -> dict[str, Any]:
    from oint.bitrix24 import AsyncClient, Client

    params = {"filter": {"<=ID": config["count"]}}
    tally = _Tally(config["count"])
    began = time.perf_counter()
    if config.get("async"):
        import asyncio

        async def walk() -> None:
            async with AsyncClient(config["webhook"], verify=config["cert"]) as b24:
                async for record in b24.iter_list("crm.lead.list", params):
                    tally.add((record,))

        asyncio.run(walk())
    else:
        with Client(config["webhook"], verify=config["cert"]) as b24:
            tally.add(b24.iter_list("crm.lead.list", params))
    return {"seconds": time.perf_counter() - began, "errors": [], **tally.summary()}


def _peak_rss_mb() -> float:
    # VmHWM is this process's own peak: ru_maxrss would carry over the parent's peak,
    # which Linux keeps across fork and exec.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    client, workload, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if workload == "walk":
        result = run_walk(config)
    else:
        # oint@REV is oint at an earlier revision, put on the path by throughput.py
        runner = {"oint": run_oint, "fast_bitrix24": run_fast_bitrix24,
                  "b24pysdk": run_b24pysdk}[client.partition("@")[0]]
        result = runner(workload, config)
    result["peak_rss_mb"] = _peak_rss_mb()
    result["errors"] = result["errors"][:5] + (
        [f"... {len(result['errors']) - 5} more"] if len(result["errors"]) > 5 else [])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
