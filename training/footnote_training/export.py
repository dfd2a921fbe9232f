"""Export to the layout transformers.js 2.x reads, int8:

    <out>/config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx

ONNX opset 14 through TorchScript (IR 7), then onnxruntime's dynamic int8 quantization (IR 8): the
onnxruntime inside @xenova/transformers 2.17.2 loads IR 8 and lower only.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

#: The highest ONNX IR version @xenova/transformers 2.17.2's onnxruntime loads.
MAX_IR_VERSION = 8
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def export(model, output_name: str, tokenizer_dir: Path, out: Path, role: str, keep_fp32: bool = False, ffn_in_fp32: bool = False) -> Path:
    """Writes `out` (see the module's doc) and returns the int8 file. `model` is a BERT encoder
    (`last_hidden_state`) or a sequence classifier (`logits`). With `ffn_in_fp32`, the feed-forward
    layers' MatMuls stay fp32 (their activations' outliers are what dynamic int8 gets wrong: for the
    reader, int8 and fp32 then pick the same sentence for 98.5% of validation questions, against 96.5%
    with every MatMul in int8)."""
    out = Path(out)
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    model.eval()
    model.config.to_json_file(str(out / "config.json"))
    for name in TOKENIZER_FILES:
        shutil.copyfile(Path(tokenizer_dir) / name, out / name)
    fp32 = out / "onnx" / "model.onnx"
    dummy = {
        "input_ids": torch.tensor([[101, 2054, 2003, 102, 2023, 2003, 102]]),
        "attention_mask": torch.ones(1, 7, dtype=torch.long),
        "token_type_ids": torch.tensor([[0, 0, 0, 0, 1, 1, 1]]),
    }

    class Wrapped(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            result = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return result.logits if output_name == "logits" else result.last_hidden_state

    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}, "token_type_ids": {0: "batch", 1: "sequence"}}
    axes[output_name] = {0: "batch"} if output_name == "logits" else {0: "batch", 1: "sequence"}
    torch.onnx.export(
        Wrapped(model),
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(fp32),
        input_names=list(dummy),
        output_names=[output_name],
        dynamic_axes=axes,
        opset_version=14,
        dynamo=False,
    )
    int8 = out / "onnx" / "model_quantized.onnx"
    exclude = []
    if ffn_in_fp32:
        graph = onnx.load(str(fp32), load_external_data=False).graph
        exclude = [n.name for n in graph.node if n.op_type == "MatMul" and ("/intermediate/dense/" in n.name or ("/output/dense/" in n.name and "/attention/" not in n.name))]
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True, reduce_range=not ffn_in_fp32, nodes_to_exclude=exclude)
    for f in (fp32, int8):
        ir = onnx.load(str(f), load_external_data=False).ir_version
        if ir > MAX_IR_VERSION:
            raise RuntimeError(f"{f} has ONNX IR version {ir}; @xenova/transformers 2.17.2 loads {MAX_IR_VERSION} or lower")
    if not keep_fp32:
        fp32.unlink()
    write_manifest(out, role)
    return int8


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_manifest(out: Path, role: str) -> None:
    """`manifest.json`: the role and the sha256 of every file transformers.js reads (the bot checks them)."""
    files = ["config.json", *TOKENIZER_FILES, "onnx/model_quantized.onnx"]
    write_json(out / "manifest.json", {"role": role, "files": {f: sha256(out / f) for f in files}})


def write_json(path: Path, data: dict) -> None:
    Path(path).write_text(json.dumps(data, indent=2) + "\n")
