# drllm `logits` against llama.cpp's greedy top-8 (la = bench/llamacpp-answers.cpp, n_ctx capped at 512) on the 1B bench GGUF twins
import json, os, subprocess, sys
D = '/work/wt-bench/bench/data'
env = dict(os.environ, JAVA_HOME='/usr/lib/jvm/temurin-25-jdk-amd64', PATH='/usr/lib/jvm/temurin-25-jdk-amd64/bin:' + os.environ['PATH'])
prompts = [l.split('\t')[3] for l in open('prompts.tsv').read().splitlines() if l]
rows = []
for t in ['bf16', 'q8_0', 'q4_k_m']:
    lla = [json.loads(l) for l in open(f'llama-{t}.jsonl')]
    stats = {}
    for idx, p in enumerate(prompts):
        ids = [int(x) for x in p.split(',')]
        for k in (0, 5):
            f = f'd-{t}-{idx}-{k}.json'
            full = ids + lla[idx]['ids'][:k]
            if not os.path.exists(f):
                subprocess.run(['/work/wt-bench/drllm', 'logits', '--model', f'{D}/llama-1b-random.{t}.gguf', '--ids', ','.join(map(str, full)), '--out', f], env=env, check=True, stderr=subprocess.DEVNULL)
            lg = json.load(open(f))['logits']
            n = len(full)
            path = 'matvec (3 tokens)' if n <= 3 else ('tiled GEMM (4-15)' if n < 16 else 'outer-product GEMM (>=16)')
            for j in range(k + 1):
                row = lg[len(ids) - 1 + j]
                top = lla[idx]['top'][j]
                dmax = max(abs(row[i] - v) for i, v in top)
                am = max(range(len(row)), key=lambda i: row[i])
                same = am == top[0][0]
                gap = 0 if same else row[am] - row[top[0][0]]
                margin = top[0][1] - top[1][1]
                s = stats.setdefault(path, [])
                s.append((dmax, same, gap, margin))
    for path, s in stats.items():
        d = sorted(x[0] for x in s)
        agree = sum(1 for x in s if x[1])
        dis = [f'{x[2]:.3f}/{x[3]:.3f}' for x in s if not x[1]]
        print(f'{t:7s} {path:26s} steps {len(s):2d}: same top-1 {agree}/{len(s)}; max |dlogit| over llama top-8: median {d[len(d)//2]:.4f}, max {d[-1]:.4f}; disagreements (drllm top-1 above llama top-1 / llama margin): {dis}')
