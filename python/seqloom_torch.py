#!/usr/bin/env python3
"""The PyTorch twin of a seqloom model: the scale path for runs that outgrow one machine.

It reads the folder ``seqloom export --format safetensors`` writes (``config.json``,
``model.safetensors`` with PyTorch names, ``tokenizer.json``, ``generation.json``),
builds the same network (LSTM/GRU/tanh-RNN cells, stacked, bidirectional encoder,
dot/general/Bahdanau attention, input feeding, tied or shared embeddings, or a
decoder-only language model), computes the same logits, trains it -- on one CPU, or
on many GPUs under ``torchrun`` with DistributedDataParallel -- and writes the same
folder back for ``seqloom import``.

Needs only torch and the standard library. ``tokenizers`` (Hugging Face), when
installed, encodes text through the exported ``tokenizer.json``; without it, pass
``--pretokenized`` and data whose fields are space-separated token ids.

    python python/seqloom_torch.py logits --model DIR --inputs probe.json --out logits.json
    python python/seqloom_torch.py train --model DIR --data pairs.tsv --steps 20 --out DIR2
    torchrun --nproc_per_node 8 python/seqloom_torch.py train --model DIR --data pairs.tsv --steps 20000 --out DIR2

The math follows seqloom's TypeScript model (packages/seq2seq/src) line by line; see
packages/onnx/README.md, "safetensors and the PyTorch twin", for the name mapping.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import struct
import sys
import tempfile

import torch
import torch.nn.functional as F
from torch import nn

FOLDER_FORMAT = "seqloom-safetensors"
MASKED = -1e9  # additive attention mask at padded source positions, as seqloom
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
MAX_HEADER = 100_000_000
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


class TwinError(Exception):
    """A bad input file or option; the message names it and the fix."""


# ---------------------------------------------------------------- safetensors


def read_safetensors(path: str) -> dict[str, torch.Tensor]:
    """Reads a safetensors file (F32, F16, BF16 → float32 tensors), checking its layout."""
    if sys.byteorder != "little":
        raise TwinError("safetensors is little-endian; this reader supports little-endian machines only")
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise TwinError(f"{path}: {len(data)} bytes; a safetensors file starts with an 8-byte header length")
    (size,) = struct.unpack("<Q", data[:8])
    if size > MAX_HEADER or 8 + size > len(data):
        raise TwinError(f"{path}: declares a {size}-byte header the file cannot hold; truncated or not safetensors")
    try:
        header = json.loads(data[8 : 8 + size].decode("utf-8"))
    except ValueError as error:
        raise TwinError(f"{path}: its header is not UTF-8 JSON ({error})") from error
    start, covered, out = 8 + size, 0, {}
    for name, spec in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0] if kv[0] != "__metadata__" else -1):
        if name == "__metadata__":
            continue
        dtype = DTYPES.get(spec["dtype"])
        begin, end = spec["data_offsets"]
        if dtype is None:
            raise TwinError(f'{path}: tensor "{name}" has dtype {spec["dtype"]}; expected F32, F16 or BF16')
        count = 1
        for d in spec["shape"]:
            count *= d
        if begin != covered or end - begin != count * torch.finfo(dtype).bits // 8:
            raise TwinError(f'{path}: tensor "{name}" spans bytes [{begin}, {end}), not contiguous with its shape')
        covered = end
        flat = torch.frombuffer(bytearray(data[start + begin : start + end]), dtype=dtype) if count else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(spec["shape"]).to(torch.float32)
    if start + covered != len(data):
        raise TwinError(f"{path}: tensors cover {covered} bytes of data, the file holds {len(data) - start}")
    return out


def state_tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    """A twin's tensors by PyTorch name (a DDP wrapper is looked through)."""
    inner = model.module if hasattr(model, "module") else model
    return {name: p.detach() for name, p in inner.named_parameters()}


def save_safetensors(model, path: str, metadata: dict[str, str] | None = None) -> None:
    """Writes a twin (or a dict of tensors) as F32 safetensors that ``seqloom import`` reads."""
    tensors = state_tensors(model) if isinstance(model, nn.Module) else model
    header: dict = {"__metadata__": metadata or {"format": "pt", "producer": "seqloom_torch"}}
    blobs, offset = [], 0
    for name, tensor in tensors.items():
        flat = tensor.detach().to("cpu", torch.float32).contiguous()
        blob = ctypes.string_at(flat.data_ptr(), flat.numel() * 4) if flat.numel() else b""
        header[name] = {"dtype": "F32", "shape": list(flat.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------- the network


class Recurrent(nn.Module):
    """Stacked recurrent layers with nn.LSTM/nn.GRU/nn.RNN's parameter names and math.

    Parameters are ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``
    (``_reverse`` for the backward direction), gates in PyTorch's order. Unlike
    ``nn.LSTM(bidirectional=True)``, a bidirectional layer's output is the SUM of its two
    directions (seqloom's layout), so every layer above the first reads H features.
    Rows stop at their own length: padded steps never change the state, a reverse pass
    starts at each row's true end, and outputs there are zeros.
    """

    def __init__(self, cell: str, input_size: int, hidden: int, layers: int, bidirectional: bool):
        super().__init__()
        self.cell, self.hidden, self.layers = cell, hidden, layers
        self.directions = ["", "_reverse"] if bidirectional else [""]
        width, bound = GATES[cell] * hidden, hidden ** -0.5
        for layer in range(layers):
            for suffix in self.directions:
                size = input_size if layer == 0 else hidden
                for name, shape in (("weight_ih", (width, size)), ("weight_hh", (width, hidden)), ("bias_ih", (width,)), ("bias_hh", (width,))):
                    param = nn.Parameter(torch.empty(shape).uniform_(-bound, bound) if name.startswith("weight") else torch.zeros(shape))
                    self.register_parameter(f"{name}_l{layer}{suffix}", param)

    def weights(self, layer: int, suffix: str = "") -> list[torch.Tensor]:
        return [getattr(self, f"{n}_l{layer}{suffix}") for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]

    def zero_state(self, rows: int, like: torch.Tensor) -> tuple:
        zeros = like.new_zeros(rows, self.hidden)
        return (zeros, zeros) if self.cell == "lstm" else (zeros,)

    def step(self, gates_x: torch.Tensor, state: tuple, w_hh: torch.Tensor, b_hh: torch.Tensor) -> tuple:
        """One step from the projected input ``x·W_ihᵀ + b_ih`` [B, G·H]; returns the new state (h first)."""
        gates_h = F.linear(state[0], w_hh, b_hh)
        if self.cell == "lstm":
            i, f, g, o = (gates_x + gates_h).chunk(4, 1)
            c = torch.sigmoid(f) * state[1] + torch.sigmoid(i) * torch.tanh(g)
            return (torch.sigmoid(o) * torch.tanh(c), c)
        if self.cell == "gru":
            xr, xz, xn = gates_x.chunk(3, 1)
            hr, hz, hn = gates_h.chunk(3, 1)
            reset, update = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
            candidate = torch.tanh(xn + reset * hn)  # nn.GRU's reset-after form, as seqloom
            return (candidate + update * (state[0] - candidate),)
        return (torch.tanh(gates_x + gates_h),)

    def run(self, x: torch.Tensor, layer: int, suffix: str, state: tuple, lengths: torch.Tensor | None) -> tuple:
        """One direction of one layer over x [B, T, I]: outputs [B, T, H] and the final state."""
        w_ih, w_hh, b_ih, b_hh = self.weights(layer, suffix)
        gates = F.linear(x, w_ih, b_ih)  # [B, T, G·H]
        steps = x.shape[1]
        outputs = [None] * steps
        for t in reversed(range(steps)) if suffix else range(steps):
            new = self.step(gates[:, t], state, w_hh, b_hh)
            if lengths is None:
                state, outputs[t] = new, new[0]
                continue
            live = (t < lengths).unsqueeze(1)  # [B, 1]
            state = tuple(torch.where(live, n, s) for n, s in zip(new, state))
            outputs[t] = torch.where(live, new[0], torch.zeros_like(new[0]))
        return torch.stack(outputs, 1), state


class Attention(nn.Module):
    """Luong dot / general and Bahdanau additive scores with the top hidden state as query; ``tanh(linear_out([context; q]))``."""

    def __init__(self, kind: str, hidden: int):
        super().__init__()
        self.kind = kind
        if kind in ("general", "bahdanau"):
            self.linear_context = nn.Linear(hidden, hidden, bias=False)  # keys = memory · W₁
        if kind == "bahdanau":
            self.linear_query = nn.Linear(hidden, hidden, bias=False)
            self.v = nn.Linear(hidden, 1, bias=False)
        self.linear_out = nn.Linear(2 * hidden, hidden, bias=False)

    def keys(self, memory: torch.Tensor) -> torch.Tensor:
        return memory if self.kind == "dot" else self.linear_context(memory)

    def forward(self, queries: torch.Tensor, memory: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """queries [B, Q, H] → attentional vectors [B, Q, H]; mask [B, S] is 0 or MASKED."""
        if self.kind == "bahdanau":
            hidden = torch.tanh(keys.unsqueeze(1) + self.linear_query(queries).unsqueeze(2))  # [B, Q, S, H]
            scores = self.v(hidden).squeeze(-1)  # [B, Q, S]
        else:
            scores = torch.bmm(queries, keys.transpose(1, 2))  # [B, Q, S]
        weights = torch.softmax(scores + mask.unsqueeze(1), dim=-1)
        context = torch.bmm(weights, memory)  # [B, Q, H]
        return torch.tanh(self.linear_out(torch.cat([context, queries], dim=-1)))


class Generator(nn.Module):
    """The output layer: logits = x·Wᵀ + b, W untied [V, H] or the decoder embedding [V, E] (then x is projected H → E when H ≠ E)."""

    def __init__(self, hidden: int, embedding: int, vocab: int, tied: bool):
        super().__init__()
        self.tied = tied
        if not tied:
            self.weight = nn.Parameter(torch.empty(vocab, hidden).uniform_(-(hidden ** -0.5), hidden ** -0.5))
        self.bias = nn.Parameter(torch.zeros(vocab))
        self.projection = nn.Linear(hidden, embedding, bias=False) if tied and hidden != embedding else None

    def forward(self, x: torch.Tensor, embedding: torch.Tensor) -> torch.Tensor:
        if self.projection is not None:
            x = self.projection(x)
        return F.linear(x, embedding if self.tied else self.weight, self.bias)


class Encoder(nn.Module):
    def __init__(self, c: dict, own_embedding: bool):
        super().__init__()
        if own_embedding:
            self.embedding = nn.Embedding(c["sourceVocabSize"], c["embeddingSize"])
        setattr(self, c["cell"], Recurrent(c["cell"], c["embeddingSize"], c["hiddenSize"], c["layers"], c["bidirectional"]))


class Decoder(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        self.embedding = nn.Embedding(c["targetVocabSize"], c["embeddingSize"])
        feed = c["hiddenSize"] if c["inputFeeding"] else 0
        setattr(self, c["cell"], Recurrent(c["cell"], c["embeddingSize"] + feed, c["hiddenSize"], c["layers"], False))
        if c["attention"] != "none":
            self.attn = Attention(c["attention"], c["hiddenSize"])


class SeqloomTwin(nn.Module):
    """A seqloom model in PyTorch, built from config.json's ``model``; ``forward`` gives teacher-forced logits."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = c = config
        self.lm = c["task"] == "lm"
        self.shared = c["shareEmbeddings"] and not self.lm
        if not self.lm:
            self.encoder = Encoder(c, own_embedding=not self.shared)
        self.decoder = Decoder(c)
        self.generator = Generator(c["hiddenSize"], c["embeddingSize"], c["targetVocabSize"], c["tieEmbeddings"])

    def drop(self, x: torch.Tensor, rate: float) -> torch.Tensor:
        return F.dropout(x, rate, training=self.training) if rate > 0 else x

    def encode(self, source: torch.Tensor, lengths: torch.Tensor):
        """source [B, S] → memory [B, S, H] and each layer's final state (directions summed)."""
        c = self.config
        rnn = getattr(self.encoder, c["cell"])
        table = self.decoder.embedding if self.shared else self.encoder.embedding
        x = self.drop(table(source), c["embeddingDropout"])
        finals = []
        for layer in range(c["layers"]):
            zero = rnn.zero_state(source.shape[0], x)
            out, state = rnn.run(x, layer, "", zero, lengths)
            if c["bidirectional"]:
                back, back_state = rnn.run(x, layer, "_reverse", zero, lengths)
                out, state = out + back, tuple(a + b for a, b in zip(state, back_state))
            finals.append(state)
            x = self.drop(out, c["dropout"]) if layer < c["layers"] - 1 else out
        return out, finals

    def decode(self, embedded: torch.Tensor, states: list, attend) -> torch.Tensor:
        """Teacher-forced decoder outputs [B, T, H] (attentional vectors, or the top hidden state without attention)."""
        c = self.config
        rnn = getattr(self.decoder, c["cell"])
        if not c["inputFeeding"]:
            x = embedded
            for layer in range(c["layers"]):
                x, _ = rnn.run(x, layer, "", states[layer], None)
                x = self.drop(x, c["dropout"]) if layer < c["layers"] - 1 else x
            return attend(x) if attend else x
        e = c["embeddingSize"]
        weights = [rnn.weights(layer) for layer in range(c["layers"])]
        gates_embedded = F.linear(embedded, weights[0][0][:, :e], weights[0][2])  # [B, T, G·H]
        feed = embedded.new_zeros(embedded.shape[0], c["hiddenSize"])
        outputs = []
        for t in range(embedded.shape[1]):
            gates = gates_embedded[:, t] + F.linear(feed, weights[0][0][:, e:])
            for layer, (w_ih, w_hh, b_ih, b_hh) in enumerate(weights):
                if layer > 0:
                    gates = F.linear(self.drop(states[layer - 1][0], c["dropout"]), w_ih, b_ih)
                states[layer] = rnn.step(gates, states[layer], w_hh, b_hh)
            feed = attend(states[-1][0].unsqueeze(1)).squeeze(1)
            outputs.append(feed)
        return torch.stack(outputs, 1)

    def forward(self, source: torch.Tensor, source_lengths: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits [B, T, V] for decoder inputs target_in [B, T] (bos first)."""
        c = self.config
        rows = target_in.shape[0]
        embedded = self.drop(self.decoder.embedding(target_in), c["embeddingDropout"])
        rnn = getattr(self.decoder, c["cell"])
        attend = None
        if self.lm:
            states = [rnn.zero_state(rows, embedded) for _ in range(c["layers"])]
        else:
            memory, states = self.encode(source, source_lengths)
            if c["attention"] != "none":
                steps = torch.arange(source.shape[1], device=source.device)
                mask = torch.where(steps.unsqueeze(0) < source_lengths.unsqueeze(1), 0.0, MASKED).to(memory.dtype)
                keys = self.decoder.attn.keys(memory)
                attend = lambda q: self.decoder.attn(q, memory, keys, mask)  # noqa: E731
        outputs = self.drop(self.decode(embedded, list(states), attend), c["dropout"])
        return self.generator(outputs, self.decoder.embedding.weight)


def load_weights(model: SeqloomTwin, tensors: dict[str, torch.Tensor], path: str) -> None:
    """Copies tensors into the twin; names and shapes must be exactly the twin's."""
    params = dict(model.named_parameters())
    missing = [n for n in params if n not in tensors]
    extra = [n for n in tensors if n not in params]
    if missing or extra:
        raise TwinError(f"{path}: does not match config.json: missing {missing[:5]}, unexpected {extra[:5]}")
    with torch.no_grad():
        for name, param in params.items():
            if tuple(tensors[name].shape) != tuple(param.shape):
                raise TwinError(f'{path}: tensor "{name}" is {list(tensors[name].shape)}, config.json implies {list(param.shape)}')
            param.copy_(tensors[name])


# ---------------------------------------------------------------- the folder


def read_json(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise TwinError(f"{path}: cannot be read as JSON ({error})") from error


def load_folder(folder: str) -> tuple[dict, SeqloomTwin]:
    """Reads a safetensors folder: its config.json and the twin with its weights (frozen ones with requires_grad off)."""
    if not os.path.isfile(os.path.join(folder, "config.json")):
        raise TwinError(f"{folder}: holds no config.json; expected a folder written by seqloom export --format safetensors (or by this twin)")
    config = read_json(os.path.join(folder, "config.json"))
    if not isinstance(config, dict) or config.get("format") != FOLDER_FORMAT:
        raise TwinError(f'{folder}/config.json: expected "format": "{FOLDER_FORMAT}"; export the model with seqloom export --format safetensors')
    model = SeqloomTwin(config["model"])
    path = os.path.join(folder, config["files"]["weights"])
    load_weights(model, read_safetensors(path), path)
    frozen = set(config.get("frozen", []))
    for name, param in model.named_parameters():
        param.requires_grad_(name not in frozen)
    return config, model


def replaceable(out: str) -> bool:
    if not os.path.exists(out) or (os.path.isdir(out) and not os.listdir(out)):
        return True
    try:
        return read_json(os.path.join(out, "config.json")).get("format") == FOLDER_FORMAT
    except TwinError:
        return False


def check_out(out: str, overwrite: bool) -> None:
    """--out may be new, empty, or (with --overwrite) an earlier safetensors folder."""
    if os.path.exists(out) and not (overwrite and replaceable(out)):
        why = "pass --overwrite to replace it" if replaceable(out) else "it is not a seqloom safetensors folder; choose a new path"
        raise TwinError(f"--out {os.path.abspath(out)} already exists; {why}")


def write_folder(model: nn.Module, config: dict, source: str, out: str, overwrite: bool, note: dict | None = None) -> None:
    """Writes the twin as a safetensors folder (config, tokenizers and generation.json copied from ``source``), atomically."""
    out = os.path.abspath(out)
    check_out(out, overwrite)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    temp = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.tmp-", dir=parent)
    try:
        save_safetensors(model, os.path.join(temp, config["files"]["weights"]))
        for field, name in config["files"].items():
            if name and field != "weights":
                shutil.copyfile(os.path.join(source, name), os.path.join(temp, name))
        written = dict(config, **({"trainedBy": note} if note else {}))
        with open(os.path.join(temp, "config.json"), "w", encoding="utf-8") as f:
            json.dump(written, f, indent=2)
            f.write("\n")
        old = None
        if os.path.exists(out):
            old = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.old-", dir=parent)
            os.rmdir(old)
            os.rename(out, old)
        os.rename(temp, out)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


# ---------------------------------------------------------------- data


def text_encoder(folder: str, config: dict, field: str, pretokenized: bool):
    """text → ids: through the folder's tokenizer file with Hugging Face ``tokenizers``, or space-separated ids."""
    if pretokenized:
        return lambda text: [int(t) for t in text.split()]
    name = config["files"].get(field) or config["files"].get("tokenizer")
    if not name:
        raise TwinError(f"{folder}/config.json names no tokenizer; pass --pretokenized with space-separated token ids")
    try:
        from tokenizers import Tokenizer
    except ImportError as error:
        raise TwinError("encoding text needs the Python package tokenizers (pip install tokenizers); or pass --pretokenized with space-separated token ids") from error
    tokenizer = Tokenizer.from_file(os.path.join(folder, name))
    return lambda text: tokenizer.encode(text, add_special_tokens=False).ids


def read_pairs(path: str) -> list[tuple[str, str]]:
    """source<TAB>target[<TAB>target…] lines (``<TAB>target`` continues the previous source), or JSONL {"source", "target"}."""
    pairs, previous = [], None
    jsonl = path.endswith((".jsonl", ".json", ".ndjson"))
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            if jsonl:
                row = json.loads(line)
                targets = row["target"] if isinstance(row["target"], list) else [row["target"]]
                pairs += [(row["source"], t) for t in targets]
                continue
            fields = line.split("\t")
            if len(fields) < 2 or (fields[0] == "" and previous is None):
                raise TwinError(f"{path}:{number}: expected source<TAB>target")
            previous = fields[0] or previous
            pairs += [(previous, t) for t in fields[1:]]
    return pairs


def read_examples(folder: str, config: dict, data: str, pretokenized: bool, window: int) -> list[tuple[list, list, list]]:
    """(source, target_in, target_out) examples, shifted as seqloom's: in = [bos, …y], out = [y…, eos]."""
    m = config["model"]
    bos, eos = m["bosId"], m["eosId"]
    encode_target = text_encoder(folder, config, "tokenizer", pretokenized)
    if m["task"] == "lm":
        with open(data, encoding="utf-8") as f:
            stream = [bos, *encode_target(f.read()), eos]
        return [([], stream[i : i + window], stream[i + 1 : i + window + 1]) for i in range(0, len(stream) - 1, window)]
    encode_source = text_encoder(folder, config, "sourceTokenizer", pretokenized)
    examples = []
    for source, target in read_pairs(data):
        ids = encode_target(target)
        examples.append((encode_source(source), [bos, *ids], [*ids, eos]))
    return examples


def make_batch(rows: list, model_config: dict, device) -> dict[str, torch.Tensor]:
    """Pads a list of examples: sources with sourcePadId, targets with padId; mask 1 at real target positions."""
    source_length = max(1, max(len(r[0]) for r in rows))
    target_length = max(len(r[1]) for r in rows)
    source = torch.full((len(rows), source_length), model_config["sourcePadId"], dtype=torch.long)
    target_in = torch.full((len(rows), target_length), model_config["padId"], dtype=torch.long)
    target_out = target_in.clone()
    mask = torch.zeros(len(rows), target_length)
    for i, (s, t_in, t_out) in enumerate(rows):
        source[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        target_in[i, : len(t_in)] = torch.tensor(t_in, dtype=torch.long)
        target_out[i, : len(t_out)] = torch.tensor(t_out, dtype=torch.long)
        mask[i, : len(t_in)] = 1
    lengths = torch.tensor([len(r[0]) for r in rows], dtype=torch.long)
    batch = {"source": source, "lengths": lengths, "target_in": target_in, "target_out": target_out, "mask": mask}
    return {k: v.to(device) for k, v in batch.items()}


def masked_nll(logits: torch.Tensor, batch: dict, label_smoothing: float) -> torch.Tensor:
    """Mean NLL over real target tokens; with ε, (1 − ε)·NLL + ε·mean(−log p) per token, as seqloom."""
    flat = logits.reshape(-1, logits.shape[-1])
    losses = F.cross_entropy(flat, batch["target_out"].reshape(-1), reduction="none", label_smoothing=label_smoothing)
    mask = batch["mask"].reshape(-1)
    return (losses * mask).sum() / mask.sum().clamp_min(1)


# ---------------------------------------------------------------- training


def distributed_setup(requested: str) -> tuple[int, int, torch.device]:
    """rank, world size and device; under torchrun (WORLD_SIZE > 1) joins the process group (NCCL on GPUs, else gloo)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    if requested == "auto":
        device = torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    else:
        device = torch.device(f"cuda:{local}" if requested == "cuda" else requested)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if world > 1:
        torch.distributed.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
        return torch.distributed.get_rank(), world, device
    return 0, 1, device


def batches(examples: list, batch_size: int, seed: int, rank: int, world: int):
    """Endless shuffled batches (one order for all ranks, from the seed); rank r takes every world-th batch."""
    generator = torch.Generator().manual_seed(seed)
    index = 0
    while True:
        order = torch.randperm(len(examples), generator=generator).tolist()
        for start in range(0, len(order), batch_size):
            if index % world == rank:
                yield [examples[i] for i in order[start : start + batch_size]]
            index += 1


def train(args) -> int:
    check_out(args.out, args.overwrite)  # before any work: a refused --out is known at once
    rank, world, device = distributed_setup(args.device)
    torch.manual_seed(args.seed + rank)  # dropout masks differ per rank
    config, twin = load_folder(args.model)
    training = config.get("training", {})
    adam = training.get("optimizer") if isinstance(training.get("optimizer"), dict) else {}
    lr = args.lr if args.lr is not None else float(adam.get("learningRate", training.get("learningRate", 1e-3)))
    betas = (float(adam.get("beta1", 0.9)), float(adam.get("beta2", 0.999)))
    batch_size = args.batch_size or int(training.get("batchSize", 32))
    clip = args.clip_norm if args.clip_norm is not None else float(training.get("clipNorm", 5))
    smoothing = args.label_smoothing if args.label_smoothing is not None else float(training.get("labelSmoothing", 0))
    examples = read_examples(args.model, config, args.data, args.pretokenized, args.window)
    if not examples:
        raise TwinError(f"{args.data}: no training examples")
    twin.to(device).train()
    model = twin
    if world > 1:
        ids = [device.index] if device.type == "cuda" else None
        model = nn.parallel.DistributedDataParallel(twin, device_ids=ids)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr, betas=betas, eps=float(adam.get("epsilon", 1e-8)))
    stream = batches(examples, batch_size, args.seed, rank, world)
    for step in range(1, args.steps + 1):
        batch = make_batch(next(stream), config["model"], device)
        logits = model(batch["source"], batch["lengths"], batch["target_in"])
        loss = masked_nll(logits, batch, smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        if rank == 0 and (step % args.log_every == 0 or step == args.steps):
            print(json.dumps({"step": step, "loss": round(loss.item(), 6)}), flush=True)
    if rank == 0:
        note = {"tool": "seqloom_torch", "steps": args.steps, "worldSize": world, "learningRate": lr, "batchSize": batch_size}
        write_folder(twin.to("cpu"), config, args.model, args.out, args.overwrite, note)
        print(json.dumps({"out": os.path.abspath(args.out), "steps": args.steps}), flush=True)
    if world > 1:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
    return 0


def logits(args) -> int:
    """Teacher-forced logits for probe rows: {"sources": [[ids]], "targets": [[bos, ids…]]} → {"logits": [B][T][V]}."""
    config, twin = load_folder(args.model)
    probe = read_json(args.inputs)
    m = config["model"]
    sources = probe.get("sources") or [[] for _ in probe["targets"]]
    rows = [(s, t, t) for s, t in zip(sources, probe["targets"])]
    batch = make_batch(rows, m, torch.device("cpu"))
    twin.eval()
    with torch.no_grad():
        out = twin(batch["source"], batch["lengths"], batch["target_in"])
    values = [out[i, : len(t)].tolist() for i, t in enumerate(probe["targets"])]
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"logits": values}, f)
    return 0


def jobs(args) -> int:
    """Runs several subcommands (a JSON list of argument lists) in one process, paying torch's start-up once."""
    for argv in read_json(args.file):
        code = main(argv)
        if code:
            return code
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="seqloom_torch", description="The PyTorch twin of a seqloom model (see the module docstring).")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the twin on pairs (or text for a language model) and write a folder for seqloom import")
    t.add_argument("--model", required=True, help="folder written by seqloom export --format safetensors (or by this command)")
    t.add_argument("--data", required=True, help="TSV/JSONL pairs (seq2seq) or a text file (lm)")
    t.add_argument("--out", required=True, help="folder to write (config.json, model.safetensors, tokenizers)")
    t.add_argument("--steps", type=int, default=20)
    t.add_argument("--batch-size", type=int, default=0, help="default: the seqloom run's batchSize (32)")
    t.add_argument("--lr", type=float, default=None, help="Adam learning rate; default: the seqloom run's (1e-3); the twin always trains with Adam")
    t.add_argument("--clip-norm", type=float, default=None, help="clip gradients to this global L2 norm; default: the seqloom run's (5)")
    t.add_argument("--label-smoothing", type=float, default=None, help="default: the seqloom run's (0)")
    t.add_argument("--window", type=int, default=128, help="lm: tokens predicted per window")
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--device", default="auto", help="auto (cuda:LOCAL_RANK when there is a GPU), cpu, cuda, cuda:N")
    t.add_argument("--pretokenized", action="store_true", help="data fields are space-separated token ids (no tokenizers package needed)")
    t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--overwrite", action="store_true", help="replace an earlier --out folder")
    t.set_defaults(run=train)
    g = sub.add_parser("logits", help="teacher-forced logits for probe rows (parity checks against seqloom)")
    g.add_argument("--model", required=True)
    g.add_argument("--inputs", required=True, help='JSON {"sources": [[ids]], "targets": [[bos, ids…]]}')
    g.add_argument("--out", required=True)
    g.set_defaults(run=logits)
    j = sub.add_parser("jobs", help="run a JSON list of argument lists in one process")
    j.add_argument("file")
    j.set_defaults(run=jobs)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except TwinError as error:
        print(f"seqloom_torch: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
