"""Where a built index lives, its manifest, and the atomic swap.

Layout under the index folder (var/index/ by default):
    builds/<stamp>/      one complete build: keyword/, concepts.json, vectors.faiss, chunks.json,
                         corpus/ (the corpus files it was built from), manifest.json
    current -> builds/<stamp>   a symlink, replaced atomically when a build completes

A build is written under builds/.<stamp>.partial and only renamed and
linked once everything, manifest last, is on disk, so a failed or
interrupted build never replaces a good index. Readers resolve `current`
once when they open; the previous build is kept so that a process still
reading it is not pulled from under its feet.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

FORMAT_VERSION = 2  # 2: concepts.json
MANIFEST = "manifest.json"
CURRENT = "current"
BUILDS = "builds"
KEEP_BUILDS = 2
STALE_PARTIAL_SECONDS = 3600
REBUILD_HINT = "run: policykb build"


class IndexProblem(Exception):
    """The index cannot serve; the message says what to run."""


class IndexMissing(IndexProblem):
    pass


class IndexStale(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    pass


def current_build(index_root: Path) -> Path:
    link = index_root / CURRENT
    if not link.exists():
        raise IndexMissing(f"no index in {index_root}: {REBUILD_HINT}")
    return link.resolve()


def current_name(index_root: Path) -> str | None:
    try:
        return os.readlink(index_root / CURRENT)
    except OSError:
        return None


def read_manifest(build: Path) -> dict:
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"the index manifest in {build} is missing or unreadable ({exc}): {REBUILD_HINT}") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStale(
            f"the index in {build} has format {manifest.get('format_version') if isinstance(manifest, dict) else '?'}, "
            f"this version of policykb reads format {FORMAT_VERSION}: {REBUILD_HINT}"
        )
    return manifest


def new_partial(index_root: Path, stamp: str) -> Path:
    partial = index_root / BUILDS / f".{stamp}.partial"
    partial.mkdir(parents=True)
    return partial


def publish(partial: Path, manifest: dict) -> Path:
    """Write the manifest last, then make the build current in one rename."""
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    builds = partial.parent
    final = builds / partial.name.removeprefix(".").removesuffix(".partial")
    partial.rename(final)
    index_root = builds.parent
    tmp_link = index_root / f".{CURRENT}.{final.name}"
    os.symlink(f"{BUILDS}/{final.name}", tmp_link)
    os.replace(tmp_link, index_root / CURRENT)
    _prune(builds, keep=final.name)
    return final


def _prune(builds: Path, keep: str) -> None:
    done = sorted((p for p in builds.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    for partial in builds.glob(".*.partial"):
        # Leftovers of interrupted builds; a build running elsewhere is younger.
        if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
            shutil.rmtree(partial, ignore_errors=True)
