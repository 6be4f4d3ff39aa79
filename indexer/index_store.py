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

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

FORMAT_VERSION = 4  # 2: concepts.json; 3: the manifest lists every file with its checksum; 4: spans/
MANIFEST = "manifest.json"
CURRENT = "current"
BUILDS = "builds"
KEEP_BUILDS = 2
LOCK = ".building"  # held (flock) by the process writing a partial build; gone when it dies
REHASH_SECONDS = 60.0  # a whole-index check re-reads every file at least this often, else compares sizes/mtimes
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
    problem = damage(build, manifest)
    if problem:
        raise IndexCorrupt(f"the index in {build} is damaged: {problem}: {REBUILD_HINT}")
    return manifest


def checksums(build: Path) -> dict[str, dict]:
    """Every file of a build but the manifest: relative path -> {bytes, sha256}."""
    out = {}
    for path in sorted(p for p in build.rglob("*") if p.is_file()):
        rel = path.relative_to(build).as_posix()
        if rel not in (MANIFEST, LOCK):
            out[rel] = {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
    return out


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB blocks (index files and the model export)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def damage(build: Path, manifest: dict, hashed: bool = True) -> str | None:
    """What is wrong with a build against its manifest's file list (None: whole). hashed=False: sizes only."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "its manifest lists no files"
    for rel, want in files.items():
        path = build / rel
        try:
            size = path.stat().st_size
        except OSError:
            return f"{rel} is missing"
        if not isinstance(want, dict) or size != want.get("bytes"):
            return f"{rel} has {size} bytes, the build wrote {want.get('bytes') if isinstance(want, dict) else '?'}"
        if hashed and file_sha256(path) != want.get("sha256"):
            return f"{rel} changed after the build (checksum differs)"
    return None


class WholeCheck:
    """damage() for /healthz, cheap when repeated: files are re-read only when a size or mtime moved,
    or REHASH_SECONDS have passed; the last answer is kept for everyone asking meanwhile."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key = None
        self._answer: str | None = None
        self._hashed_at = 0.0

    def __call__(self, build: Path, manifest: dict) -> str | None:
        key = (str(build), _signature(build, manifest))
        now = time.monotonic()
        if key == self._key and now - self._hashed_at < REHASH_SECONDS:
            return self._answer
        if not self._lock.acquire(blocking=False):
            return self._answer if self._key is not None else damage(build, manifest, hashed=False)
        try:
            self._answer = damage(build, manifest)
            self._key, self._hashed_at = key, now
            return self._answer
        finally:
            self._lock.release()


def _signature(build: Path, manifest: dict) -> tuple:
    out = []
    for rel in manifest.get("files") or {}:
        try:
            st = (build / rel).stat()
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


_BUILDING: dict[Path, int] = {}


def new_partial(index_root: Path, stamp: str) -> Path:
    """A folder for a new build, locked while this process writes it; leftovers of killed builds are removed."""
    builds = index_root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    _remove_dead_partials(builds)
    partial = builds / f".{stamp}.partial"
    partial.mkdir()
    fd = os.open(partial / LOCK, os.O_CREAT | os.O_WRONLY, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _BUILDING[partial] = fd
    return partial


def _remove_dead_partials(builds: Path) -> None:
    """A partial whose lock nobody holds belongs to a build that was killed: remove it now, not in an hour."""
    for partial in builds.glob(".*.partial"):
        if partial in _BUILDING:
            continue
        try:
            fd = os.open(partial / LOCK, os.O_RDONLY)
        except FileNotFoundError:
            shutil.rmtree(partial, ignore_errors=True)  # killed before it took its lock
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a build running in another process
        finally:
            os.close(fd)
        shutil.rmtree(partial, ignore_errors=True)


def _release(partial: Path) -> None:
    fd = _BUILDING.pop(partial, None)
    if fd is not None:
        os.close(fd)
    (partial / LOCK).unlink(missing_ok=True)


def publish(partial: Path, manifest: dict) -> Path:
    """Record every file's checksum, write the manifest last, then make the build current in one rename."""
    _release(partial)
    manifest = {**manifest, "files": checksums(partial)}
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
