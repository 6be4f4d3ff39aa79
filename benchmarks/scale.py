"""How cost grows with the corpus: synthetic corpora of about 1k, 10k and 100k chunks.

    .venv/bin/python benchmarks/scale.py [--quick] [--sizes 1000,10000,100000]

Each corpus is the real corpus plus one synthetic document, `synthetic-scale`
(an id no real document has: units `synthetic-scale/art-<n>`), whose articles
are the real articles' sentences shuffled and recombined, in both languages,
with lengths drawn from the real chunks. The index is built through the real
code paths (corpus loader and chunker, keyword_index.build, the Embedder,
vector_index.build, index_store.publish) and opened with SearchEngine.open, so
the query figures are the engine's own. Each size runs in its own process, so
its peak memory (VmHWM) is its own.

Simplifications, stated in the output:
- Only the English vector view is built (a real build also embeds the Chinese
  view: about twice the embedding time and vector bytes). Chinese questions
  are then matched against the English view.
- Above --embed-all chunks (default 12,000; 0 with --quick) only a sample is
  embedded, to measure the rate; the other vectors are derived from the
  sample's real embeddings (the mean of two random sampled vectors plus
  Gaussian noise, normalised), so FAISS works on realistic-looking data.
  Whoosh is always built for real at every size.

FAISS: IndexFlatIP (exact) and IndexHNSWFlat (M=HNSW_NEIGHBOURS,
efSearch=64, as vector_index.make_index builds it) are compared on the same
vectors at more sizes: build time, bytes, single-query search time at k=60
(the engine's CANDIDATES) and HNSW recall against the exact answer.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (REPO, counts, encoding_floor, header, log, median, mib, ms, pct, proc_status, questions,
                    quiet_stdout, table)

DOC_ID = "synthetic-scale"
SEED = 20261128
FAISS_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
FAISS_SIZES_QUICK = (1_000, 10_000)
MODES = ("hybrid", "keyword", "semantic")
EF_SEARCH = (64, 128, 256)  # 64 is what vector_index.make_index sets
_EN_SENT = re.compile(r"(?<=[.;:])\s+")
_ZH_SENT = re.compile(r"(?<=[。；：])")
_ITEM = re.compile(r"^\s*[（(]\s*(?:[一二三四五六七八九十]+|[0-9]+)\s*[)）]\s*")


def dir_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- the synthetic corpus ------------------------------------------------------

def _clean(sentence: str) -> str:
    return _ITEM.sub("", sentence.replace(":::", "").strip())


def synthetic_document(n_units: int, rng: random.Random) -> str:
    from indexer.chunking import corpus_chunks
    from indexer.corpus import load_corpus

    corpus = load_corpus(REPO / "corpus")
    en_sents, zh_sents, captions = [], [], []
    for unit in corpus.units.values():
        if unit.caption_zh:  # a heading names the subject in both languages
            captions.append(f'{unit.caption.replace(" · ", " ")} · {unit.caption_zh}')
        for para in unit.paragraphs_en:
            en_sents += [s for s in map(_clean, _EN_SENT.split(para)) if len(s) > 20]
        for para in unit.paragraphs_zh:
            zh_sents += [s for s in map(_clean, _ZH_SENT.split(para)) if len(s) > 6]
    real = [c for c in corpus_chunks(corpus) if c.kind != "guide"]
    lengths = [(len(c.text_en), len(c.text_zh)) for c in real if c.text_en and c.text_zh]

    def fill(pool: list[str], target: int, sep: str) -> str:
        out, size = [], 0
        while size < target or not out:
            s = rng.choice(pool)
            out.append(s)
            size += len(s) + len(sep)
        return sep.join(out)

    lines = ["---", f"id: {DOC_ID}", "title_en: Synthetic scale-test document (recombined real sentences)",
             "title_zh: 规模测试用合成文件", "citation_en: policykb synthetic scale test", "unit_label_en: Item {n}",
             "---", ""]
    for n in range(1, n_units + 1):
        en_len, zh_len = rng.choice(lengths)
        lines += [f"### art-{n} · {rng.choice(captions)}", "", "::: zh official", fill(zh_sents, zh_len, ""), ":::",
                  "", "::: en unofficial", fill(en_sents, en_len, " "), ":::", ""]
    return "\n".join(lines)


def real_chunk_count() -> int:
    from indexer.chunking import corpus_chunks
    from indexer.corpus import load_corpus

    return len(corpus_chunks(load_corpus(REPO / "corpus")))


# -- vectors -------------------------------------------------------------------

def derive(sample, n: int, rng_np):
    """n vectors like the sample's: mean of two random sample rows plus noise, normalised."""
    import numpy as np

    if n <= 0:
        return np.zeros((0, sample.shape[1]), dtype=np.float32)
    a = sample[rng_np.integers(0, len(sample), n)]
    b = sample[rng_np.integers(0, len(sample), n)]
    v = (a + b) / 2 + rng_np.normal(0, 0.3 / np.sqrt(sample.shape[1]), size=a.shape).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return np.ascontiguousarray(v, dtype=np.float32)


def faiss_compare(vectors, queries, reps: int) -> dict:
    import faiss
    import numpy as np

    from indexer.engine import CANDIDATES
    from indexer.vector_index import HNSW_NEIGHBOURS

    out = {"n": len(vectors)}
    dim = vectors.shape[1]
    k = min(CANDIDATES, len(vectors))
    built = {}
    for kind in ("flat", "hnsw"):
        t0 = time.perf_counter()
        if kind == "flat":
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = 64
        index.add(vectors)
        out[f"{kind}_build"] = time.perf_counter() - t0
        out[f"{kind}_bytes"] = len(faiss.serialize_index(index))
        built[kind] = index
    answers = {}
    variants = [("flat", built["flat"], None)] + [(f"hnsw{ef}", built["hnsw"], ef) for ef in EF_SEARCH]
    for name, index, ef in variants:
        if ef is not None:
            index.hnsw.efSearch = ef
        times, rows = [], []
        for _ in range(reps):
            rows = []
            for q in queries:
                t0 = time.perf_counter()
                _, r = index.search(q.reshape(1, -1), k)
                times.append(time.perf_counter() - t0)
                rows.append(r[0])
        out[f"{name}_median"] = median(times)
        out[f"{name}_p95"] = pct(times, 95)
        answers[name] = rows
    for ef in EF_SEARCH:
        got = answers[f"hnsw{ef}"]
        out[f"hnsw{ef}_recall_at_k"] = float(np.mean([len(set(h) & set(f)) / len(f) for h, f in zip(got, answers["flat"])]))
        out[f"hnsw{ef}_recall_at_10"] = float(np.mean([len(set(h[:10]) & set(f[:10])) / 10
                                                        for h, f in zip(got, answers["flat"])]))
    return out


# -- one size, in a child process ----------------------------------------------

def child_size(total_chunks: int, embed_all: int, sample: int, n_questions: int | None, work: Path) -> dict:
    import numpy as np

    from indexer import concept_index, keyword_index, paragraph_spans, vector_index
    from indexer.build import CHUNKS, CORPUS_SNAPSHOT, ROWS, built_with, view_text
    from indexer.chunking import corpus_chunks
    from indexer.corpus import corpus_files, load_corpus
    from indexer.embeddings import get_embedder
    from indexer.multilingual import get_multilingual
    from indexer.engine import SearchEngine
    from indexer.index_store import new_partial, publish
    from indexer.threads import configure_threads

    from latency import instrument

    configure_threads()
    rng, rng_np = random.Random(SEED), np.random.default_rng(SEED)
    res: dict = {"target": total_chunks}
    corpus_dir = work / "corpus"
    shutil.copytree(REPO / "corpus", corpus_dir)
    n_syn = max(1, total_chunks - real_chunk_count())
    t0 = time.perf_counter()
    (corpus_dir / f"{DOC_ID}.md").write_text(synthetic_document(n_syn, rng), encoding="utf-8")
    res["generate_s"] = time.perf_counter() - t0
    res["corpus_bytes"] = dir_bytes(corpus_dir)

    t0 = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    chunks = corpus_chunks(corpus)
    res["parse_s"] = time.perf_counter() - t0
    res["chunks"] = len(chunks)
    assert not any(u.startswith(f"{DOC_ID}/") for u in load_corpus(REPO / "corpus").units)
    log(f"scale {total_chunks}: {len(chunks)} chunks ({n_syn} synthetic units), parsed in {res['parse_s']:.1f}s")

    index_root = work / "index"
    partial = new_partial(index_root, f"scale{total_chunks}")
    for path in corpus_files(corpus_dir):
        target = partial / CORPUS_SNAPSHOT / path.relative_to(corpus_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)

    t0 = time.perf_counter()
    analysed = keyword_index.build(chunks, partial / "keyword")
    paragraph_spans.write(analysed.paragraphs, partial)
    res["whoosh_s"] = time.perf_counter() - t0
    log(f"scale {total_chunks}: whoosh built in {res['whoosh_s']:.1f}s")
    t0 = time.perf_counter()
    concept_index.build(chunks, corpus.glossary, partial, analysed)
    res["concepts_s"] = time.perf_counter() - t0

    with quiet_stdout():
        embedder = get_embedder()
    rows = [i for i, c in enumerate(chunks) if view_text(c, "en")]
    texts = [view_text(chunks[i], "en") for i in rows]
    if len(texts) <= embed_all:
        t0 = time.perf_counter()
        vectors = embedder.encode(texts)
        res["embed_s"] = time.perf_counter() - t0
        res["embedded"] = len(texts)
        res["derived"] = 0
        res["embed_rate"] = len(texts) / res["embed_s"]
    else:
        picked = sorted(rng.sample(range(len(texts)), min(sample, len(texts))))
        t0 = time.perf_counter()
        real = embedder.encode([texts[i] for i in picked])
        spent = time.perf_counter() - t0
        res["embed_rate"] = len(picked) / spent
        res["embedded"], res["derived"] = len(picked), len(texts) - len(picked)
        vectors = derive(real, len(texts), rng_np)
        vectors[picked] = real
        res["embed_s"] = len(texts) / res["embed_rate"]  # estimated from the measured rate
    # The Chinese view at its own rate, on a small sample (a real build embeds it too).
    zh = [view_text(c, "zh") for c in chunks[:: max(1, len(chunks) // 100)] if view_text(c, "zh")][:100]
    zh_embedder = get_multilingual()  # the model that embeds the Chinese view
    t0 = time.perf_counter()
    zh_embedder.encode(zh)
    res["embed_rate_zh"] = len(zh) / (time.perf_counter() - t0)
    res["embed_both_s_est"] = len(texts) / res["embed_rate"] + sum(1 for c in chunks if view_text(c, "zh")) / res["embed_rate_zh"]
    log(f"scale {total_chunks}: embedding {res['embed_rate']:.0f} texts/s (en), {res['embed_rate_zh']:.0f}/s (zh)")

    t0 = time.perf_counter()
    vector_index.build(vectors, partial, "en")
    res["faiss_s"] = time.perf_counter() - t0
    res["faiss_kind"] = "HNSW" if len(vectors) > vector_index.HNSW_ABOVE else "FlatIP"
    (partial / CHUNKS).write_text(json.dumps([c.to_dict() for c in chunks], ensure_ascii=False), encoding="utf-8")
    (partial / ROWS).write_text(json.dumps({"en": rows}), encoding="utf-8")
    manifest = {**built_with(corpus, embedder), "units": len(corpus.units), "guides": len(corpus.guides),
                "chunks": len(chunks), "vectors": len(rows), "views": ["en"], "synthetic": True}
    final = publish(partial, manifest)
    res["bytes"] = {"keyword": dir_bytes(final / "keyword"), "vectors": dir_bytes(final / "vectors-en.faiss"),
                    "chunks": dir_bytes(final / CHUNKS) + dir_bytes(final / ROWS),
                    "corpus": dir_bytes(final / CORPUS_SNAPSHOT), "total": dir_bytes(final)}

    rss_before = proc_status(os.getpid())["VmRSS"]
    t0 = time.perf_counter()
    with quiet_stdout():
        engine = SearchEngine.open(index_root, final / CORPUS_SNAPSHOT)
    res["open_s"] = time.perf_counter() - t0
    res["open_rss_delta"] = proc_status(os.getpid())["VmRSS"] - rss_before
    assert engine.stale_reason is None and len(engine.chunks) == len(chunks)

    qs = questions(n_questions)
    res["n_questions"] = len(qs)
    for q in qs[:5]:
        for mode in MODES:
            engine.search(q["question"], mode=mode)
    timer = instrument(engine)
    res["modes"] = {}
    synthetic_hits = 0
    for mode in MODES:
        times, whoosh, faiss_t = [], [], []
        for q in qs:
            timer.reset()
            t0 = time.perf_counter()
            resp = engine.search(q["question"], mode=mode)
            times.append(time.perf_counter() - t0)
            spent = timer.reset()
            whoosh.append(spent.get("whoosh", 0.0))
            faiss_t.append(spent.get("faiss", 0.0))
            synthetic_hits += sum(h.unit.doc_id == DOC_ID for h in resp.hits)
        res["modes"][mode] = {"median": median(times), "p95": pct(times, 95),
                              "whoosh_median": median(whoosh), "faiss_median": median(faiss_t)}
        log(f"scale {total_chunks}: {mode} median {median(times) * 1000:.0f} ms")
    res["synthetic_share_of_hits"] = synthetic_hits / (len(qs) * len(MODES) * 10)
    res["floor"] = encoding_floor(qs, rounds=1)
    res["vmhwm"] = proc_status(os.getpid())["VmHWM"]
    res["vmrss"] = proc_status(os.getpid())["VmRSS"]
    return res


def child_faiss(sizes: tuple[int, ...], n_questions: int | None, reps: int) -> list[dict]:
    """Flat vs HNSW on vectors derived from the real index's English embeddings."""
    import numpy as np

    from indexer.engine import SearchEngine
    from indexer.threads import configure_threads

    configure_threads()
    with quiet_stdout():
        engine = SearchEngine.open()
    base = engine.vectors["en"]._index
    real = base.reconstruct_n(0, base.ntotal)
    queries = engine.embedder.encode([q["question"] for q in questions(n_questions)])
    rng_np = np.random.default_rng(SEED)
    out = []
    for n in sizes:
        vectors = np.concatenate([real, derive(real, n - len(real), rng_np)]) if n > len(real) else real[:n]
        out.append(faiss_compare(np.ascontiguousarray(vectors), queries, reps))
        log(f"faiss {n}: flat {out[-1]['flat_median'] * 1000:.2f} ms, hnsw {out[-1]['hnsw64_median'] * 1000:.2f} ms, "
            f"recall {out[-1]['hnsw64_recall_at_k']:.3f}")
    return out


# -- the parent: one child per size, then the tables ---------------------------

def run_child(args: list[str]) -> dict | list:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    proc = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, env=env, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"scale child {args} failed with exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(results: list[dict], faiss_rows: list[dict], quick: bool, embed_all: int) -> str:
    from indexer.vector_index import HNSW_ABOVE

    build_rows, query_rows = [], []
    for r in results:  # empty with --faiss-only
        measured = r["whoosh_s"] + r["concepts_s"] + r["embed_s"] + r["faiss_s"] + r["parse_s"]
        embedded = (f"{r['embedded']:,} real" if not r["derived"]
                    else f"{r['embedded']:,} real + {r['derived']:,} derived")
        build_rows.append([
            f"{r['chunks']:,}", f"{r['parse_s']:.1f}", f"{r['whoosh_s']:.1f}", f"{r['whoosh_s'] / r['chunks'] * 1000:.2f}",
            f"{r['concepts_s']:.1f}",
            f"{r['embed_s']:.0f}" + ("" if not r["derived"] else " (est.)"), f"{r['embed_rate']:.0f}", embedded,
            f"{r['faiss_s']:.2f} ({r['faiss_kind']})", f"{measured:.0f}", f"{r['embed_both_s_est'] + r['whoosh_s'] + r['concepts_s'] + r['parse_s']:.0f}",
            mib(r["bytes"]["keyword"]), mib(r["bytes"]["vectors"]), mib(r["bytes"]["total"]),
        ])
        m = r["modes"]
        query_rows.append([
            f"{r['chunks']:,}", f"{r['open_s']:.1f}", mib(r["open_rss_delta"]), mib(r["vmhwm"]),
            ms(r["floor"]),
            *(f"{ms(m[mode]['median'])} / {ms(m[mode]['p95'])}" for mode in MODES),
            ms(m["keyword"]["whoosh_median"]), ms(m["semantic"]["faiss_median"]),
            f"{m['hybrid']['median'] / r['floor']:.1f}x",
        ])
    faiss_table = []
    crossover = None
    for f in faiss_rows:
        if f["hnsw64_median"] < f["flat_median"] and crossover is None:
            crossover = f["n"]
        row = [f"{f['n']:,}", f"{f['flat_median'] * 1000:.3f} / {f['flat_p95'] * 1000:.3f}"]
        for ef in EF_SEARCH:
            row += [f"{f[f'hnsw{ef}_median'] * 1000:.3f} / {f[f'hnsw{ef}_p95'] * 1000:.3f}",
                    f"{f[f'hnsw{ef}_recall_at_10']:.3f} / {f[f'hnsw{ef}_recall_at_k']:.3f}"]
        row += [f"{f['flat_build']:.2f}", f"{f['hnsw_build']:.1f}", mib(f["flat_bytes"]), mib(f["hnsw_bytes"])]
        faiss_table.append(row)
    faiss_headers = ["vectors", "flat ms"]
    for ef in EF_SEARCH:
        faiss_headers += [f"HNSW ef={ef} ms", f"ef={ef} recall@10 / @60"]
    faiss_headers += ["flat build s", "HNSW build s", "flat MiB", "HNSW MiB"]
    out = [header("Scale: synthetic corpora (recombined real text)", quick),
           f"Document id `{DOC_ID}` (units `{DOC_ID}/art-<n>`) added to the real corpus. English vector view only. "
           + (f"Corpora above {embed_all:,} chunks" if embed_all else "Every corpus (quick run)")
           + ": embedding rate measured on a sample, the other vectors derived from the sample's real embeddings "
             "(mean of two + noise, normalised); embedding times marked (est.) are chunks / measured rate. "
             "Questions: " + ", ".join(f"{r['n_questions']} at {r['chunks']:,}" for r in results) + ".",
           "", "Build (seconds; sizes in MiB):", "",
           table(["chunks", "parse+chunk", "Whoosh", "Whoosh ms/chunk", "concepts", "embed en", "texts/s", "vectors",
                  "FAISS", "build (en view)", "est. build, both views", "keyword MiB", "vectors MiB", "index MiB"],
                 build_rows),
           "", "Queries (ms, median / p95 per mode; one pass over the questions):", "",
           table(["chunks", "open s", "open RSS MiB", "peak RSS MiB", "encode floor", "hybrid", "keyword", "semantic",
                  "Whoosh median", "FAISS median", "hybrid / floor"], query_rows),
           "", "open s and open RSS: SearchEngine.open with the model already loaded (corpus, chunks, Whoosh, "
           "FAISS); peak RSS: the whole child, build included."]
    if not results:  # --faiss-only
        out = out[:1]
    out += [
        "", "FAISS, one query at a time, k=60 (the engine's CANDIDATES): IndexFlatIP vs IndexHNSWFlat (M=32) at "
           "efSearch 64 (what make_index sets), 128 and 256, on the real index's English embeddings plus vectors "
           "derived from them. Times in ms, median / p95; recall = share of the exact top 10 / top 60 that HNSW "
           "returns:", "",
           table(faiss_headers, faiss_table), "",
           f"HNSW_ABOVE in indexer/vector_index.py is {HNSW_ABOVE:,}. HNSW (efSearch 64) is faster than the flat scan "
           f"from {(f'{crossover:,}' if crossover else 'none of the sizes measured')} vectors in this run."]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k chunks only, sampled embeddings, 10 questions")
    parser.add_argument("--sizes", type=counts, default=None, help="total chunks per corpus, comma separated")
    parser.add_argument("--embed-all", type=int, default=None, help="embed every chunk up to this many")
    parser.add_argument("--sample", type=int, default=None, help="chunks embedded for the rate above --embed-all")
    parser.add_argument("--faiss-only", action="store_true", help="only the FAISS flat vs HNSW table")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-faiss", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=int, default=None)
    parser.add_argument("--big-questions", type=int, default=20,
                        help="questions per mode above 20k chunks (Whoosh takes seconds per query there)")
    args = parser.parse_args()
    n_questions = args.questions or (10 if args.quick else None)
    embed_all = args.embed_all if args.embed_all is not None else (0 if args.quick else 12_000)
    sample = args.sample or (200 if args.quick else 2_000)

    if args.child_size is not None:
        with tempfile.TemporaryDirectory(prefix="policykb-scale-") as tmp:
            with quiet_stdout():
                res = child_size(args.child_size, embed_all, sample, n_questions, Path(tmp))
        print(json.dumps(res))
        return
    if args.child_faiss:
        sizes = tuple(int(s) for s in args.child_faiss.split(","))
        with quiet_stdout():
            res = child_faiss(sizes, n_questions, 1 if args.quick else 3)
        print(json.dumps(res))
        return

    sizes = args.sizes or ([1_000] if args.quick else [1_000, 10_000, 100_000])
    passthrough = ["--embed-all", str(embed_all), "--sample", str(sample)] + (
        ["--questions", str(n_questions)] if n_questions else [])
    results = []
    for n in ([] if args.faiss_only else sizes):
        extra = ["--questions", str(min(n_questions or 10**6, args.big_questions))] if n > 20_000 else []
        results.append(run_child(["--child-size", str(n), *passthrough, *extra]))
    faiss_sizes = FAISS_SIZES_QUICK if args.quick else FAISS_SIZES
    faiss_rows = run_child(["--child-faiss", ",".join(map(str, faiss_sizes)), *passthrough])
    print(report(results, faiss_rows, args.quick, embed_all))


if __name__ == "__main__":
    main()
