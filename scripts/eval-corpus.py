#!/usr/bin/env python3
"""Retrieval quality and search latency on the shared corpus, through the
real binary (the same search the UI and the API run).

Imports each task's documents into a temporary data folder, runs every dev
query with `hindsight search --json`, writes run files, and prints the scores
of the corpus's own eval.py (with its plain BM25 baseline) and the
distribution of the server-side search time (`took_ms`).

Usage: scripts/eval-corpus.py [--bin target/release/hindsight] [--corpus ../shared/corpus]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

TASKS = [
    ("task 1: symptoms -> same root-cause kind", "index.jsonl", "dev_queries.jsonl"),
    ("task 2: symptoms -> explanation of the same incident", "knownitem_docs.jsonl", "knownitem_dev_queries.jsonl"),
]


def run(cmd, **kw):
    env = dict(os.environ, RUST_LOG="error")
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, **kw)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "hindsight"))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus"))
    ap.add_argument("--out", default=tempfile.mkdtemp(prefix="hindsight-eval-"))
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)

    for name, docs, queries in TASKS:
        data = os.path.join(args.out, docs.replace(".jsonl", ""))
        print(f"\n## {name}")
        print(run([args.bin, "--data-dir", data, "import", os.path.join(corpus, docs)]).stdout.strip())
        run_file = os.path.join(args.out, queries.replace(".jsonl", ".run.jsonl"))
        took = []
        with open(run_file, "w") as out, open(os.path.join(corpus, queries)) as qs:
            for line in qs:
                q = json.loads(line)
                res = json.loads(run([args.bin, "--data-dir", data, "search", q["query_text"],
                                      "--limit", "10", "--json"]).stdout)
                took.append(res["took_ms"])
                ids = [h["external_id"] for h in res["incidents"]]
                out.write(json.dumps({"query_id": q["query_id"], "ranked_ids": ids}) + "\n")
        took.sort()
        p99 = took[min(len(took) - 1, int(len(took) * 0.99))]
        print(f"search time (in process, took_ms) over {len(took)} queries: "
              f"p50 {statistics.median(took):.2f} ms, p99 {p99:.2f} ms, max {took[-1]:.2f} ms")
        report = subprocess.run([sys.executable, os.path.join(corpus, "eval.py"), "--index",
                                 os.path.join(corpus, docs), "--queries", os.path.join(corpus, queries),
                                 "--run", run_file], capture_output=True, text=True, check=True)
        print(report.stdout.strip())
        baseline = subprocess.run([sys.executable, os.path.join(corpus, "eval.py"), "--index",
                                   os.path.join(corpus, docs), "--queries", os.path.join(corpus, queries)],
                                  capture_output=True, text=True, check=True)
        print("\n".join(l for l in baseline.stdout.splitlines() if l.startswith("bm25")))
    print(f"\nrun files in {args.out}")


if __name__ == "__main__":
    main()
