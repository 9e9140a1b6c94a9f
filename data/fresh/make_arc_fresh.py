#!/usr/bin/env python3
"""ARC-style questions that are in neither shared split, for checking routers on unseen inputs.

The ten question kinds of data/tasks/arc-{train,test}.jsonl (even / odd / largest / smallest of
four two-digit numbers, the next term of an arithmetic sequence, Sam's apples, first / last in
alphabetical order, the word with the most letters, and three-person order puzzles), with the
word and name lists read off the splits' own choices. The distractors imitate the splits' (off
by one or two, the product, one step too far); the right answer's letter is uniform. An item
whose question and choice set both occur together in either split is rejected.
Usage: python3 make_arc_fresh.py [--count 500] [--seed 0] > arc-fresh.jsonl
A router-training pool disjoint from the test split and the fresh set as well (data/pool/README.md):
  python3 make_arc_fresh.py --count 5000 --seed 1 --avoid data/fresh/arc-fresh.jsonl --id-prefix pool-arc
"""
import argparse, json, random, sys
from pathlib import Path

TASKS = Path(__file__).resolve().parent.parent / "tasks"
RELATIONS = {"older": ("oldest", "youngest"), "taller": ("tallest", "shortest"), "faster": ("fastest", "slowest")}


def load():
    rows = []
    for split in ("train", "test"):
        with open(TASKS / f"arc-{split}.jsonl") as f:
            rows += [json.loads(line) for line in f]
    words, names = set(), set()
    for r in rows:
        if "word" in r["question"]:
            words.update(r["choices"]["text"])
        if " than " in r["question"]:
            names.update(r["choices"]["text"])
    seen = {(r["question"], frozenset(r["choices"]["text"])) for r in rows}
    return sorted(words), sorted(names), seen


def numbers(r, pick):
    while True:
        xs = r.sample(range(10, 100), 4)
        right = [x for x in xs if pick(x, xs)]
        if len(right) == 1:
            return xs, right[0]


def distractors(r, answer, pool):
    pool = [x for x in dict.fromkeys(pool) if x != answer and x > 0]
    return r.sample(pool, 3)


def make(kind, r, words, names):
    if kind in ("even", "odd", "largest", "smallest"):
        pick = {"even": lambda x, xs: x % 2 == 0, "odd": lambda x, xs: x % 2 == 1,
                "largest": lambda x, xs: x == max(xs), "smallest": lambda x, xs: x == min(xs)}[kind]
        xs, ans = numbers(r, pick)
        q = f"Which number is {'the ' if kind in ('largest', 'smallest') else ''}{kind}?"
        return q, [str(x) for x in xs], str(ans)
    if kind == "next":
        step, start = r.randint(2, 9), r.randint(1, 40)
        seq = [start + i * step for i in range(4)]
        ans = seq[-1] + step
        opts = [ans] + distractors(r, ans, [ans - 1, ans + 1, seq[-1] + 1, ans + step, seq[-1] + 3 * step])
        return f"What comes next: {', '.join(map(str, seq))}, ?", [str(x) for x in opts], str(ans)
    if kind == "apples":
        a, b = r.randint(1, 9), r.randint(1, 9)
        s = a + b
        opts = [s] + distractors(r, s, [s - 2, s - 1, s + 1, s + 2, a * b, a, b])
        return f"Sam has {a} apples and gets {b} more. How many apples does Sam have?", [str(x) for x in opts], str(s)
    if kind in ("first", "last"):
        ws = r.sample(words, 4)
        ans = min(ws) if kind == "first" else max(ws)
        return f"Which word comes {kind} in alphabetical order?", ws, ans
    if kind == "longest":
        while True:
            ws = r.sample(words, 4)
            longest = max(map(len, ws))
            if sum(len(w) == longest for w in ws) == 1:
                return "Which word has the most letters?", ws, max(ws, key=len)
    rel = r.choice(sorted(RELATIONS))
    top, bottom = RELATIONS[rel]
    a, b, c, d = r.sample(names, 4)
    ask_top = r.random() < 0.5
    q = f"{a} is {rel} than {b}. {b} is {rel} than {c}. Who is the {top if ask_top else bottom}?"
    return q, [a, b, c, d], a if ask_top else c


KINDS = ["even", "odd", "largest", "smallest", "next", "apples", "first", "last", "longest", "order"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--avoid", action="append", default=[], metavar="FILE",
                    help="also reject every question of this JSONL file (repeatable; e.g. the fresh set, for a train pool)")
    ap.add_argument("--id-prefix", default="fresh-arc", help="ids are PREFIX-N (default %(default)s)")
    args = ap.parse_args()
    words, names, seen = load()
    for path in args.avoid:
        with open(path) as f:
            seen.update((r["question"], frozenset(r["choices"]["text"])) for r in map(json.loads, f))
    r = random.Random(args.seed)
    n = 0
    while n < args.count:
        q, opts, ans = make(KINDS[n % len(KINDS)], r, words, names)
        r.shuffle(opts)
        key = (q, frozenset(opts))
        if key in seen:
            continue
        seen.add(key)
        letters = ["A", "B", "C", "D"]
        print(json.dumps({"id": f"{args.id_prefix}-{n}", "question": q, "choices": {"text": opts, "label": letters},
                          "answerKey": letters[opts.index(ans)]}))
        n += 1


if __name__ == "__main__":
    sys.exit(main())
