"""Every fixture in tests/fixtures/mail is understood exactly as its golden file says.

When a change is intended, run `python -m tests.regenerate_goldens` and read the diff of every
golden it rewrote before committing.
"""

from __future__ import annotations

import json

import pytest

from tests.regenerate_goldens import FIXTURES, dump, names, understand

NAMES = names()


def test_there_are_enough_fixtures() -> None:
    assert len(NAMES) >= 60
    missing = [n for n in NAMES if not (FIXTURES / f"{n}.expected.json").exists()]
    assert missing == []


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    actual = json.loads(dump(understand(name)))
    # Compare piece by piece so a failure says which part of the understanding changed.
    assert actual["customer"] == expected["customer"]
    assert actual["customer_not_found"] == expected["customer_not_found"]
    assert actual["skipped"] == expected["skipped"]
    assert [(m["from_email"], m["source"]) for m in actual["messages"]] == [
        (m["from_email"], m["source"]) for m in expected["messages"]
    ]
    assert actual["messages"] == expected["messages"]
