import json
import random
import shutil
import subprocess
from pathlib import Path

import onnx
import pytest

from footnote_training import base_model
from footnote_training.data import read_folder, squad_pairs
from footnote_training.export import MAX_IR_VERSION, export
from footnote_training.reader import TrainSettings, load, score, train

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pairs = squad_pairs(read_folder(FIXTURES), per_question_negatives=2, swap_share=0.5, rng=random.Random(0))
    tokenizer, model = load(base_model.path())
    before = [p.detach().clone() for p in model.classifier.parameters()]
    stats = train(tokenizer, model, pairs[:8], TrainSettings(epochs=1, batch_size=8, threads=1))
    return tokenizer, model, before, stats, tmp_path_factory.mktemp("models")


def test_one_training_step_moves_the_head(trained):
    _, model, before, stats, _ = trained
    assert stats["steps"] == 1 and stats["pairs"] == 8
    assert any((a - b).abs().sum() > 0 for a, b in zip(before, model.classifier.parameters(), strict=True))


@pytest.mark.skipif(shutil.which("node") is None or not (REPO / "node_modules" / "@xenova" / "transformers").is_dir(), reason="needs node and npm ci (transformers.js) in the repository")
def test_the_export_loads_in_transformers_js_and_scores_as_pytorch(trained):
    tokenizer, model, _, _, root = trained
    out = root / "reader"
    int8 = export(model, "logits", base_model.path(), out, "reader", keep_fp32=True)
    for f in (out / "onnx" / "model.onnx", int8):
        assert onnx.load(str(f), load_external_data=False).ir_version <= MAX_IR_VERSION
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["role"] == "reader" and "onnx/model_quantized.onnx" in manifest["files"]
    pairs = [["When was Tiny Town founded?", "Tiny Town was founded in 1850 by Ada Lovelace."], ["Who is the mayor?", "The mayor is Tom Smith. || Farmers grow apples near the river."]]
    expected = score(tokenizer, model, [q for q, _ in pairs], [p for _, p in pairs])

    def node(quantized: str) -> list[float]:
        run = subprocess.run(["node", str(Path(__file__).parent / "node_scores.mjs"), str(root), "reader", quantized], input=json.dumps(pairs), capture_output=True, text=True, check=True, cwd=REPO)
        return json.loads(run.stdout)

    assert node("0") == pytest.approx(expected, abs=1e-3)
    assert node("1") == pytest.approx(expected, abs=0.05)
