#!/usr/bin/env python3
"""DART-style questions that are in neither shared split, for checking routers on unseen inputs.

Same five templates and operand ranges as data/tasks/dart-{train,test}.jsonl (read off those
files: level 1 a+b with one-digit operands, 2 two-digit a+b or a-b, 3 two-digit times one-digit,
4 three-digit + two-digit - two-digit, 5 a*b+c or (a+b)*c with small operands). Every query
already in either split is rejected, so level 1 (81 possible one-digit sums, all in the splits)
gets no questions. Usage: python3 make_dart_fresh.py [--per-level 100] [--seed 0] > dart-fresh.jsonl
A router-training pool disjoint from the test split and the fresh set as well (data/pool/README.md):
  python3 make_dart_fresh.py --per-level 300 --seed 1 --interleave --avoid data/fresh/dart-fresh.jsonl --id-prefix pool-dart
"""
import argparse, json, random, sys
from pathlib import Path

TASKS = Path(__file__).resolve().parent.parent / "tasks"


def level2(r):
    if r.random() < 0.5:
        a, b = r.randint(10, 99), r.randint(10, 99)
        return f"What is ${a} + {b}$?", a + b
    a = r.randint(14, 99)
    b = r.randint(10, a)
    return f"What is ${a} - {b}$?", a - b


def level3(r):
    a, b = r.randint(10, 99), r.randint(2, 9)
    return f"What is ${a} \\times {b}$?", a * b


def level4(r):
    a, b, c = r.randint(101, 997), r.randint(10, 99), r.randint(10, 99)
    return f"What is ${a} + {b} - {c}$?", a + b - c


def level5(r):
    if r.random() < 0.5:
        a, b, c = r.randint(2, 20), r.randint(2, 20), r.randint(2, 9)
        return f"What is $({a} + {b}) \\times {c}$?", (a + b) * c
    a, b, c = r.randint(2, 20), r.randint(2, 9), r.randint(2, 20)
    return f"What is ${a} \\times {b} + {c}$?", a * b + c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-level", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--interleave", action="store_true",
                    help="cycle through the levels question by question (levels 2, 3, 4, 5, 2, ...) instead of level after level;"
                         " a level with no unused question left drops out of the cycle")
    ap.add_argument("--avoid", action="append", default=[], metavar="FILE",
                    help="also reject every question of this JSONL file (repeatable; e.g. the fresh set, for a train pool)")
    ap.add_argument("--id-prefix", default="fresh-dart", help="ids are PREFIX-N (default %(default)s)")
    args = ap.parse_args()
    seen = set()
    for split in ("train", "test"):
        with open(TASKS / f"dart-{split}.jsonl") as f:
            seen.update(json.loads(line)["query"] for line in f)
    for path in args.avoid:
        with open(path) as f:
            seen.update(json.loads(line)["query"] for line in f)
    r = random.Random(args.seed)
    makers = ((2, level2), (3, level3), (4, level4), (5, level5))
    order = [m for _ in range(args.per_level) for m in makers] if args.interleave \
        else [m for m in makers for _ in range(args.per_level)]
    exhausted, n = set(), 0
    for level, make in order:
        if level in exhausted:
            continue
        for _ in range(100_000):
            q, ans = make(r)
            if q not in seen:
                break
        else:
            if not args.interleave:
                sys.exit(f"make_dart_fresh.py: level {level} has no unused question left after {n} questions; lower --per-level")
            print(f"make_dart_fresh.py: level {level} has no unused question left after {n} questions; "
                  "the remaining ones cycle through the other levels", file=sys.stderr)
            exhausted.add(level)
            continue
        seen.add(q)
        print(json.dumps({"id": f"{args.id_prefix}-{n}", "query": q, "gt_ans": str(ans), "query_metadata": {"level": level}}))
        n += 1


if __name__ == "__main__":
    sys.exit(main())
