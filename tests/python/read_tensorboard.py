"""Reads a seqloom run's TensorBoard event files with TensorBoard's own reader
(EventAccumulator) and checks them against the run's metrics.jsonl: every
scalar at the right step with the value of metrics.jsonl rounded to float32,
no step twice for any tag, the run options and decoded examples as text.

    python tests/python/read_tensorboard.py --logdir RUN/tensorboard --metrics RUN/metrics.jsonl

Exits 1 naming the first difference. Needs `tensorboard` (pip install tensorboard).
"""
import argparse
import json
import math
import os
import struct
import sys

from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.util import tensor_util

TRAIN = {"loss": "train/loss", "learningRate": "train/learning_rate", "tokensPerSecond": "train/tokens_per_second", "gradNorm": "train/grad_norm"}
EVAL = {"loss": "valid/loss", "perplexity": "valid/perplexity", "accuracy": "valid/accuracy"}


def f32(value):
    """A metrics.jsonl number as the float32 TensorBoard stores (JSON null stands for inf/nan)."""
    return None if value is None else struct.unpack("<f", struct.pack("<f", value))[0]


def expected_scalars(metrics_path):
    expected = {}
    with open(metrics_path, encoding="utf8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            for key, tag in (TRAIN if record["kind"] == "train" else EVAL).items():
                expected.setdefault(tag, []).append((record["step"], f32(record[key])))
    return expected


def fail(message):
    print(f"read_tensorboard: FAIL: {message}")
    sys.exit(1)


def check_scalars(acc, expected):
    tags = acc.Tags()["scalars"]
    if sorted(tags) != sorted(expected):
        fail(f"scalar tags {sorted(tags)}, metrics.jsonl has {sorted(expected)}")
    count = 0
    for tag, want in expected.items():
        got = [(e.step, e.value) for e in acc.Scalars(tag)]
        steps = [s for s, _ in got]
        if len(set(steps)) != len(steps):
            fail(f"{tag}: a step appears twice: {steps}")
        if steps != [s for s, _ in want]:
            fail(f"{tag}: steps {steps}, metrics.jsonl has {[s for s, _ in want]}")
        for (step, value), (_, ref) in zip(got, want):
            ok = (math.isinf(value) or math.isnan(value)) if ref is None else value == ref
            if not ok:
                fail(f"{tag} at step {step}: {value!r}, metrics.jsonl has {ref!r} (as float32)")
        count += len(got)
    return count


def texts(acc, tag):
    if tag not in acc.Tags()["tensors"]:
        fail(f"no text summary {tag}")
    events = acc.Tensors(tag)
    steps = [e.step for e in events]
    if len(set(steps)) != len(steps):
        fail(f"{tag}: a step appears twice: {steps}")
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto).item().decode("utf8")) for e in events]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logdir", required=True)
    parser.add_argument("--metrics", required=True)
    args = parser.parse_args()
    files = sorted(n for n in os.listdir(args.logdir) if n.startswith("events.out.tfevents."))
    acc = ea.EventAccumulator(args.logdir, size_guidance={ea.SCALARS: 0, ea.TENSORS: 0})
    acc.Reload()
    expected = expected_scalars(args.metrics)
    count = check_scalars(acc, expected)
    options = texts(acc, "run/options")
    examples = texts(acc, "valid/examples")
    if acc.summary_metadata["valid/examples"].plugin_data.plugin_name != "text":
        fail("valid/examples is not a text-plugin summary")
    eval_steps = [s for s, _ in expected.get("valid/loss", [])]
    if [s for s, _ in examples] != eval_steps:
        fail(f"valid/examples at steps {[s for s, _ in examples]}, evaluations at {eval_steps}")
    steps = sorted({s for pairs in expected.values() for s, _ in pairs})
    print(f"tensorboard {__import__('tensorboard').__version__}: EventAccumulator read {len(files)} event file(s) in {args.logdir}")
    print(f"  {count} scalars over {len(expected)} tags ({', '.join(sorted(expected))}), steps {steps[0]}..{steps[-1]}:")
    print("  each at the step and with the value of metrics.jsonl (float32); no tag has a step twice")
    print(f"  text: run/options at steps {[s for s, _ in options]}, valid/examples at steps {[s for s, _ in examples]}")
    print("  last examples:")
    for line in examples[-1][1].splitlines():
        print(f"    {line}")
    print("read_tensorboard: OK")


if __name__ == "__main__":
    main()
