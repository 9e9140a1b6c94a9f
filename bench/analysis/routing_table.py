#!/usr/bin/env python3
"""Side-by-side routing table from drllm eval reports: baseline, then each router set's routed and
static skip-N rows, per question file. Usage:
  python3 bench/analysis/routing_table.py NAME=DIR [NAME=DIR ...]
where DIR holds the eval outputs ({arc,dart}-{test,fresh}.json) of one router set. The baseline row is
taken from the first DIR (every eval reruns the same baseline; the script checks they agree)."""
import json, sys
from pathlib import Path

FILES = [("arc-test", "ARC-style test"), ("dart-test", "DART-style test"),
         ("arc-fresh", "ARC-style fresh"), ("dart-fresh", "DART-style fresh")]


def acc(s):
    a = f"{100 * s['accuracy']:.1f}%"
    lv = s.get("accuracy_by_level")
    if lv:
        a += " (L" + ",".join(sorted(lv)) + ": " + " / ".join(f"{100 * lv[k]:.1f}" for k in sorted(lv)) + ")"
    return a


def row(label, s):
    return f"| | {label} | {acc(s)} | {s['avg_path_length']:.2f} | {s['avg_layer_executions_per_question']:.1f} |"


def main():
    sets = [a.split("=", 1) for a in sys.argv[1:]]
    print("| questions | pipeline / configuration | accuracy | avg path | layers / question |")
    print("|---|---|---|---|---|")
    for stem, title in FILES:
        reports = [(name, json.loads((Path(d) / f"{stem}.json").read_text())) for name, d in sets]
        base = reports[0][1]["summaries"]["baseline"]
        for name, r in reports[1:]:
            b = r["summaries"]["baseline"]
            if (b["accuracy"], b["avg_layer_executions_per_question"]) != (base["accuracy"], base["avg_layer_executions_per_question"]):
                sys.exit(f"{stem}: the baseline of {name} differs from {reports[0][0]}'s")
        print(f"| {title} ({base['questions']}) | baseline (every layer) | {acc(base)} | {base['avg_path_length']:.2f} | "
              f"{base['avg_layer_executions_per_question']:.1f} |")
        for name, r in reports:
            sm = r["summaries"]
            print(row(f"**{name}: routed**", sm["routed"]))
            for k, v in sm.items():
                if k.startswith("static"):
                    note = r.get("notes", {}).get(k, "")
                    layers = note.split("(")[0].replace("skips ", "").strip()
                    print(row(f"{name}: {k} ({layers})", v))


if __name__ == "__main__":
    sys.exit(main())
