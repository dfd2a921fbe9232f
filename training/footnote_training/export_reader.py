"""Exports a trained reader (`train_reader.py`'s output) as `models/minilm-reader/`, int8, with
`check.json`: a few pairs with their PyTorch (fp32) and onnxruntime (int8) probabilities, which the
TypeScript tests compare with what transformers.js computes.

    python -m footnote_training.export_reader --trained build/reader [--out ../models/minilm-reader]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from . import base_model
from .export import export, write_json
from .reader import MAX_LENGTH, score

ROOT = Path(__file__).resolve().parents[2]

#: Pairs every export is checked on (and the TypeScript tests after it).
CHECK_PAIRS = [
    ("Where did Trump and Putin meet?", "The two leaders met at Joint Base Elmendorf-Richardson in Anchorage, Alaska."),
    ("Where did Trump and Putin meet?", "Trump told Fox News anchor Sean Hannity that he would grade the meeting a 10."),
    ("How long did Putin speak?", "Putin spoke for roughly eight minutes. || The two leaders appeared before reporters."),
    ("What car did they ride in?", "Both men got into the U.S. president's armored limousine, known as the Beast."),
    ("Who won the World Cup in 1998?", "Both men got into the U.S. president's armored limousine, known as the Beast."),
]


def onnx_probabilities(onnx_path: Path, tokenizer, pairs: list[tuple[str, str]]) -> list[float]:
    """Each pair alone, as the bot reads them: dynamic int8 quantizes activations once per call, so a
    pair's score in a padded batch depends on its neighbours."""
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    out = []
    for q, p in pairs:
        enc = tokenizer([q], [p], truncation="only_second", max_length=MAX_LENGTH, return_tensors="np")
        feeds = {i.name: enc[i.name].astype(np.int64) for i in session.get_inputs()}
        out.append(float(session.run(None, feeds)[0][0, 0]))
    return (1 / (1 + np.exp(-np.array(out)))).tolist()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trained", type=Path, required=True, help="train_reader.py's --out folder (or 'base' for the untrained head)")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "minilm-reader")
    ap.add_argument("--keep-fp32", action="store_true")
    args = ap.parse_args(argv)
    source = base_model.path() if str(args.trained) == "base" else args.trained / "torch"
    if not source.is_dir():
        print(f"The trained reader {source} is missing: run footnote_training.train_reader first", file=sys.stderr)
        return 66
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=1, attn_implementation="eager")
    tokenizer = AutoTokenizer.from_pretrained(str(base_model.path()))
    int8 = export(model, "logits", base_model.path(), args.out, "reader", keep_fp32=True, ffn_in_fp32=True)
    torch_p = score(tokenizer, model, [q for q, _ in CHECK_PAIRS], [p for _, p in CHECK_PAIRS])
    fp32_p = onnx_probabilities(args.out / "onnx" / "model.onnx", tokenizer, CHECK_PAIRS)
    int8_p = onnx_probabilities(int8, tokenizer, CHECK_PAIRS)
    worst = max(abs(a - b) for a, b in zip(torch_p, fp32_p, strict=True))
    if worst > 1e-3:
        raise RuntimeError(f"the fp32 ONNX differs from PyTorch by {worst:.2e}")
    write_json(args.out / "check.json", {"pairs": [{"question": q, "passage": p, "torch": t, "int8": i} for (q, p), t, i in zip(CHECK_PAIRS, torch_p, int8_p, strict=True)]})
    if not args.keep_fp32:
        (args.out / "onnx" / "model.onnx").unlink()
    print(f"{int8}: PyTorch and fp32 ONNX agree to {worst:.1e}; int8 differs by at most {max(abs(a - b) for a, b in zip(torch_p, int8_p, strict=True)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
