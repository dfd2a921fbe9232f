"""Exports all-MiniLM-L6-v2 (as packaged, unchanged) as Footnote's embedder: `models/minilm-embedder/`.

python -m footnote_training.export_embedder [--out ../models/minilm-embedder]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from transformers import AutoModel

from . import base_model
from .export import export

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "minilm-embedder")
    ap.add_argument("--keep-fp32", action="store_true")
    args = ap.parse_args(argv)
    model = AutoModel.from_pretrained(str(base_model.path()), attn_implementation="eager")
    int8 = export(model, "last_hidden_state", base_model.path(), args.out, "embedder", keep_fp32=args.keep_fp32)
    print(int8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
