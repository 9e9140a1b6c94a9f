#!/usr/bin/env python3
"""PyTorch anchor for `drllm bench`: the same random-weight checkpoint in Hugging Face transformers
on the same GPU, greedy decode of the same prompt length / new tokens / batch.

  eager:  a plain decode loop over model(...) with transformers' default dynamic KV cache
  static: model.generate(cache_implementation="static") (no torch.compile), where it works

Prints a Markdown table and one line `ANCHOR_JSON {...}`.
usage: pytorch_anchor.py --model DIR [--prompt 512] [--new 128] [--batch 1] [--seed 1]
"""
import argparse, json, os, sys, time

import torch


def sync():
    torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--prompt", type=int, default=512)
    ap.add_argument("--new", type=int, default=128)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    import transformers
    from transformers import AutoModelForCausalLM
    try:
        model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.bfloat16)
    except TypeError:
        model = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.bfloat16)
    model = model.to("cuda").eval()
    V = model.config.vocab_size
    g = torch.Generator().manual_seed(a.seed)
    ids = torch.randint(2, V, (a.batch, a.prompt), generator=g).to("cuda")
    res = {"model": os.path.basename(a.model.rstrip("/")), "transformers": transformers.__version__, "torch": torch.__version__, "gpu": torch.cuda.get_device_name(),
           "batch": a.batch, "prompt": a.prompt, "new": a.new}
    with torch.no_grad():
        for _ in range(2):
            model(ids)
        sync()
        ts = []
        for _ in range(3):
            t0 = time.perf_counter(); model(ids); sync(); ts.append(time.perf_counter() - t0)
        res["prefill_ms"] = sorted(ts)[1] * 1e3

        def eager():
            out = model(ids, use_cache=True)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            sync()
            t0 = time.perf_counter()
            for _ in range(a.new - 1):
                out = model(nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            sync()
            return time.perf_counter() - t0

        eager()  # warm-up
        dt = eager()
        res["eager_decode_tok_s"] = a.batch * (a.new - 1) / dt
        try:
            kw = dict(max_new_tokens=a.new, min_new_tokens=a.new, do_sample=False, cache_implementation="static")
            model.generate(ids, **kw); sync()
            t0 = time.perf_counter(); model.generate(ids, **kw); sync()
            total = time.perf_counter() - t0
            res["static_decode_tok_s"] = a.batch * (a.new - 1) / max(total - res["prefill_ms"] / 1e3, 1e-9)
        except Exception as e:  # static cache support varies by version / architecture
            res["static_error"] = repr(e)[:200]
    print("| PyTorch (transformers %s, torch %s) | prefill ms | decode tok/s |" % (res["transformers"], res["torch"]))
    print("|---|---|---|")
    print("| eager, dynamic cache | %.2f | %.1f |" % (res["prefill_ms"], res["eager_decode_tok_s"]))
    if "static_decode_tok_s" in res:
        print("| generate, static cache | %.2f | %.1f |" % (res["prefill_ms"], res["static_decode_tok_s"]))
    else:
        print("| generate, static cache | failed: %s | |" % res["static_error"])
    print("ANCHOR_JSON " + json.dumps(res))


if __name__ == "__main__":
    sys.exit(main())
