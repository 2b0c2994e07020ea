#!/usr/bin/env python3
"""Checks seqloom ONNX exports with the reference tools: onnx.checker (with
full shape inference) on every graph, then Python onnxruntime runs the graphs
the way config.json describes and its logits are compared with the values
seqloom computed (check.json, written by test/export-python.test.ts).

Usage: check_export.py EXPORT_DIR... (each holding config.json and check.json)
Prints one JSON line: {"cases": [{"dir", "graphs", "max_diff"}]}; exits 1 when
a graph fails the checker or a logit differs by more than 1e-4.
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

TOLERANCE = 1e-4


def check_graphs(folder, config):
    names = [config["encoder"]["file"], config["decoder"]["file"]]
    for name in names:
        onnx.checker.check_model(onnx.load(os.path.join(folder, name)), full_check=True)
    return names


def session(folder, name):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(os.path.join(folder, name), options, providers=["CPUExecutionProvider"])


def run(sess, feeds):
    outputs = sess.run(None, feeds)
    return dict(zip([o.name for o in sess.get_outputs()], outputs))


def replay(folder, config, check):
    """Encoder once, then the decoder step by step with the recorded tokens; the largest logit difference."""
    encoder = session(folder, config["encoder"]["file"])
    decoder = session(folder, config["decoder"]["file"])
    ids = np.array(check["encoder"]["input_ids"], dtype=np.int64)
    mask = np.array(check["encoder"]["attention_mask"], dtype=np.int64)
    encoded = run(encoder, {"input_ids": ids, "attention_mask": mask})
    state = {s["input"]: encoded[s["input"]] for s in config["state"]}
    memory = {name: encoded[name] for name in config["memory"]}
    if config["memory"]:
        memory["memory_mask"] = mask
    worst = 0.0
    for step in check["steps"]:
        feeds = {"input_ids": np.array(step["input_ids"], dtype=np.int64), **state, **memory}
        out = run(decoder, feeds)
        expected = np.array(step["logits"], dtype=np.float32).reshape(out["logits"].shape)
        worst = max(worst, float(np.max(np.abs(out["logits"] - expected))))
        state = {s["input"]: out[s["output"]] for s in config["state"]}
    return worst


def main(folders):
    cases = []
    failed = False
    for folder in folders:
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            config = json.load(f)
        with open(os.path.join(folder, "check.json"), encoding="utf-8") as f:
            check = json.load(f)
        graphs = check_graphs(folder, config)
        worst = replay(folder, config, check)
        failed = failed or not worst <= TOLERANCE
        cases.append({"dir": folder, "graphs": graphs, "max_diff": worst})
    print(json.dumps({"onnx": onnx.__version__, "onnxruntime": ort.__version__, "cases": cases}))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
