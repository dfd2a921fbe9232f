"""Trains the reader and saves it (PyTorch weights, tokenizer, report) to an output folder.

python -m footnote_training.train_reader --out build/reader [--squad-train ../../shared/squad-train]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from . import base_model
from .data import hash_files, own_pairs, read_folder, squad_pairs
from .reader import TrainSettings, load, train

ROOT = Path(__file__).resolve().parents[2]
#: The project's own question sets that are fitted on (never the held-out halves).
OWN_FIT = ["dev-qa.jsonl", "team-qa.jsonl", "natural-fit.jsonl", "chat-fit.jsonl"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--squad-train", type=Path, default=ROOT.parent / "shared" / "squad-train")
    ap.add_argument("--questions", type=int, default=13000, help="squad-train questions sampled")
    ap.add_argument("--negatives", type=int, default=3, help="negatives a question")
    ap.add_argument("--swap-share", type=float, default=0.4)
    ap.add_argument("--own-repeat", type=int, default=3, help="times the own fitted pairs are repeated")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--contrast-weight", type=float, default=2.0)
    ap.add_argument("--max-minutes", type=float, default=None)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    if not args.squad_train.is_dir():
        print(f"The SQuAD training folder {args.squad_train} is missing: pass --squad-train", file=sys.stderr)
        return 66
    rng = random.Random(args.seed)
    articles = read_folder(args.squad_train)
    pairs = squad_pairs(articles, args.negatives, args.swap_share, rng, max_questions=args.questions)
    own_files = [ROOT / "data" / "eval" / f for f in OWN_FIT]
    own = own_pairs(ROOT / "data" / "article.txt", own_files, rng)
    pairs += own * args.own_repeat
    data_files = sorted(args.squad_train.glob("*.qa.jsonl")) + sorted(args.squad_train.glob("*.txt")) + [ROOT / "data" / "article.txt", *own_files]
    data_hash = hash_files(data_files)
    kinds = Counter(p.kind for p in pairs)
    print(f"{len(pairs)} pairs {dict(kinds)} data sha256 {data_hash}", flush=True)
    settings = TrainSettings(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        contrast_weight=args.contrast_weight,
        seed=args.seed,
        max_seconds=args.max_minutes * 60 if args.max_minutes else None,
    )
    tokenizer, model = load(base_model.path())
    stats = train(tokenizer, model, pairs, settings, log=lambda m: print(m, flush=True))
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out / "torch"))
    tokenizer.save_pretrained(str(args.out / "torch"))
    report = {
        "base": base_model.describe(),
        "data_sha256": data_hash,
        "pairs": dict(kinds),
        "settings": vars(args) | {"out": str(args.out), "squad_train": str(args.squad_train)},
        "training": stats,
    }
    (args.out / "train-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
