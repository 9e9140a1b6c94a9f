// Peer comparison: llama.cpp (the CPU build that node-llama-cpp ships prebuilt) on the GGUF twin of
// the random-weight 1B checkpoint. Same protocol as ModelBench: a 128-token prompt of random ids,
// prefill timed over the whole prompt, decode timed per token after it; medians of repetitions.
// Usage: node bench/llamacpp.mjs MODEL.gguf THREADS OUT.json   one run: PREFILL_REPS prefills, DECODE_REPS decodes, medians
//        node bench/llamacpp.mjs MODEL.gguf THREADS --serve     one measurement per stdin line, for bench Duel (run by
//        bench/run.sh): prints "ready" once loaded, then for each line "prefill" or "decode" one JSON line
//        {"prefill": tok/s} / {"decode": tok/s}; "quit" or end of input ends it
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import {writeFileSync} from "node:fs";
import {createInterface} from "node:readline";
import os from "node:os";

const [modelPath, threadsArg, outPath] = process.argv.slice(2);
if (!modelPath || !outPath) {
    console.error("usage: node llamacpp.mjs MODEL.gguf THREADS OUT.json | --serve");
    process.exit(2);
}
const threads = Number(threadsArg ?? 2);
const PROMPT = 128, DECODE = 48, PREFILL_REPS = 5, DECODE_REPS = 3;

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads});
const log = m => process.stderr.write(`[llama.cpp ${new Date().toISOString()}] ${m}\n`);
log(`loading ${modelPath}`);
const model = await llama.loadModel({modelPath, gpuLayers: 0, useMmap: true});
log("loaded");
const context = await model.createContext({contextSize: 512, batchSize: 512, threads: {ideal: threads, min: threads}, sequences: 1});
const seq = context.getSequence();

let seed = 11;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const vocab = model.tokens.vocabSize ?? 128256;
const prompt = Array.from({length: PROMPT}, () => 3 + Math.floor(rand() * (vocab - 3)));
const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** One prefill of the whole prompt from an empty sequence: tokens/s. */
async function prefillOnce() {
    await seq.clearHistory();
    const t0 = process.hrtime.bigint();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    return PROMPT / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** DECODE greedy tokens after the prompt (its last token evaluated first, not timed): tokens/s. */
async function decodeOnce() {
    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, PROMPT - 1));
    const gen = seq.evaluate([prompt[PROMPT - 1]], {temperature: 0, yieldEogToken: true});
    await gen.next(); // the prompt's last token: not a timed decode step
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < DECODE; i++) await gen.next();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    await gen.return();
    return DECODE / s;
}

if (outPath === "--serve") {
    console.log("ready");
    for await (const line of createInterface({input: process.stdin})) {
        const what = line.trim();
        if (what === "quit") break;
        if (what === "prefill") console.log(JSON.stringify({prefill: await prefillOnce()}));
        else if (what === "decode") console.log(JSON.stringify({decode: await decodeOnce()}));
        else console.log(JSON.stringify({error: `unknown request ${JSON.stringify(what)}`}));
    }
    await context.dispose();
    await model.dispose();
    process.exit(0);
}

const prefill = [];
for (let r = 0; r < PREFILL_REPS + 1; r++) {
    const tps = await prefillOnce();
    if (r > 0) prefill.push(tps); // the first run warms caches and page-ins
    log(`prefill run ${r}: ${tps.toFixed(1)} tok/s`);
}

const decode = [];
for (let r = 0; r < DECODE_REPS; r++) {
    const tps = await decodeOnce();
    decode.push(tps);
    log(`decode run ${r}: ${tps.toFixed(2)} tok/s`);
}

const out = {
    engine: "llama.cpp via node-llama-cpp", threads, prompt: PROMPT, decodeTokens: DECODE,
    prefillTokPerS: median(prefill), decodeTokPerS: median(decode), prefillRuns: prefill, decodeRuns: decode,
    cpu: os.cpus()[0]?.model, load: os.loadavg(),
};
writeFileSync(outPath, JSON.stringify(out, null, 2));
console.log(`llama.cpp: prefill ${out.prefillTokPerS.toFixed(1)} tok/s, decode ${out.decodeTokPerS.toFixed(2)} tok/s (${threads} threads)`);
await context.dispose();
await model.dispose();
