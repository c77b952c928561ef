"""settings.example.toml documents every key of the settings model (set, or commented out as `# key = ...`)."""

from __future__ import annotations

import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from handoff.settings import Settings

EXAMPLE = Path(__file__).parent.parent / "settings.example.toml"


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The settings sections an annotation holds: a Section, a list of them, an optional one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    return []


def model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _models(field.annotation)
        if nested:
            for sub in nested:
                keys |= model_keys(sub, f"{path}.")
        else:
            keys.add(path)
    return keys


def _walk(node: Any, prefix: str, out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(f"{prefix}{key}")
            _walk(value, f"{prefix}{key}.", out)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, dict):
                _walk(value, prefix, out)


HEADER = re.compile(r"^#?\s*\[\[?([a-z_.]+)\]\]?")
COMMENTED_KEY = re.compile(r"^#\s*([a-z_][a-z0-9_]*)\s*=")


def example_keys(text: str) -> set[str]:
    keys: set[str] = set()
    _walk(tomllib.loads(text), "", keys)
    section = ""
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            section = header.group(1) + "."
            keys.add(header.group(1))
            continue
        commented = COMMENTED_KEY.match(line)
        if commented:
            keys.add(section + commented.group(1))
    return keys


def test_the_example_lists_every_key_of_the_settings_model() -> None:
    documented = example_keys(EXAMPLE.read_text(encoding="utf-8"))
    missing = sorted(model_keys(Settings) - documented)
    assert missing == [], f"settings.example.toml lacks {missing} (set them, or `# key = value` with a comment)"


def test_the_example_lists_no_key_the_model_does_not_have() -> None:
    known = model_keys(Settings)
    # A dict-valued key (ticket_properties) holds the organisation's own column names.
    prefixes = {k + "." for k in known}
    sections = {m.rsplit(".", 1)[0] for m in known if "." in m}  # [moengage.lifecycle], [[smtp.users]] ...
    unknown = sorted(
        k
        for k in example_keys(EXAMPLE.read_text(encoding="utf-8"))
        if k not in known and k not in sections and not any(k.startswith(p) for p in prefixes)
    )
    assert unknown == []


def test_the_comparison_notices_a_missing_key() -> None:
    # The check itself can fail: drop one documented key and it is reported.
    text = EXAMPLE.read_text(encoding="utf-8").replace("lease_seconds = 120", "", 1)
    assert "spool.lease_seconds" in model_keys(Settings) - example_keys(text)
