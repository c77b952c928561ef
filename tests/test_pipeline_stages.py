"""Pipeline.stages: the steps of Pipeline.analyse one by one, which the speed and instruction benches measure."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.pipeline import STAGES, Analysis, Pipeline, summary
from handoff.settings import Settings

MAIL = Path(__file__).parent / "fixtures" / "mail"
ENVELOPE = ("agent@acme-support.com", ["cases@handoff.localhost"])


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    settings = Settings()
    settings.triage.use_embeddings = False
    return Pipeline(settings)


def run(pipeline: Pipeline, raw: bytes) -> tuple[list[str], Analysis]:
    steps = pipeline.stages(raw, *ENVELOPE)
    names: list[str] = []
    while True:
        try:
            names.append(next(steps))
        except StopIteration as done:
            return names, done.value


def test_a_customer_mail_goes_through_every_step_and_gets_what_analyse_gives(pipeline: Pipeline) -> None:
    raw = (MAIL / "gmail_forward_en.eml").read_bytes()
    names, analysis = run(pipeline, raw)
    assert names == list(STAGES)
    assert analysis.draft is not None
    assert summary(analysis) == summary(pipeline.analyse(raw, *ENVELOPE))
    assert analysis.digest == pipeline.analyse(raw, *ENVELOPE).digest


def test_a_guarded_mail_stops_after_the_guards_as_analyse_does(pipeline: Pipeline) -> None:
    raw = (MAIL / "guard_list_mail.eml").read_bytes()
    names, analysis = run(pipeline, raw)
    assert names == ["parse", "split", "customer", "guards"]
    assert analysis.draft is None
    assert summary(analysis) == summary(pipeline.analyse(raw, *ENVELOPE))
