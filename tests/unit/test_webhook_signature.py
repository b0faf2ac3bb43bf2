"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>", and the README's recipe agrees."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from faturas.webhooks.signature import sign, verify
from tests.conftest import REPO_ROOT

SECRET = "whsec_test"
BODY = b'{"data":{"invoice_id":1},"id":"e1","type":"invoice.stored"}'


def test_a_signature_verifies_with_its_secret_and_body_only() -> None:
    now = int(time.time())
    header = sign(SECRET, BODY, now)
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    assert verify(SECRET, BODY, header)
    assert not verify("whsec_other", BODY, header)
    assert not verify(SECRET, BODY + b" ", header)
    assert not verify(SECRET, BODY, header.replace(f"t={now}", f"t={now + 1}"))  # the timestamp is signed


def test_old_and_future_timestamps_are_refused_replays() -> None:
    now = time.time()
    old = sign(SECRET, BODY, int(now) - 301)
    assert not verify(SECRET, BODY, old, now=now)
    assert verify(SECRET, BODY, old, now=now, tolerance_seconds=600)
    assert not verify(SECRET, BODY, sign(SECRET, BODY, int(now) + 301), now=now)


@pytest.mark.parametrize("header", ["", "v1=abc", "t=soon,v1=abc", "t=1", "garbage"])
def test_malformed_headers_do_not_verify(header: str) -> None:
    assert not verify(SECRET, BODY, header)


def readme_recipe() -> Callable[..., Any]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "the README's Webhooks section shows a Python recipe"
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    recipe: Callable[..., Any] = namespace["verify"]
    return recipe


def test_the_readme_recipe_verifies_what_faturas_signs() -> None:
    recipe = readme_recipe()
    header = sign(SECRET, BODY, int(time.time()))
    assert recipe(SECRET, BODY, header) is True
    assert recipe("whsec_other", BODY, header) is False
    assert recipe(SECRET, BODY, sign(SECRET, BODY, int(time.time()) - 3600)) is False
