"""PyTorch anchor of `pnpm bench decode-loop`: the per-row work of a decoding
step at a real vocabulary size, as Hugging Face generate() does it in eager
PyTorch, on `--threads` threads (run it under `taskset` to pin every thread).

Prints one JSON line: torch's version, and µs per call / per row for
  - log_softmax of one row of `--vocab` logits;
  - greedy: log_softmax + argmax over [batch, vocab], per row;
  - beam: log_softmax over [batch·beam, vocab] + beam scores, then topk(2·beam)
    over each source's beam·vocab candidates (HF's beam step), per row;
  - topk alone over [batch, beam·vocab], per row;
  - top-p sampling as HF's TopPLogitsWarper (sort, softmax, cumsum, scatter)
    + softmax + multinomial over [batch, vocab], per row.
Logits are standard normal × 3, like the seqloom side's.
"""
import argparse
import json
import time

import torch


def best_us(fn, inner, repeats):
    for _ in range(max(3, inner // 4)):
        fn()
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t) / inner * 1e6)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", type=int, default=32000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--beam", type=int, default=5)
    p.add_argument("--top-p", type=float, default=0.9)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--inner", type=int, default=50)
    p.add_argument("--repeats", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    V, B, W = a.vocab, a.batch, a.beam
    row = torch.randn(1, V) * 3
    batch = torch.randn(B, V) * 3
    beam = torch.randn(B * W, V) * 3
    beam_scores = torch.randn(B * W, 1)

    def greedy():
        lp = torch.log_softmax(batch, dim=-1)
        return lp.argmax(dim=-1)

    def beam_step():
        lp = torch.log_softmax(beam, dim=-1) + beam_scores
        return torch.topk(lp.view(B, W * V), 2 * W, dim=1, largest=True, sorted=True)

    flat = beam.view(B, W * V)

    def topk_only():
        return torch.topk(flat, 2 * W, dim=1, largest=True, sorted=True)

    def top_p():
        sorted_logits, sorted_idx = torch.sort(batch, descending=False)
        cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove = cum <= (1 - a.top_p)
        remove[..., -1:] = False
        mask = remove.scatter(1, sorted_idx, remove)
        probs = torch.softmax(batch.masked_fill(mask, float("-inf")), dim=-1)
        return torch.multinomial(probs, 1)

    with torch.inference_mode():
        out = {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "vocab": V,
            "logSoftmaxUs": best_us(lambda: torch.log_softmax(row, dim=-1), a.inner * 4, a.repeats),
            "greedyUsPerRow": best_us(greedy, a.inner, a.repeats) / B,
            "beamUsPerRow": best_us(beam_step, a.inner // 2 or 1, a.repeats) / (B * W),
            "topkUsPerRow": best_us(topk_only, a.inner // 2 or 1, a.repeats) / (B * W),
            "topPUsPerRow": best_us(top_p, a.inner, a.repeats) / B,
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
