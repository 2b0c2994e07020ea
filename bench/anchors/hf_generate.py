#!/usr/bin/env python3
"""PyTorch anchor of `pnpm bench onnx`: Hugging Face generate() (greedy and beam
search) on a model of the same architecture and shape as an ONNX export folder.

The export folders hold no PyTorch weights, so the model is rebuilt from the
folder's config.json with random weights (torch.manual_seed): decoding speed
depends on the shapes, not on the weight values, and every output holds exactly
the same number of new tokens on every side (min_new_tokens = max_new_tokens).
The folder's generation_config.json applies as it does in transformers.

Reads the request bench/onnx.ts writes (folder, source ids, new tokens, beam
width, batch sizes, warm-up) and prints one JSON object on its last line.

    /work/venv-fixtures/bin/python bench/anchors/hf_generate.py --request FILE
    /work/venv-fixtures/bin/python bench/anchors/hf_generate.py --versions
"""
import argparse
import json
import os
import re
import sys
import time

os.environ.setdefault('TRANSFORMERS_VERBOSITY', 'error')
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoConfig, AutoModelForSeq2SeqLM, GenerationConfig  # noqa: E402


def versions():
    shown = torch.__config__.show().splitlines()
    blas = next((m.group(0) for m in map(re.compile(r'BLAS_INFO=\w+').search, shown) if m), 'BLAS_INFO=?')
    capability = next((l.strip().lstrip('- ') for l in shown if 'CPU capability' in l), 'CPU capability usage: ?')
    return {
        'torch': torch.__version__,
        'transformers': transformers.__version__,
        'python': sys.version.split()[0],
        'mkl': str(torch.backends.mkl.is_available()),
        'blas': f'{blas}; {capability}',
        'config': ' | '.join(l.strip() for l in shown[1:4]),
        'threads': str(torch.get_num_threads()),
    }


def load(folder):
    config = AutoConfig.from_pretrained(folder)
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_config(config).eval()
    model.generation_config = GenerationConfig.from_pretrained(folder)
    return model, config


def padded(chunk, pad):
    width = max(len(s) for s in chunk)
    ids = torch.full((len(chunk), width), pad, dtype=torch.long)
    mask = torch.zeros((len(chunk), width), dtype=torch.long)
    for i, s in enumerate(chunk):
        ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, :len(s)] = 1
    return ids, mask


def decode(model, chunk, pad, new_tokens, beams):
    ids, mask = padded(chunk, pad)
    out = model.generate(input_ids=ids, attention_mask=mask, do_sample=False, num_beams=beams,
                         num_return_sequences=1, max_new_tokens=new_tokens, min_new_tokens=new_tokens)
    # the sequences start with the decoder start token
    return [len(row) - 1 for row in out.tolist()]


def timed(model, request, pad, batch, beams):
    inputs = request['inputs']
    chunks = lambda xs: [xs[i:i + batch] for i in range(0, len(xs), batch)]
    for chunk in chunks(inputs[:request['warmup']]):
        decode(model, chunk, pad, request['newTokens'], beams)
    best = float('inf')
    for _ in range(request['repeats']):  # the fastest pass counts: other processes only slow one down
        lengths = []
        start = time.perf_counter()
        for chunk in chunks(inputs):
            lengths += decode(model, chunk, pad, request['newTokens'], beams)
        best = min(best, time.perf_counter() - start)
    return len(inputs) / best, lengths


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--request', help='the JSON request bench/onnx.ts writes')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--versions', action='store_true', help='only print the versions as JSON')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.versions or not args.request:
        print(json.dumps(versions()))
        return
    with open(args.request) as f:
        request = json.load(f)
    model, config = load(request['folder'])
    pad = config.pad_token_id if config.pad_token_id is not None else 0
    rows = []
    with torch.inference_mode():
        for batch in request['batches']:
            greedy, g_lengths = timed(model, request, pad, batch, 1)
            beam, b_lengths = timed(model, request, pad, batch, request['beam'])
            lengths = g_lengths + b_lengths
            rows.append({'batch': batch, 'greedy': greedy, 'beam': beam,
                         'tokensPerOutput': {'min': min(lengths), 'max': max(lengths)}})
    print(json.dumps({
        'side': 'PyTorch',
        'versions': versions(),
        'rows': rows,
        'notes': [f'PyTorch: {type(model).__name__} rebuilt from config.json with random weights (torch.manual_seed(0)), '
                  f'torch.set_num_threads({args.threads}), generate() with the folder\'s generation_config.json'],
    }))


if __name__ == '__main__':
    main()
