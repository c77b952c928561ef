"""What the pipeline costs per handoff (issue 16 goal 2): median and p95 ms per stage and in total.

    python bench/pipeline_speed.py                 # >= 1,000 threads, without and with embeddings
    python bench/pipeline_speed.py --threads 2000 --rounds 3 --no-embeddings
    python bench/pipeline_speed.py --save /tmp/threads && python bench/pipeline_speed.py --mails /tmp/threads

Threads: every golden fixture under tests/fixtures/mail (101 mails of 15 clients), then generated
variants from bench/thread_corpus.py (single forwards of Gmail, Outlook, New Outlook, Apple Mail,
Thunderbird and Yahoo in 22 languages, Outlook and Gmail reply chains of 3-4 messages, 11-level
forwards) until `--threads` is reached. Each thread is timed through the same steps as
`Pipeline.analyse` (handoff/pipeline.py), stage by stage, and `Pipeline.analyse` itself is timed too
(the "analyse" line, the figure the goal is about; the embedding encoder's cache of repeated texts is
cleared before each, so every mail is encoded as a new one would be). The first round warms lazy imports
and dateparser's locale data and is not counted. One process, one thread; the clock is the process's CPU
time by default, so other work on a shared machine does not inflate the figures (`--clock wall` for
perf_counter). `--embeddings-runtime numpy` hides onnxruntime so the encoder takes its numpy forward
(the cost before the onnxruntime path, on the same code); the label says which runtime ran.
`--precision int8|float32` sets [triage] embeddings_precision for the run with embeddings; with int8 the run also
says how many texts triage had read again in float32 (decisions within the int8 pass's error of a boundary).
`--encoder-calls` times the encoder alone instead: one forward per text of bench/data (the labelled customer
texts), numpy, onnxruntime float32 and onnxruntime int8 in turn on each, CPU ms by token count, and the cosine
between their vectors and numpy's (the float32 reference).
`--breakdown` (with embeddings) splits each thread's "analyse" into the encoder's forwards and the rest: CPU ms of
the fast (int8) forwards, of the float32 ones (the re-reads of an int8 encoder, or every forward of a float32 one),
"analyse" less both, and the word pieces and texts each pass ran, per thread, with the texts that repeat one the
pass had embedded for the same thread already ("repeats": what embedding each distinct text once would save);
what a goal with embeddings has to take from.
`--encoder-batch 2 4 8` times the encoder alone per mail, one mail per forward against K mails' texts in one
encode: what a backlog batched into shared forwards would cost per mail (nothing in the service does that yet).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import thread_corpus

from handoff.guards import run_guards
from handoff.parse.customer import find_customer
from handoff.parse.mime import forget_remembered, parse_mail
from handoff.parse.thread import split_thread
from handoff.pipeline import Pipeline
from handoff.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mail"
CLIENTS = ("gmail", "outlook", "new_outlook", "apple", "thunderbird", "yahoo")


def threads(count: int) -> list[bytes]:
    mails = [path.read_bytes() for path in sorted(FIXTURES.glob("*.eml"))]
    index = 0
    while len(mails) < count:
        for lang in thread_corpus.LANGS:
            for client in CLIENTS:
                case = thread_corpus.single_forward(None, client, lang, index)  # type: ignore[arg-type]
                if case:
                    mails.append(thread_corpus.eml(case, len(mails)))
            for style in ("outlook", "gmail"):
                case = thread_corpus.chain(None, style, lang, index, 3 + index % 2)  # type: ignore[arg-type]
                if case:
                    mails.append(thread_corpus.eml(case, len(mails)))
            index += 1
        for client in ("gmail", "outlook", "thunderbird"):
            case = thread_corpus.nested(None, client, "en", 11, index)  # type: ignore[arg-type]
            if case:
                mails.append(thread_corpus.eml(case, len(mails)))
    return mails[:count]


def staged(pipeline: Pipeline, raw: bytes, clock: Callable[[], float]) -> dict[str, float]:
    """The steps of Pipeline.analyse (its own `stages`, so the two cannot drift apart), each timed (ms)."""
    out: dict[str, float] = {}
    start = last = clock()
    step: str | None = None
    for following in pipeline.stages(raw, "agent@acme-support.com", ["cases@handoff.localhost"]):
        now = clock()
        if step is not None:
            out[step] = (now - last) * 1000
        step, last = following, now
    now = clock()
    if step is not None:
        out[step] = (now - last) * 1000
    out["stages total"] = (now - start) * 1000
    return out


class _ForwardClock:
    """Times an encoder's forwards (`MiniLMEncoder._forward`) while started: CPU ms and word pieces, by pass; and
    counts the texts each pass embedded and how many of them repeat a text (the same word pieces) that pass had
    embedded already for this thread: what embedding each distinct text once per thread would save."""

    def __init__(self, encoder: object, clock: Callable[[], float]) -> None:
        self.encoder = encoder
        self.clock = clock
        self.original = encoder._forward  # type: ignore[attr-defined]
        self.totals = {"fast": 0.0, "float32": 0.0, "fast pieces": 0, "float32 pieces": 0}
        self.totals.update({"fast texts": 0, "float32 texts": 0, "fast repeats": 0, "float32 repeats": 0})
        self.seen: dict[str, set[tuple[int, ...]]] = {"fast": set(), "float32": set()}
        self.start()

    def start(self) -> None:
        def timed(ids: list[list[int]], exact: bool = False) -> object:
            started = self.clock()
            out = self.original(ids, exact)
            # An int8 encoder's exact=True runs its float32 session; a float32 encoder's every forward is float32.
            name = "float32" if exact or getattr(self.encoder, "exact", True) else "fast"
            self.totals[name] += (self.clock() - started) * 1000
            self.totals[name + " pieces"] += sum(len(seq) for seq in ids)
            self.totals[name + " texts"] += len(ids)
            for seq in ids:
                key = tuple(seq)
                self.totals[name + " repeats"] += key in self.seen[name]
                self.seen[name].add(key)
            return out

        self.encoder._forward = timed  # type: ignore[attr-defined]

    def stop(self) -> None:
        self.encoder._forward = self.original  # type: ignore[attr-defined]

    def reset(self) -> None:
        for key in self.totals:
            self.totals[key] = 0
        for seen in self.seen.values():
            seen.clear()

    def spent(self) -> dict[str, float]:
        return {
            "fast forwards": float(self.totals["fast"]),
            "float32 forwards": float(self.totals["float32"]),
            "fast pieces": float(self.totals["fast pieces"]),
            "float32 pieces": float(self.totals["float32 pieces"]),
            "fast texts": float(self.totals["fast texts"]),
            "float32 texts": float(self.totals["float32 texts"]),
            "fast repeats": float(self.totals["fast repeats"]),
            "float32 repeats": float(self.totals["float32 repeats"]),
        }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    mails: list[bytes],
    embeddings: bool,
    rounds: int,
    clock: Callable[[], float] = time.process_time,
    precision: str | None = None,
    breakdown: bool = False,
) -> tuple[str, dict[str, list[float]]]:
    settings = Settings()
    settings.triage.use_embeddings = embeddings
    if precision is not None:
        settings.triage.embeddings_precision = precision  # type: ignore[assignment]
    pipeline = Pipeline(settings)
    samples: dict[str, list[float]] = {}
    encoder = getattr(pipeline.classifier, "encoder", None)

    def cold() -> None:
        # The encoder keeps a small cache of repeated texts, parse_mail one of address readings (the same From line
        # is read by the parser, the splitter and the customer search); every mail is measured as if new.
        if encoder is not None:
            encoder.clear_cache()
        forget_remembered()

    forwards = _ForwardClock(encoder, clock) if breakdown and encoder is not None else None
    for round_number in range(rounds + 1):
        for raw in mails:
            cold()
            if forwards is not None:
                forwards.reset()
            started = clock()
            pipeline.analyse(raw, "agent@acme-support.com", ["cases@handoff.localhost"])
            total = (clock() - started) * 1000
            spent = forwards.spent() if forwards is not None else {}
            if forwards is not None:
                forwards.stop()
            cold()
            stages = staged(pipeline, raw, clock)
            stages["analyse"] = total
            if spent:
                stages.update(spent)
                stages["analyse less forwards"] = total - spent["fast forwards"] - spent["float32 forwards"]
            if forwards is not None:
                forwards.start()
            if round_number == 0:
                continue  # warm-up: lazy imports, dateparser's and the classifier's caches
            for name, value in stages.items():
                samples.setdefault(name, []).append(value)
    return pipeline.classifier.mode, samples


def report(label: str, samples: dict[str, list[float]], count: int) -> list[str]:
    lines = [f"{label} ({count} threads x rounds; ms per thread)"]
    order = ["parse", "split", "customer", "guards", "triage", "render", "stages total", "analyse"]
    # --breakdown: CPU ms of the encoder's forwards by pass, the rest of "analyse", and word pieces (counts, not ms).
    order += ["fast forwards", "float32 forwards", "analyse less forwards", "fast pieces", "float32 pieces"]
    order += ["fast texts", "float32 texts", "fast repeats", "float32 repeats"]
    width = max(13, *(len(name) for name in order if name in samples))
    for name in order:
        values = samples.get(name)
        if not values:
            continue
        lines.append(
            f"  {name:<{width}} median {statistics.median(values):7.3f}  p95 {percentile(values, 0.95):7.3f}  "
            f"mean {statistics.fmean(values):7.3f}  (n={len(values)})"
        )
    return lines


def encoder_calls() -> list[str]:
    """Per-call cost of the encoder's two runtimes on the same texts, interleaved, and how far apart they are."""
    import json

    import numpy as np

    from handoff.triage import embeddings

    path = embeddings.model_dir()
    if path is None:
        return ["encoder calls: the embeddings extra is not installed"]
    data = Path(__file__).resolve().parent / "data"
    texts: list[str] = []
    for line in (data / "support_emails.jsonl").read_text(encoding="utf-8").splitlines():
        texts += [f"{m.get('subject', '')}.\n{m['body']}" for m in json.loads(line)["messages"]]
    for name in ("short_messages.jsonl", "intents11.jsonl", "intents11_more.jsonl"):
        texts += [json.loads(line)["text"] for line in (data / name).read_text(encoding="utf-8").splitlines()]
    texts = list(dict.fromkeys(texts))
    runtimes = {"numpy": embeddings.MiniLMEncoder(path, runtime="numpy")}
    try:
        for precision in embeddings.PRECISIONS:
            encoder = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision=precision)
            runtimes[f"onnx {encoder.precision}"] = encoder  # int8 may have fallen back to float32
    except ImportError:
        pass
    first = runtimes["numpy"]
    ids = [first.tokenizer.encode(text).ids for text in texts]
    spent: dict[str, dict[int, list[float]]] = {name: {} for name in runtimes}
    vectors: dict[str, list[object]] = {name: [] for name in runtimes}
    for _ in range(3):  # warm-up: first calls allocate
        for encoder in runtimes.values():
            encoder._forward([ids[0]])
    for seq in ids:
        bucket = min(len(seq) // 32 * 32, 224)
        for name, encoder in runtimes.items():
            started = time.process_time()
            vectors[name].append(encoder._forward([seq])[0])
            spent[name].setdefault(bucket, []).append((time.process_time() - started) * 1000)
    lines = [f"encoder calls: {len(texts)} texts of bench/data, one forward each, CPU ms per call"]
    lines += [f"  {name}: {encoder.kernels}" for name, encoder in runtimes.items() if encoder.kernels]
    for name, buckets in spent.items():
        every = [v for values in buckets.values() for v in values]
        lines.append(f"  {name:<12} all: median {statistics.median(every):7.3f}  p95 {percentile(every, 0.95):7.3f}")
        for bucket in sorted(buckets):
            values = buckets[bucket]
            lines.append(
                f"  {name:<12} {bucket:3d}-{bucket + 31:3d} tokens: median {statistics.median(values):7.3f}"
                f"  (n={len(values)})"
            )
    for name in vectors:
        if name == "numpy":
            continue
        a, b = np.stack(vectors["numpy"]), np.stack(vectors[name])  # type: ignore[call-overload]
        cosine = (a * b).sum(axis=1)
        lines.append(
            f"  cosine numpy/{name}: min {cosine.min():.7f} p1 {np.percentile(cosine, 1):.7f} "
            f"median {np.median(cosine):.7f}; max abs difference {np.abs(a - b).max():.2e}"
        )
    return lines


def encoder_batches(mails: list[bytes], sizes: list[int]) -> list[str]:
    """What packing several mails' texts into one forward would save under a backlog (the encoder alone).

    For each mail, the texts its classification encodes (the customer's texts with the headline, as
    `CategoryVectors.similarities` asks for them); then, for groups of K consecutive mails, CPU ms of K encodes
    one mail at a time against one encode of the K mails' texts together (the encoder's cache cleared and the
    caches evicted with 64 MB of other memory before each, as the rest of the pipeline does between mails)."""
    import numpy as np

    from handoff.triage.text import customer_texts, with_headline

    settings = Settings()
    settings.triage.use_embeddings = True
    pipeline = Pipeline(settings)
    encoder = getattr(pipeline.classifier, "encoder", None)
    if encoder is None:
        return ["encoder batches: the embeddings extra is not installed"]
    per_mail: list[list[str]] = []
    for raw in mails:
        mail = parse_mail(raw, envelope_from="agent@acme-support.com", envelope_to=["cases@handoff.localhost"])
        messages, customer = find_customer(mail, split_thread(mail), pipeline.internal)
        if customer is None or run_guards(pipeline.guards, mail, messages, customer) is not None:
            continue
        texts = [t for t in with_headline(customer_texts(messages, customer)) if t.strip()]
        if texts:
            per_mail.append(texts)
    other = np.ones(16 * 1024 * 1024, dtype=np.float32)  # 64 MB: more than the last-level cache

    def timed(texts: list[str]) -> float:
        encoder.clear_cache()
        other.sum()  # evict the weights, as parsing and rendering the next mail would
        started = time.process_time()
        encoder.encode(texts)
        return (time.process_time() - started) * 1000

    for texts in per_mail[:20]:  # warm-up
        timed(texts)
    lines = [f"encoder batches: {len(per_mail)} mails with customer text, CPU ms of the encoder per mail"]
    for size in sizes:
        alone: list[float] = []
        batched: list[float] = []
        for start in range(0, len(per_mail) - size + 1, size):
            group = per_mail[start : start + size]
            alone += [timed(texts) for texts in group]
            batched.append(timed([t for texts in group for t in texts]) / size)
        lines.append(
            f"  K={size:<3d} one mail per forward: median {statistics.median(alone):7.3f}"
            f" mean {statistics.fmean(alone):7.3f}"
            f"   K mails per encode, amortised: median {statistics.median(batched):7.3f}"
            f" mean {statistics.fmean(batched):7.3f}  (groups={len(batched)})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1, help="measured rounds after one warm-up round")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the run with embeddings")
    parser.add_argument("--embeddings-only", action="store_true", help="only the run with embeddings")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: this process's CPU time (honest on a shared, loaded machine); wall: perf_counter",
    )
    parser.add_argument(
        "--embeddings-runtime",
        choices=("auto", "numpy"),
        default="auto",
        help="numpy: run the encoder's numpy forward even when onnxruntime is installed (before/after figures)",
    )
    parser.add_argument(
        "--precision",
        choices=("int8", "float32"),
        help="[triage] embeddings_precision for the run with embeddings (default: the setting's default)",
    )
    parser.add_argument(
        "--encoder-calls",
        action="store_true",
        help="time the encoder alone per call: numpy, onnxruntime float32 and int8",
    )
    parser.add_argument(
        "--encoder-batch",
        type=int,
        nargs="+",
        metavar="K",
        help="time the encoder alone, one mail per forward against K mails' texts per encode (a backlog's batches)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="with embeddings: each thread's encoder forwards (fast and float32, CPU ms and word pieces) and the rest",
    )
    parser.add_argument("--save", type=Path, help="write the threads as DIR/NNNN.eml and stop")
    parser.add_argument("--mails", type=Path, help="measure DIR/*.eml instead (the same threads before and after)")
    args = parser.parse_args(argv)
    if args.encoder_calls:
        print("\n".join(encoder_calls()))
        return 0
    if args.mails:
        mails = [path.read_bytes() for path in sorted(args.mails.glob("*.eml"))]
        source = str(args.mails)
    else:
        mails = threads(args.threads)
        source = f"{len(list(FIXTURES.glob('*.eml')))} goldens + generated"
    if args.encoder_batch:
        print("\n".join(encoder_batches(mails, args.encoder_batch)))
        return 0
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for number, raw in enumerate(mails):
            (args.save / f"{number:04d}.eml").write_bytes(raw)
        print(f"wrote {len(mails)} threads to {args.save}")
        return 0
    if args.embeddings_runtime == "numpy":
        sys.modules["onnxruntime"] = None  # type: ignore[assignment]  # importing it now raises ImportError
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(f"{len(mails)} threads ({source}), {args.rounds} measured round(s), clock {args.clock}")
    runs: list[tuple[str, bool]] = [] if args.embeddings_only else [("without embeddings", False)]
    if not args.no_embeddings:
        runs.append(("with embeddings", True))
    for label, embeddings in runs:
        mode, samples = measure(mails, embeddings, args.rounds, clock, args.precision, args.breakdown and embeddings)
        if embeddings and mode != "keywords+embeddings":
            print(f"with embeddings: not installed (classifier mode {mode}); skipped")
            continue
        if embeddings:
            from handoff.triage import embeddings as encoder_module

            settings = Settings()
            if args.precision is not None:
                settings.triage.embeddings_precision = args.precision
            encoder = encoder_module.load_encoder(settings.triage.embeddings_precision)
            where = f"{encoder.runtime}, {encoder.precision}" if encoder is not None else "none"
            if encoder is not None and encoder.kernels:  # which int8 kernels this CPU runs (u8 x s8 or u8 x u8)
                where += f" on {encoder.kernels.split(' (')[0]}"
            label += f", encoder on {where}"
        print("\n".join(report(f"{label} [{mode}]", samples, len(mails))))
        if embeddings and encoder is not None and not encoder.exact:
            counts = encoder.encoded
            print(f"  texts encoded: {counts['fast']} by the int8 pass, {counts['exact']} read again in float32")
            pieces = samples.get("float32 pieces")
            if pieces:  # --breakdown: how many threads (of the measured rounds) paid for a float32 pass at all
                print(f"  threads read again in float32: {sum(1 for v in pieces if v)} of {len(pieces)}")
        if embeddings and "fast texts" in samples:
            # --breakdown: texts per pass over the measured threads, and those a thread had embedded already.
            for name in ("fast", "float32"):
                texts, repeats = sum(samples[f"{name} texts"]), sum(samples[f"{name} repeats"])
                print(
                    f"  {name} pass: {texts:.0f} texts embedded, {repeats:.0f} of them repeats within their thread"
                    f" ({sum(1 for v in samples[f'{name} repeats'] if v)} threads)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
