#!/usr/bin/env python3
"""PyTorch reference for seqloom's benchmarks: an nn.Embedding + nn.LSTM
encoder-decoder of the same shape as seqloom's model, trained with masked NLL,
Adam and clip-norm 1.0 (teacher forcing) on random data of a fixed seed, then
decoded greedily and with beam search. Prints one JSON object on stdout.

Run it with Debian's torch and OpenBLAS:
  apt-get install -y python3-torch libopenblas0-pthread
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/anchors/torch_seq2seq.py --threads 1
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--vocab', type=int, default=64)
    p.add_argument('--emb', type=int, default=128)
    p.add_argument('--hidden', type=int, default=256)
    p.add_argument('--layers', type=int, default=1)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--source-len', type=int, default=20)
    p.add_argument('--target-len', type=int, default=20)
    p.add_argument('--warmup', type=int, default=5)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--decode-sources', type=int, default=64)
    p.add_argument('--decode-warmup', type=int, default=10)
    p.add_argument('--decode-repeats', type=int, default=15)
    p.add_argument('--beam', type=int, default=5)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=1234)
    p.add_argument('--skip-decode', action='store_true')
    p.add_argument('--skip-train', action='store_true')
    p.add_argument('--data', help='JSON file with the exact batches and decode sources to use '
                   '(written by bench/train.ts); default: random data from --seed')
    p.add_argument('--probe-sgemm', metavar='M,K,N;...',
                   help='only time torch.mm at these shapes and print {"sgemm": [GFLOP/s, ...]}')
    p.add_argument('--early-stop', action='store_true',
                   help='let sentences stop at eos (default: every sentence runs --target-len steps)')
    return p.parse_args()


class Seq2Seq(nn.Module):
    def __init__(self, vocab, emb, hidden, layers):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.encoder = nn.LSTM(emb, hidden, layers, batch_first=True)
        self.decoder = nn.LSTM(emb, hidden, layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def encode(self, src, src_lens):
        packed = nn.utils.rnn.pack_padded_sequence(
            self.src_emb(src), src_lens, batch_first=True, enforce_sorted=False)
        _, state = self.encoder(packed)
        return state  # (h, c), each [layers, B, H]

    def forward(self, src, src_lens, tgt_in):
        state = self.encode(src, src_lens)
        out, _ = self.decoder(self.tgt_emb(tgt_in), state)  # [B, T, H]
        return self.out(out)  # [B, T, V]

    def step(self, prev, state, ban_eos):
        out, state = self.decoder(self.tgt_emb(prev).unsqueeze(1), state)
        logits = self.out(out[:, 0])
        if ban_eos:  # min length = max length: every sentence runs all steps
            logits[:, EOS] = float('-inf')
        return F.log_softmax(logits, dim=-1), state


def random_lengths(gen, n, max_len):
    low = max(1, (max_len + 1) // 2)
    return torch.randint(low, max_len + 1, (n,), generator=gen)


def random_batch(gen, a):
    """Source and target of varied lengths; targets shifted with bos / eos."""
    b, s, t = a.batch, a.source_len, a.target_len
    src_lens = random_lengths(gen, b, s)
    tgt_lens = random_lengths(gen, b, t)  # real target positions, eos included
    src = torch.randint(3, a.vocab, (b, s), generator=gen)
    src[torch.arange(s)[None, :] >= src_lens[:, None]] = PAD
    body = torch.randint(3, a.vocab, (b, t), generator=gen)
    pos = torch.arange(t)[None, :]
    tgt_out = torch.where(pos < tgt_lens[:, None] - 1, body, torch.full_like(body, PAD))
    tgt_out[torch.arange(b), tgt_lens - 1] = EOS
    tgt_in = torch.cat([torch.full((b, 1), BOS), body[:, :-1]], dim=1)
    tgt_in[pos >= tgt_lens[:, None]] = PAD
    return src, src_lens, tgt_in, tgt_out


def load_data(path):
    with open(path) as f:
        data = json.load(f)
    batches = [(torch.tensor(b['source']), torch.tensor(b['sourceLengths']),
                torch.tensor(b['targetIn']), torch.tensor(b['targetOut'])) for b in data['batches']]
    return batches, torch.tensor(data['decodeSources'])


def train(model, a, batches):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times, losses, tokens = [], [], []
    for i in range(a.warmup + a.steps):
        src, src_lens, tgt_in, tgt_out = batches[i % len(batches)]
        t0 = time.perf_counter()
        logits = model(src, src_lens, tgt_in)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), tgt_out.reshape(-1),
                               ignore_index=PAD)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        dt = time.perf_counter() - t0
        if i >= a.warmup:
            times.append(dt)
            tokens.append(int((tgt_out != PAD).sum()))
        losses.append(float(loss))
    ms = statistics.median(times) * 1000
    tok = statistics.median([n / t for n, t in zip(tokens, times)])
    return {'trainTokPerSec': tok, 'msPerStep': ms, 'firstLoss': losses[0],
            'lastLoss': losses[-1], 'steps': a.steps}


@torch.no_grad()
def greedy(model, src, src_lens, max_len, ban_eos):
    state = model.encode(src, src_lens)
    prev = torch.full((src.shape[0],), BOS)
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    out = []
    for t in range(max_len):
        logp, state = model.step(prev, state, ban_eos)
        prev = logp.argmax(-1)
        prev = torch.where(done, torch.full_like(prev, PAD), prev)
        out.append(prev)
        done |= prev == EOS
        if bool(done.all()):
            break
    return torch.stack(out, 1)


@torch.no_grad()
def beam_search(model, src, src_lens, k, max_len, ban_eos):
    """Batched beam search: all sources x k beams advance in one decoder step."""
    n = src.shape[0]
    h, c = model.encode(src, src_lens)
    state = (h.repeat_interleave(k, 1), c.repeat_interleave(k, 1))
    scores = torch.full((n, k), float('-inf'))
    scores[:, 0] = 0.0
    prev = torch.full((n * k,), BOS)
    finished = torch.zeros(n, k, dtype=torch.bool)
    history = []
    for t in range(max_len):
        logp, state = model.step(prev, state, ban_eos)
        logp = logp.view(n, k, -1)
        # finished beams only extend with pad at no cost
        logp = torch.where(finished[..., None], torch.full_like(logp, float('-inf')), logp)
        logp[..., PAD] = torch.where(finished, 0.0, float('-inf'))
        total = (scores[..., None] + logp).view(n, -1)
        scores, idx = total.topk(k, dim=-1)
        beam = idx // logp.shape[-1]
        token = idx % logp.shape[-1]
        rows = (beam + torch.arange(n)[:, None] * k).view(-1)
        state = (state[0][:, rows], state[1][:, rows])
        finished = finished.gather(1, beam) | (token == EOS)
        history = [hh.gather(1, beam) for hh in history] + [token]
        prev = token.view(-1)
        if bool(finished.all()):
            break
    return torch.stack(history, -1)[:, 0]


def decode(model, a, src):
    model.eval()
    src_lens = torch.full((src.shape[0],), src.shape[1])
    res = {}
    for name, fn in (('greedy', lambda: greedy(model, src, src_lens, a.target_len, not a.early_stop)),
                     ('beam', lambda: beam_search(model, src, src_lens, a.beam, a.target_len, not a.early_stop))):
        for _ in range(a.decode_warmup):
            fn()
        times = []
        for _ in range(a.decode_repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        res[name + 'SentPerSec'] = src.shape[0] / statistics.median(times)
    return res


def probe_sgemm(spec, seconds=0.3):
    """GFLOP/s of torch.mm (row-major [M, K] x [K, N], float32) per shape, best of repeated timings."""
    rates = []
    for shape in spec.split(';'):
        m, k, n = (int(v) for v in shape.split(','))
        a, b = torch.randn(m, k), torch.randn(k, n)
        out = torch.empty(m, n)
        torch.mm(a, b, out=out)
        best, spent = float('inf'), 0.0
        while spent < seconds:
            reps = 10
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(a, b, out=out)
            dt = (time.perf_counter() - t0) / reps
            best, spent = min(best, dt), spent + dt * reps
        rates.append(2 * m * k * n / best / 1e9)
    return rates


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    if a.probe_sgemm:
        json.dump({'threads': a.threads, 'torch': torch.__version__, 'sgemm': probe_sgemm(a.probe_sgemm)}, sys.stdout)
        sys.stdout.write('\n')
        return
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    model = Seq2Seq(a.vocab, a.emb, a.hidden, a.layers)
    result = {'threads': a.threads, 'torch': torch.__version__,
              'openblasThreads': os.environ.get('OPENBLAS_NUM_THREADS')}
    if a.data:
        batches, sources = load_data(a.data)
    else:
        batches = [random_batch(gen, a) for _ in range(8)]
        sources = torch.randint(3, a.vocab, (a.decode_sources, a.source_len), generator=gen)
    if not a.skip_train:
        result.update(train(model, a, batches))
    if not a.skip_decode:
        result.update(decode(model, a, sources))
    result['peakRssMiB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
