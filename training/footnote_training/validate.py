"""Validates an exported reader on SQuAD 2.0 articles it was never trained on (`../shared/squad`):
for a sample of questions, the candidates are the sentences of the question's paragraph and the
article's sentences sharing the most words with it; reports how often the best-scored candidate holds
the answer, how well the best score separates answerable from unanswerable questions (ROC AUC), and
how often the int8 and fp32 files pick the same candidate (the export's check: at least 98%).

    python -m footnote_training.validate --model ../models/minilm-reader [--squad ../../shared/squad]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from transformers import AutoTokenizer

from .data import _overlap, answering_sentences, passage, read_folder
from .reader import MAX_LENGTH

ROOT = Path(__file__).resolve().parents[2]


def candidates(article, q, others: int = 8) -> list[tuple[int, int]]:
    own = [(q.paragraph - 1, i) for i in range(len(article.paragraphs[q.paragraph - 1]))]
    rest = [(p, i) for p, ss in enumerate(article.paragraphs) if p != q.paragraph - 1 for i in range(len(ss))]
    rest.sort(key=lambda pi: -_overlap(q.q, article.paragraphs[pi[0]][pi[1]]))
    return own + rest[:others]


def logits(session, tokenizer, question: str, passages: list[str]) -> np.ndarray:
    enc = tokenizer([question] * len(passages), passages, padding=True, truncation="only_second", max_length=MAX_LENGTH, return_tensors="np")
    return session.run(None, {i.name: enc[i.name].astype(np.int64) for i in session.get_inputs()})[0][:, 0]


def auc(positive: list[float], negative: list[float]) -> float:
    scores = np.array(positive + negative)
    ranks = scores.argsort().argsort() + 1
    n_pos, n_neg = len(positive), len(negative)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "minilm-reader")
    ap.add_argument("--fp32", type=Path, help="the fp32 ONNX file to compare with (default: <model>/onnx/model.onnx when present)")
    ap.add_argument("--squad", type=Path, default=ROOT.parent / "shared" / "squad")
    ap.add_argument("--questions", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if not args.squad.is_dir():
        print(f"The SQuAD folder {args.squad} is missing: pass --squad", file=sys.stderr)
        return 66
    tokenizer = AutoTokenizer.from_pretrained(str(args.model))
    int8 = ort.InferenceSession(str(args.model / "onnx" / "model_quantized.onnx"), providers=["CPUExecutionProvider"])
    fp32_path = args.fp32 or args.model / "onnx" / "model.onnx"
    fp32 = ort.InferenceSession(str(fp32_path), providers=["CPUExecutionProvider"]) if fp32_path.exists() else None
    rng = random.Random(args.seed)
    sample = [(a, q) for a in read_folder(args.squad) for q in a.questions if q.paragraph]
    rng.shuffle(sample)
    right = answerable = agree = compared = 0
    best_pos: list[float] = []
    best_neg: list[float] = []
    for article, q in sample[: args.questions]:
        ids = candidates(article, q)
        passages = [passage(article.paragraphs[p], i) for p, i in ids]
        z = logits(int8, tokenizer, q.q, passages)
        top = int(z.argmax())
        if fp32 is not None:
            compared += 1
            agree += int(int(logits(fp32, tokenizer, q.q, passages).argmax()) == top)
        if q.answerable:
            answerable += 1
            hits = answering_sentences(article.paragraphs[q.paragraph - 1], q.spans)
            ok = ids[top][0] == q.paragraph - 1 and ids[top][1] in hits
            right += int(ok)
            best_pos.append(float(z[top]))
        else:
            best_neg.append(float(z[top]))
    report = {
        "questions": min(len(sample), args.questions),
        "top1_right_answerable": round(right / max(1, answerable), 4),
        "best_score_auc_answerable_vs_not": round(auc(best_pos, best_neg), 4),
        "int8_fp32_top1_agreement": round(agree / compared, 4) if compared else None,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
