// llama.cpp's side of the task-answer agreement check (bench/llamacpp-answers.sh): greedy answers
// to the prompts drllm's eval builds, fed to llama.cpp as the very same token ids, through
// llama.cpp's C API (the libllama built in .llama.cpp/src/build, the version node-llama-cpp 3.22.1
// ships). Default llama.cpp context settings (F16 KV cache, flash attention as llama.cpp decides).
//
// Input (PROMPTS.tsv, written by AnswerTrace trace): index, token budget, stop ids, prompt ids (comma
// separated), prompt text as hex UTF-8. Output: one JSON object per line with llama.cpp's own
// tokenisation of the prompt text (no special tokens, as drllm's eval), the greedy ids (first
// maximal logit, as drllm), their text by llama.cpp's detokeniser (hex UTF-8, special tokens left
// out) and the top logits of every step.
//
// Usage: llamacpp-answers MODEL.gguf PROMPTS.tsv OUT.jsonl [THREADS] [CTX]
// CTX caps the context (default: the model's training context, which for a 128k-context model makes
// llama.cpp allocate a batch of that many tokens; bench/llamacpp-logits.sh passes 512).
#include "llama.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

static const int TOP = 8;

static std::vector<std::string> split(const std::string & s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.push_back("");
    return out;
}

static std::vector<llama_token> ids(const std::string & s) {
    std::vector<llama_token> out;
    if (s.empty()) return out;
    for (const auto & t : split(s, ',')) out.push_back((llama_token) std::stol(t));
    return out;
}

static std::string unhex(const std::string & h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back((char) std::stoi(h.substr(i, 2), nullptr, 16));
    return out;
}

static std::string hex(const std::string & s) {
    static const char * d = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) { out.push_back(d[c >> 4]); out.push_back(d[c & 15]); }
    return out;
}

static std::string join(const std::vector<llama_token> & v) {
    std::string out;
    for (size_t i = 0; i < v.size(); i++) out += (i ? "," : "") + std::to_string(v[i]);
    return out;
}

static void quiet(enum ggml_log_level level, const char * text, void *) {
    if (level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

int main(int argc, char ** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s MODEL.gguf PROMPTS.tsv OUT.jsonl [THREADS] [CTX]\n", argv[0]);
        return 2;
    }
    int threads = argc > 4 ? atoi(argv[4]) : 2;
    llama_log_set(quiet, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "%s: llama.cpp cannot load it\n", argv[1]); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = llama_model_n_ctx_train(model);
    if (argc > 5) cp.n_ctx = std::min<uint32_t>(cp.n_ctx, (uint32_t) atoi(argv[5]));
    cp.n_batch = cp.n_ctx;
    cp.n_ubatch = cp.n_ctx;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "%s: cannot make a context\n", argv[1]); return 1; }

    std::ifstream in(argv[2]);
    FILE * out = fopen(argv[3], "w");
    if (!in || !out) { fprintf(stderr, "cannot open %s or %s\n", argv[2], argv[3]); return 1; }
    std::string line;
    int done = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto f = split(line, '\t');
        if (f.size() != 5) { fprintf(stderr, "%s: bad line: %s\n", argv[2], line.c_str()); return 1; }
        int index = std::stoi(f[0]), budget = std::stoi(f[1]);
        std::vector<llama_token> stops = ids(f[2]), prompt = ids(f[3]);
        std::string text = unhex(f[4]);

        // llama.cpp's own tokenisation of the prompt text (no BOS, no special-token parsing)
        std::vector<llama_token> tok(text.size() + 8);
        int nt = llama_tokenize(vocab, text.c_str(), (int32_t) text.size(), tok.data(), (int32_t) tok.size(), false, false);
        if (nt < 0) { fprintf(stderr, "question %d: tokenize failed\n", index); return 1; }
        tok.resize(nt);

        llama_memory_clear(llama_get_memory(ctx), true);
        std::vector<llama_token> gen;
        std::string steps;
        std::vector<llama_token> batch = prompt;
        std::vector<int> order(n_vocab);
        while ((int) gen.size() < budget) {
            if (llama_decode(ctx, llama_batch_get_one(batch.data(), (int32_t) batch.size())) != 0) {
                fprintf(stderr, "question %d: llama_decode failed\n", index);
                return 1;
            }
            const float * lg = llama_get_logits_ith(ctx, -1);
            std::iota(order.begin(), order.end(), 0);
            std::partial_sort(order.begin(), order.begin() + TOP, order.end(),
                              [&](int a, int b) { return lg[a] != lg[b] ? lg[a] > lg[b] : a < b; });
            llama_token next = order[0];
            char buf[64];
            steps += steps.empty() ? "[" : ",[";
            for (int i = 0; i < TOP; i++) {
                snprintf(buf, sizeof buf, "%s[%d,%.9g]", i ? "," : "", order[i], lg[order[i]]);
                steps += buf;
            }
            steps += "]";
            gen.push_back(next);
            if (std::find(stops.begin(), stops.end(), next) != stops.end()) break;
            batch.assign(1, next);
        }
        std::string reply;
        for (llama_token t : gen) {
            char piece[256];
            int n = llama_token_to_piece(vocab, t, piece, sizeof piece, 0, false);
            if (n > 0) reply.append(piece, n);
        }
        fprintf(out, "{\"index\":%d,\"tok_ids\":[%s],\"ids\":[%s],\"text_hex\":\"%s\",\"top\":[%s]}\n",
                index, join(tok).c_str(), join(gen).c_str(), hex(reply).c_str(), steps.c_str());
        if (++done % 100 == 0) fprintf(stderr, "llama.cpp %s: %d questions\n", argv[1], done);
    }
    fclose(out);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
