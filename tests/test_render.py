"""The description template is compiled once, when the service starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.errors import ConfigError
from handoff.model import Handoff
from handoff.render import DESCRIPTION_TEMPLATE, Renderer


def test_a_template_that_does_not_compile_stops_the_start_not_every_mail(tmp_path: Path) -> None:
    (tmp_path / DESCRIPTION_TEMPLATE).write_text("Subject: {{ subject }}\n{% for m in messages %}\n{{ m.body }}\n")
    with pytest.raises(ConfigError, match=r"\[render\] templates_dir: .*description\.txt\.j2 line \d+: "):
        Renderer(tmp_path)


def test_the_template_is_read_once(tmp_path: Path) -> None:
    template = tmp_path / DESCRIPTION_TEMPLATE
    template.write_text("OURS: {{ subject }}")
    renderer = Renderer(tmp_path)
    template.write_text("CHANGED: {{ subject }}")  # as settings are: read at start-up
    assert renderer.transcript(Handoff(message_id=None, subject="Hello")) == "OURS: Hello"
