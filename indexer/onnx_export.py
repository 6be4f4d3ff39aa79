"""Export the packaged MiniLM to ONNX, once, from the weights on this machine.

torch and transformers are needed only here, at build time: a query process
runs the export with onnxruntime. torch.onnx.export's TorchScript exporter is
used (no optimum: it downgraded transformers in a dry run); the graph returns
the token states, and pooling stays in embeddings.py, as sentence-transformers
does it. The weights are stored beside the graph (ONNX external data):
onnxruntime maps that file instead of copying it, which kept about 70 MB
less in a serving process (README, serving targets).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

ONNX_FILE = "model.onnx"
DATA_FILE = "model.onnx.data"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def is_complete(graph: Path) -> bool:
    """Whether the export's graph and its weights are both there (an export made
    before the weights moved to their own file has the graph alone)."""
    return graph.is_file() and graph.with_name(DATA_FILE).is_file()


def checksum(graph: Path) -> str:
    """The export's SHA-256: its graph and its weights."""
    from .index_store import file_sha256

    parts = (file_sha256(graph), file_sha256(graph.with_name(DATA_FILE)))
    return hashlib.sha256(" ".join(parts).encode()).hexdigest()


def export(model_path: str, target: Path) -> Path:
    """Write target/model.onnx and its weights from the transformer in model_path.

    Made in a temporary folder, then renamed into place, weights first: a
    process that has the previous export open keeps its files, and a new one
    never finds the new graph without its weights."""
    import onnx
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(model_path).eval()

    class TokenStates(torch.nn.Module):
        # transformers 5 reordered forward()'s positional arguments: pass them by name.
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".export-{os.getpid()}.tmp"
    tmp.mkdir()
    example = tuple(torch.ones(1, 8, dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS + ("last_hidden_state",)}
    try:
        with torch.no_grad():
            torch.onnx.export(TokenStates(model), example, str(tmp / "whole.onnx"), input_names=list(INPUTS),
                              output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=OPSET, dynamo=False)
        onnx.save_model(onnx.load(str(tmp / "whole.onnx")), str(tmp / ONNX_FILE), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=DATA_FILE)
        shutil.copymode(tmp / ONNX_FILE, tmp / DATA_FILE)  # onnx writes it owner-only; a service user reads it
        os.replace(tmp / DATA_FILE, target / DATA_FILE)
        os.replace(tmp / ONNX_FILE, target / ONNX_FILE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target / ONNX_FILE
