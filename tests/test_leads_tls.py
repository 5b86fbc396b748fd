"""The emulator over HTTPS (for clients that build https:// URLs), with a local certificate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from clients import BucketlessClient
from oint.bitrix24 import TransportError
from oint.emulator.process import launch


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_tls_with_a_locally_made_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    with launch(["--tls-cert", str(cert), "--tls-key", str(key), "--seed-leads", "60"]) as portal:
        assert portal.base_url.startswith("https://127.0.0.1:")
        with BucketlessClient(portal.webhook_url, verify=str(cert)) as b24:
            assert len(list(b24.iter_list("crm.lead.list"))) == 60
        with BucketlessClient(portal.webhook_url) as untrusting, pytest.raises(TransportError):
            untrusting.server_time()  # TLS verification stays on


def test_cert_and_key_go_together(cli: object) -> None:
    from oint.emulator.cli import run

    assert run(["--tls-cert", "x.pem"]) == 2
