/**
 * The embedding API of drllm: load a Hugging Face checkpoint (with its tokenizer and Dr.LLM routers)
 * once as a {@link dev.drllm.api.DrLlm}, open a {@link dev.drllm.api.Session} per concurrent
 * conversation or worker thread, and generate with a {@link dev.drllm.api.GenerateRequest}: blocking,
 * with a {@link dev.drllm.api.TokenListener} callback, or as a {@link dev.drllm.api.TokenStream}
 * iterator. Results ({@link dev.drllm.api.GenerateResult}) carry the executed layer path, the
 * routers' decisions, token counts and timings.
 *
 * <p>Contracts: every error is a {@link dev.drllm.api.DrLlmException} subclass with a one-line
 * message; {@link dev.drllm.api.Limits} (context, new tokens, a memory budget counting everything a
 * generation allocates) are checked before any work; outputs do not depend on how many sessions run
 * at once; a generation's memory is freed however it ends (an abandoned stream when it becomes
 * unreachable, a cancel at once, an error of any kind); {@link dev.drllm.api.Session#cancel()} is
 * never lost; {@code close()} on the model releases the mapped weights, worker threads and caches
 * after cancelling what still runs.
 */
package dev.drllm.api;
