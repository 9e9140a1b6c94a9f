# each file's own quantization error, for scale: drllm's logits on a quantized twin against drllm's on the BF16 file, same prompt ids (k=0 runs)
import json
for t in ['q8_0', 'q4_k_m']:
    out = []
    for idx in range(6):
        a = json.load(open(f'd-bf16-{idx}-0.json'))['logits']; b = json.load(open(f'd-{t}-{idx}-0.json'))['logits']
        for ra, rb in zip(a, b):
            d = sorted(abs(x - y) for x, y in zip(ra, rb))
            out.append((d[len(d)//2], d[-1], max(ra) - min(ra)))
    med = sorted(o[0] for o in out); mx = sorted(o[1] for o in out); rng = sorted(o[2] for o in out)
    print(f'{t}: drllm {t} vs drllm bf16 over {len(out)} positions x 128256 logits: per-position median |dlogit| {med[len(med)//2]:.4f}, per-position max |dlogit| median {mx[len(mx)//2]:.4f} (largest {mx[-1]:.4f}); logit range per position median {rng[len(rng)//2]:.2f}')
