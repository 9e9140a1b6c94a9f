#!/usr/bin/env python3
"""Vote labels: consensus labels, except that a question whose consensus label is the full path (or
longer) takes the path most of its k nearest train questions answer right (ties: the full path).

The experiment behind the README's "Larger neighbourhoods do a little better by spending layers":
routers trained on these labels test whether the k = 128 `vote` policy's cross-validated DART gain
survives training. Neighbours as `drllm scan-labels` finds them (mean hidden state entering layer
10, standardised, cosine, leave-one-out) among the questions the consensus file labels.

Usage: python3 vote_labels.py SCAN.jsonl CONSENSUS.jsonl OUT.jsonl [K=128]
"""
import json, sys

import numpy as np


def main():
    scan, consensus, out = sys.argv[1:4]
    k = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    lines = open(scan).read().splitlines()
    candidates = json.loads(lines[0])["candidates"]
    labels = [json.loads(line) for line in open(consensus)]
    wanted = {m["index"] for m in labels}
    recs = sorted((json.loads(l) for l in lines[1:]), key=lambda r: int(r["index"]))
    recs = [r for r in recs if int(r["index"]) in wanted]
    assert [int(r["index"]) for r in recs] == [m["index"] for m in labels], "scan and labels cover other questions"
    right = np.array([[c == "1" for c in r["correct"]] for r in recs], dtype=float)
    x = np.array([r["features"]["10"] for r in recs])
    z = (x - x.mean(0)) / (x.std(0) + 1e-6)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    sim = z @ z.T
    np.fill_diagonal(sim, -np.inf)
    votes = right[np.argsort(-sim, axis=1)[:, :k]].sum(1)
    choice = votes.argmax(1)  # first maximum: the full path (candidate 0) wins ties
    changed = 0
    with open(out, "w") as f:
        for m, c in zip(labels, choice):
            if m["best_length"] >= len(candidates[0]) and c != 0:
                path = candidates[c]
                counts = [0] * m["num_layers"]
                for layer in path:
                    counts[layer] += 1
                m = dict(m, best_path=path, best_length=len(path), labels=counts, source="vote-labels")
                changed += 1
            f.write(json.dumps(m) + "\n")
    print(f"{out}: {changed} of {len(labels)} labels replaced by the k = {k} vote")


if __name__ == "__main__":
    main()
