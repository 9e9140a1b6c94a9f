# Reference decodings of random blocks by llama.cpp's own Python GGUF library (gguf-py, from the
# llama.cpp source node-llama-cpp 3.22.1 ships; ../shared/tools/build-llama-quantize.sh checks it out).
#   PYTHONPATH=DIR/src/gguf-py python3 make_reference.py   (writes TYPE.blocks and TYPE.f32 here)
import os
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

rng = np.random.default_rng(15)
# byte offsets of the f16 fields of each layout, which must hold finite values
HALVES = {"Q8_0": [0], "Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2],
          "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208]}
here = os.path.dirname(os.path.abspath(__file__))
for name, halves in HALVES.items():
    t = T[name]
    from gguf.constants import GGML_QUANT_SIZES
    bs, bb = GGML_QUANT_SIZES[t]
    blocks = 8
    raw = rng.integers(0, 256, size=(blocks, bb), dtype=np.uint8)
    for off in halves:
        raw[:, off:off + 2] = rng.normal(0, 0.05, size=blocks).astype(np.float16).view(np.uint8).reshape(blocks, 2)
    out = dequantize(raw.reshape(-1), t).astype(np.float32).reshape(-1)
    assert out.size == blocks * bs and np.all(np.isfinite(out))
    raw.tofile(os.path.join(here, name + ".blocks"))
    out.astype("<f4").tofile(os.path.join(here, name + ".f32"))
    print(name, blocks, "blocks")
