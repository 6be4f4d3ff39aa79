"""Export the packaged MiniLM to ONNX, once, from the weights on this machine.

torch and transformers are needed only here, at build time: a query process
runs the export with onnxruntime. torch.onnx.export's TorchScript exporter is
used (no optimum: it downgraded transformers in a dry run); the graph returns
the token states, and pooling stays in embeddings.py, as sentence-transformers
does it.
"""
from __future__ import annotations

import os
from pathlib import Path

ONNX_FILE = "model.onnx"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export(model_path: str, target: Path) -> Path:
    """Write target/model.onnx from the transformer in model_path; atomic (a temporary file, then a rename)."""
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
    out = target / ONNX_FILE
    tmp = target / f".{ONNX_FILE}.{os.getpid()}.tmp"
    example = tuple(torch.ones(1, 8, dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS + ("last_hidden_state",)}
    try:
        with torch.no_grad():
            torch.onnx.export(TokenStates(model), example, str(tmp), input_names=list(INPUTS),
                              output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=OPSET, dynamo=False)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
