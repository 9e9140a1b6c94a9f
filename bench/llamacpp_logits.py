#!/usr/bin/env python3
"""drllm's logits against llama.cpp's on one GGUF file (bench/llamacpp-logits.sh runs it; stdlib only).

Usage: llamacpp_logits.py MODEL.gguf OUT_DIR DRIVER THREADS DRLLM [PROMPTS] [STEPS]

Random prompts (seeded, token ids over the whole vocabulary): PROMPTS // 2 of 3 tokens and the rest of
40. llama.cpp (DRIVER: bench/llamacpp-answers.cpp built against libllama, context capped at 512) decodes
STEPS + 1 greedy tokens after each, recording its top 8 logits per step. drllm (`drllm logits`) then runs
each prompt followed by llama.cpp's first STEPS tokens as one prompt, and each 3-token prompt alone, so
its logits at the same positions come from three kernel paths: the decode matvec (3 tokens), the tiled
GEMM (4-15 tokens) and the outer-product GEMM (16 and more). Per path: how often the two engines' top-1
token is the same, and the largest |difference| of a logit over llama.cpp's top 8 per step. Where the
top-1 differs, llama.cpp's own gap between its top-1 and drllm's top-1 says whether it was a near tie
(drllm's token outside llama.cpp's top 8 is reported as FAR). Writes OUT_DIR/summary.md and
OUT_DIR/steps.jsonl (one line per compared step). A rerun reuses the outputs in OUT_DIR only while the
model file, drllm's jar, PROMPTS and STEPS are the ones they were made with (OUT_DIR/inputs.json).
"""
import json, os, random, subprocess, sys

# drllm's kernel path by the number of tokens in one forward pass (CpuKernels.matmul: the decode matvec below 4
# tokens for block types, gemm below CpuKernels.GEMM_T_MIN = 16, gemmT from there), with the table's labels
PATHS = [(4, 'decode matvec (1-3 tokens)'), (16, 'tiled GEMM (4-15 tokens)'), (None, 'outer-product GEMM (16+ tokens)')]


def path_of(tokens):
    return next(label for below, label in PATHS if below is None or tokens < below)


def main():
    model, out, driver, threads, drllm = sys.argv[1:6]
    n_prompts = int(sys.argv[6]) if len(sys.argv) > 6 else 6
    steps = int(sys.argv[7]) if len(sys.argv) > 7 else 5
    os.makedirs(out, exist_ok=True)
    # outputs are reused only for the same inputs: the model file, drllm's jar, the prompt count and steps
    def stat(f):
        st = os.stat(f)
        return [os.path.realpath(f), st.st_size, st.st_mtime_ns]
    stamp = {'model': stat(model), 'drllm': stat(os.path.join(os.path.dirname(drllm), 'target', 'drllm.jar')),
             'prompts': n_prompts, 'steps': steps}
    sf = os.path.join(out, 'inputs.json')
    if not os.path.exists(sf) or json.load(open(sf)) != stamp:
        for f in os.listdir(out):
            if f.endswith('.json') or f.endswith('.jsonl') or f.endswith('.tmp'):
                os.remove(os.path.join(out, f))
        with open(sf, 'w') as fh:
            json.dump(stamp, fh)

    def logits(ids, name):
        f = os.path.join(out, name)
        if not os.path.exists(f):
            r = subprocess.run([drllm, 'logits', '--model', model, '--ids', ','.join(map(str, ids)), '--out', f + '.tmp'],
                               stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit(f'drllm logits failed on {model} (exit {r.returncode}):\n' + '\n'.join(l for l in r.stderr.splitlines() if not l.startswith('WARNING')))
            os.replace(f + '.tmp', f)
        with open(f) as fh:
            return json.load(fh)['logits']

    vocab = len(logits([0], 'vocab.json')[0])
    rnd = random.Random(2026)
    prompts = [[rnd.randrange(vocab) for _ in range(3 if i < n_prompts // 2 else 40)] for i in range(n_prompts)]
    tsv = os.path.join(out, 'prompts.tsv')
    with open(tsv, 'w') as fh:
        for i, p in enumerate(prompts):
            fh.write(f"{i}\t{steps + 1}\t\t{','.join(map(str, p))}\t\n")
    lj = os.path.join(out, 'llama.jsonl')
    if not os.path.exists(lj):
        if subprocess.run([driver, model, tsv, lj + '.tmp', threads, '512']).returncode != 0:
            sys.exit(f'llama.cpp ({driver}) failed on {model}')
        os.replace(lj + '.tmp', lj)
    with open(lj) as fh:
        llama = [json.loads(l) for l in fh]

    rows = []
    for i, p in enumerate(prompts):
        runs = [(p + llama[i]['ids'][:steps], steps)]
        if len(p) <= 3:
            runs.append((p, 0))
        for ids, k in runs:
            lg = logits(ids, f'drllm-{i}-{k}.json')
            path = path_of(len(ids))
            for j in range(k + 1):
                row, top = lg[len(p) - 1 + j], llama[i]['top'][j]
                best = max(range(vocab), key=row.__getitem__)
                top_ids = [t for t, _ in top]
                rows.append({'prompt': i, 'step': j, 'path': path, 'tokens': len(ids),
                             'max_abs_diff_top8': max(abs(row[t] - v) for t, v in top),
                             'same_top1': best == top[0][0], 'drllm_top1': best, 'llama_top1': top[0][0],
                             'llama_gap': None if best == top[0][0] else (top[0][1] - top[top_ids.index(best)][1] if best in top_ids else 'FAR')})
    with open(os.path.join(out, 'steps.jsonl'), 'w') as fh:
        for r in rows:
            fh.write(json.dumps(r) + '\n')

    lines = [f'# drllm against llama.cpp: {os.path.basename(model)}', '',
             f'{n_prompts} random prompts (vocabulary {vocab}), {steps + 1} llama.cpp greedy steps each; per step the largest |logit difference| over llama.cpp\'s top 8.', '',
             '| drllm kernel path | steps | same top-1 | max abs diff, median | max abs diff, largest | where top-1 differs: llama.cpp\'s gap to drllm\'s token |',
             '|---|---|---|---|---|---|']
    far = 0
    for _, path in PATHS:
        s = [r for r in rows if r['path'] == path]
        if not s:
            continue
        d = sorted(r['max_abs_diff_top8'] for r in s)
        gaps = [r['llama_gap'] for r in s if not r['same_top1']]
        far += sum(1 for g in gaps if g == 'FAR')
        gtxt = ', '.join('FAR' if g == 'FAR' else f'{g:.4f}' for g in gaps) or '-'
        lines.append(f'| {path} | {len(s)} | {sum(r["same_top1"] for r in s)} | {d[len(d) // 2]:.4f} | {d[-1]:.4f} | {gtxt} |')
    if far:
        lines += ['', f'FAR: {far} step(s) where drllm\'s top token is outside llama.cpp\'s top 8.']
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(out, 'summary.md'), 'w') as fh:
        fh.write(text)
    print(text)
    return 1 if far else 0

if __name__ == '__main__':
    sys.exit(main())
