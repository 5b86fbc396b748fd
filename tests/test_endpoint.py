"""Webhook URLs and domain + token endpoints (pure: no HTTP)."""

from __future__ import annotations

import json

import pytest

from oint.bitrix24 import ApiRequest, UsageError
from oint.bitrix24._http.core import ClientCore
from oint.bitrix24._http.endpoint import Endpoint


@pytest.mark.parametrize(
    "url",
    [
        "https://b24-x.bitrix24.by/rest/1/abc123",
        "b24-x.bitrix24.by/rest/1/abc123",
        "https://b24-x.bitrix24.by/rest/1/abc123/",
        "https://b24-x.bitrix24.by/rest/1/abc123.json",
        "  https://b24-x.bitrix24.by/rest/1/abc123  ",
    ],
)
def test_webhook_url_forms(url: str) -> None:
    endpoint = Endpoint.parse(url)
    assert endpoint.url_for("im.chat.add") == "https://b24-x.bitrix24.by/rest/1/abc123/im.chat.add"
    assert endpoint.token is None
    assert endpoint.secrets == ("abc123",)


def test_explicit_http_is_kept() -> None:
    endpoint = Endpoint.parse("http://127.0.0.1:8024/rest/1/abc123")
    assert endpoint.url_for("server.time") == "http://127.0.0.1:8024/rest/1/abc123/server.time"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("b24-x.bitrix24.by", "https://b24-x.bitrix24.by/rest/im.chat.add"),
        ("https://b24-x.bitrix24.by/", "https://b24-x.bitrix24.by/rest/im.chat.add"),
        ("b24-x.bitrix24.by/rest/", "https://b24-x.bitrix24.by/rest/im.chat.add"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/rest/im.chat.add"),
    ],
)
def test_domain_and_token(url: str, expected: str) -> None:
    endpoint = Endpoint.parse(url, "tok-secret")
    assert endpoint.url_for("im.chat.add") == expected
    assert endpoint.token == "tok-secret"


@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("", None, "no portal URL"),
        ("b24-x.bitrix24.by", None, "no token was given"),
        ("https://b24-x.bitrix24.by/rest/1/abc", "tok", "not both"),
        ("ftp://b24-x.bitrix24.by/rest/1/abc", None, "not an http"),
        ("https://b24-x.bitrix24.by/rest/1/abc?x=1", None, "query"),
    ],
)
def test_bad_endpoints_are_usage_errors(url: str, token: str | None, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        Endpoint.parse(url, token)
    assert "abc" not in str(caught.value)


def test_token_goes_into_the_body_as_auth() -> None:
    core = ClientCore("portal.example", "tok-secret")
    call = core.prepare(ApiRequest("im.chat.add", {"TITLE": "x"}))
    assert json.loads(call.content) == {"TITLE": "x", "auth": "tok-secret"}
    assert core.describe_json(call)["body"]["auth"] == "***"


def test_falsy_values_are_sent_and_none_is_not() -> None:
    core = ClientCore("https://portal.example/rest/1/code")
    params = {"zero": 0, "no": False, "empty": "", "list": [], "none": None}
    call = core.prepare(ApiRequest("x.y", params))
    assert json.loads(call.content) == {"zero": 0, "no": False, "empty": "", "list": []}
    assert "code" not in core.describe(call)
