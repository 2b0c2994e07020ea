#!/usr/bin/env python3
"""PyTorch char-LSTM anchor of `pnpm bench quality charlm`: nn.Embedding +
nn.LSTM + nn.Linear trained for a fixed wall-clock time on exactly the token
streams seqloom trains on (written by bench/quality/charlm.ts), with the same
windows, parallel streams, carried state, optimiser and validation as
seqloom's `--task lm --carry-state` run. Prints JSON lines on stdout: one per
evaluation ({"event": "eval", ...}) and the result last ({"event": "done", ...}).

Run it with Debian's torch and OpenBLAS, one thread:
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/anchors/torch_charlm.py --train train.bin --valid valid.bin --vocab 80
"""
import argparse
import json
import math
import sys
import time
from array import array

import torch
import torch.nn as nn
import torch.nn.functional as F


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--train', required=True, help='int32 little-endian token stream [bos, ...text, eos]')
    p.add_argument('--valid', required=True, help='the validation stream, same form')
    p.add_argument('--vocab', type=int, required=True)
    p.add_argument('--pad', type=int, default=0)
    p.add_argument('--emb', type=int, default=64)
    p.add_argument('--hidden', type=int, default=256)
    p.add_argument('--layers', type=int, default=1)
    p.add_argument('--window', type=int, default=128)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--eval-batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=2e-3)
    p.add_argument('--clip', type=float, default=5.0)
    p.add_argument('--eps', type=float, default=1e-8)
    p.add_argument('--minutes', type=float, default=10.0)
    p.add_argument('--max-steps', type=int, default=0, help='stop after this many steps (0: only the minutes bound)')
    p.add_argument('--eval-every', type=int, default=100)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--no-carry-state', action='store_true', help='start every window from zeros')
    p.add_argument('--init-from', metavar='DIR', help="start from a seqloom checkpoint folder's weights (a one-layer --task lm LSTM of this shape)")
    p.add_argument('--forget-bias', type=float, help="start the forget gate's bias here (bias_ih's forget slice; bias_hh's forget slice 0) instead of PyTorch's uniform ±1/√H")
    p.add_argument('--log-steps', action='store_true', help='print every step\'s training loss ({"event": "step", ...})')
    return p.parse_args()


def read_stream(path):
    a = array('i')
    with open(path, 'rb') as f:
        a.frombytes(f.read())
    if sys.byteorder != 'little':
        a.byteswap()
    return torch.tensor(a, dtype=torch.long)


def windows(stream, size):
    """Consecutive windows as seqloom's lmWindows cuts them: (input, target) slices of the stream."""
    out = []
    start = 0
    while start + 1 < len(stream):
        end = min(start + size, len(stream) - 1)
        out.append((start, end))
        start += size
    return out


def plan_streams(count, batch):
    """seqloom's planStreams: at most `batch` contiguous streams; batch k holds window k of each stream."""
    if count == 0:
        return []
    length = math.ceil(count / batch)
    streams = math.ceil(count / length)
    return [[b * length + k for b in range(streams) if b * length + k < min((b + 1) * length, count)] for k in range(length)]


class CharLM(nn.Module):
    def __init__(self, vocab, emb, hidden, layers):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        h, state = self.lstm(self.emb(x), state)
        return self.out(h), state


def make_batch(stream, spans, pad):
    """Rows [B, T] of inputs and targets (pad past a short row's end) and the mask."""
    width = max(e - s for s, e in spans)
    x = torch.full((len(spans), width), pad, dtype=torch.long)
    y = torch.full((len(spans), width), pad, dtype=torch.long)
    mask = torch.zeros((len(spans), width))
    for r, (s, e) in enumerate(spans):
        x[r, : e - s] = stream[s:e]
        y[r, : e - s] = stream[s + 1 : e + 1]
        mask[r, : e - s] = 1
    return x, y, mask


def cut(state, rows):
    """The carried state's first `rows` rows (the last stream ran out), detached from the graph."""
    if state is None:
        return None
    return tuple(t[:, :rows].detach() for t in state)


def load_seqloom_weights(model, folder, args):
    """Copies a seqloom checkpoint's weights (weights.json + weights.bin) into the model: seqloom's
    fused kernels are [in, 4H] with the gates in PyTorch's order (i, f, g, o); its one bias goes to
    bias_ih and bias_hh starts at 0, so the two models compute the same function."""
    with open(f'{folder}/weights.json') as f:
        manifest = json.load(f)['weightsManifest']
    if len(manifest) != 1 or manifest[0]['paths'] != ['weights.bin']:
        raise SystemExit(f'{folder}/weights.json: expected one group stored in weights.bin')
    raw = array('f')
    with open(f'{folder}/weights.bin', 'rb') as f:
        raw.frombytes(f.read())
    if sys.byteorder != 'little':
        raw.byteswap()
    values, offset = {}, 0
    for w in manifest[0]['weights']:
        count = math.prod(w['shape'])
        values[w['name']] = torch.tensor(raw[offset:offset + count]).reshape(w['shape'])
        offset += count
    if offset != len(raw):
        raise SystemExit(f'{folder}/weights.bin: {len(raw)} values, the manifest names {offset}')
    pairs = [(model.emb.weight, 'decoder/embedding', False), (model.lstm.weight_ih_l0, 'decoder/l0/kernel', True),
             (model.lstm.weight_hh_l0, 'decoder/l0/recurrent', True), (model.lstm.bias_ih_l0, 'decoder/l0/bias', False),
             (model.out.weight, 'output/kernel', True), (model.out.bias, 'output/bias', False)]
    with torch.no_grad():
        for param, name, transpose in pairs:
            if name not in values:
                raise SystemExit(f'{folder}/weights.json: no weight "{name}" (a one-layer --task lm LSTM checkpoint is expected)')
            value = values[name].t() if transpose else values[name]
            if tuple(value.shape) != tuple(param.shape):
                wanted = list(reversed(param.shape)) if transpose else list(param.shape)
                raise SystemExit(f'{folder}: "{name}" has shape {list(values[name].shape)}, expected {wanted} for --emb {args.emb} --hidden {args.hidden} --vocab {args.vocab}')
            param.copy_(value)
        model.lstm.bias_hh_l0.zero_()


def nll_sum(logits, y, mask):
    per = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction='none')
    return (per * mask.reshape(-1)).sum()


def evaluate(model, stream, spans, args):
    carry = not args.no_carry_state
    model.eval()
    total, tokens, state = 0.0, 0, None
    with torch.no_grad():
        for rows in plan_streams(len(spans), args.eval_batch) if carry else [list(range(i, min(i + args.eval_batch, len(spans)))) for i in range(0, len(spans), args.eval_batch)]:
            x, y, mask = make_batch(stream, [spans[i] for i in rows], args.pad)
            logits, next_state = model(x, cut(state, len(rows)) if carry else None)
            state = next_state if carry else None
            total += nll_sum(logits, y, mask).item()
            tokens += int(mask.sum().item())
    model.train()
    return total / tokens


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_stream, valid_stream = read_stream(args.train), read_stream(args.valid)
    train_spans, valid_spans = windows(train_stream, args.window), windows(valid_stream, args.window)
    carry = not args.no_carry_state
    if carry:
        plan = plan_streams(len(train_spans), args.batch)
    else:
        plan = None
    model = CharLM(args.vocab, args.emb, args.hidden, args.layers)
    if args.init_from:
        if args.layers != 1:
            raise SystemExit('--init-from reads a one-layer model; --layers must be 1')
        load_seqloom_weights(model, args.init_from, args)
    if args.forget_bias is not None:
        with torch.no_grad():
            for layer in range(args.layers):
                getattr(model.lstm, f'bias_ih_l{layer}')[args.hidden:2 * args.hidden] = args.forget_bias
                getattr(model.lstm, f'bias_hh_l{layer}')[args.hidden:2 * args.hidden] = 0.0
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=args.eps)
    budget = args.minutes * 60.0
    started = time.perf_counter()
    step, epoch, tokens_seen, train_seconds, state, last_eval, losses = 0, 0, 0, 0.0, None, 0, []
    gen = torch.Generator().manual_seed(args.seed)

    def report(loss):
        elapsed = time.perf_counter() - started
        print(json.dumps({'event': 'eval', 'step': step, 'minutes': elapsed / 60, 'validLoss': loss}), flush=True)

    def out_of_budget():
        return time.perf_counter() - started >= budget or (args.max_steps > 0 and step >= args.max_steps)

    while not out_of_budget():
        batches = plan if carry else [p.tolist() for p in torch.randperm(len(train_spans), generator=gen).split(args.batch)]
        state = None
        for rows in batches:
            if out_of_budget():
                break
            t0 = time.perf_counter()
            x, y, mask = make_batch(train_stream, [train_spans[i] for i in rows], args.pad)
            logits, next_state = model(x, cut(state, len(rows)) if carry else None)
            n = mask.sum()
            loss = nll_sum(logits, y, mask) / n
            opt.zero_grad()
            loss.backward()
            if args.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            opt.step()
            state = tuple(t.detach() for t in next_state) if carry else None
            step += 1
            tokens_seen += int(n.item())
            train_seconds += time.perf_counter() - t0
            losses.append(loss.item())
            if args.log_steps:
                print(json.dumps({'event': 'step', 'step': step, 'loss': losses[-1]}), flush=True)
            if args.eval_every > 0 and step % args.eval_every == 0:
                report(evaluate(model, valid_stream, valid_spans, args))
                last_eval = step
        epoch += 1
    final = evaluate(model, valid_stream, valid_spans, args)
    if last_eval != step:
        report(final)
    print(json.dumps({
        'event': 'done', 'steps': step, 'epochs': epoch, 'validLoss': final, 'lastTrainLoss': losses[-1] if losses else None,
        'tokensSeen': tokens_seen, 'trainSeconds': train_seconds, 'wallSeconds': time.perf_counter() - started,
        'charsPerSecond': tokens_seen / train_seconds if train_seconds > 0 else 0.0,
        'threads': torch.get_num_threads(), 'torch': torch.__version__, 'carryState': carry,
        'validTokens': sum(e - s for s, e in valid_spans),
    }), flush=True)


if __name__ == '__main__':
    main()
