package dev.drllm.bench;

import dev.drllm.model.DType;
import dev.drllm.model.LayerWeights;
import dev.drllm.model.Model;
import dev.drllm.model.ModelConfig;
import dev.drllm.model.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the GGUF twin of a Llama safetensors checkpoint for llama.cpp (GGUF v3): the same bf16
 * weights under llama.cpp's tensor names ({@code token_embd}, {@code blk.N.attn_q}, …), norms in
 * f32 as llama.cpp's converter stores them, and the {@code llama.*} hyper-parameters.
 *
 * <p>Two things differ from a byte copy. Q and K rows are permuted per head from transformers'
 * rotate-half RoPE layout (pairs i, i + d/2) to llama.cpp's interleaved one (pairs 2i, 2i + 1),
 * as llama.cpp's converter does, so the twin computes the same function. The vocabulary is a
 * placeholder SentencePiece-style list of the checkpoint's size (benchmarks feed token ids, never
 * text), with the 256 byte tokens llama.cpp looks up at load time. Tensors are streamed from the
 * mapped checkpoint; nothing model-sized is held on the heap.
 *
 * <p>Usage: {@code GgufWriter CHECKPOINT_DIR OUT.gguf}. Skips the work when OUT exists.
 */
public final class GgufWriter {
    static final int ALIGN = 32;
    static final int T_UINT32 = 4, T_INT32 = 5, T_FLOAT32 = 6, T_BOOL = 7, T_STRING = 8, T_ARRAY = 9;
    static final int GGML_F32 = 0, GGML_F16 = 1, GGML_BF16 = 30;
    static final int FTYPE_MOSTLY_BF16 = 32;

    /** One tensor to write: its GGUF name, source, ggml type, and how its rows are ordered. */
    record Out(String name, Tensor src, int ggmlType, int permuteHeads) {
        long[] ggmlDims() {
            long[] s = src.shape();
            long[] d = new long[s.length];
            for (int i = 0; i < s.length; i++) d[i] = s[s.length - 1 - i]; // ggml lists the contiguous dimension first
            return d;
        }

        long bytes() {
            return src.numel() * (ggmlType == GGML_F32 ? 4 : 2);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GgufWriter CHECKPOINT_DIR OUT.gguf");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        if (Files.isRegularFile(out)) {
            System.out.println("gguf exists: " + out);
            return;
        }
        try (Model m = Model.load(Path.of(args[0]))) {
            write(m, out);
        }
        System.out.println("gguf written: " + out);
    }

    public static void write(Model m, Path out) throws IOException {
        ModelConfig c = m.config();
        if (c.qkvBias() || c.oBias() || c.mlpBias() || c.qkNorm()) {
            throw new IllegalArgumentException("only plain Llama checkpoints (no biases, no q/k norm) have a GGUF twin here");
        }
        List<Out> tensors = new ArrayList<>();
        tensors.add(new Out("token_embd.weight", m.weights().embedTokens(), half(m.weights().embedTokens()), 0));
        for (LayerWeights w : m.weights().layers()) {
            String p = "blk." + w.index() + ".";
            tensors.add(new Out(p + "attn_norm.weight", w.inputNorm(), GGML_F32, 0));
            tensors.add(new Out(p + "attn_q.weight", w.wq(), half(w.wq()), c.numHeads()));
            tensors.add(new Out(p + "attn_k.weight", w.wk(), half(w.wk()), c.numKvHeads()));
            tensors.add(new Out(p + "attn_v.weight", w.wv(), half(w.wv()), 0));
            tensors.add(new Out(p + "attn_output.weight", w.wo(), half(w.wo()), 0));
            tensors.add(new Out(p + "ffn_norm.weight", w.postAttentionNorm(), GGML_F32, 0));
            tensors.add(new Out(p + "ffn_gate.weight", w.wGate(), half(w.wGate()), 0));
            tensors.add(new Out(p + "ffn_up.weight", w.wUp(), half(w.wUp()), 0));
            tensors.add(new Out(p + "ffn_down.weight", w.wDown(), half(w.wDown()), 0));
        }
        tensors.add(new Out("output_norm.weight", m.weights().finalNorm(), GGML_F32, 0));
        if (!c.tieEmbeddings()) tensors.add(new Out("output.weight", m.weights().lmHead(), half(m.weights().lmHead()), 0));

        Header h = new Header();
        int kvCount = 0;
        kvCount += h.kvString("general.architecture", "llama");
        kvCount += h.kvString("general.name", "drllm-bench-" + m.dir().getFileName());
        kvCount += h.kvU32("general.alignment", ALIGN);
        kvCount += h.kvU32("general.file_type", FTYPE_MOSTLY_BF16);
        kvCount += h.kvU32("llama.context_length", c.maxPositions());
        kvCount += h.kvU32("llama.embedding_length", c.hiddenSize());
        kvCount += h.kvU32("llama.block_count", c.numLayers());
        kvCount += h.kvU32("llama.feed_forward_length", c.intermediateSize());
        kvCount += h.kvU32("llama.rope.dimension_count", c.headDim());
        kvCount += h.kvU32("llama.attention.head_count", c.numHeads());
        kvCount += h.kvU32("llama.attention.head_count_kv", c.numKvHeads());
        kvCount += h.kvU32("llama.attention.key_length", c.headDim());
        kvCount += h.kvU32("llama.attention.value_length", c.headDim());
        kvCount += h.kvF32("llama.attention.layer_norm_rms_epsilon", c.rmsNormEps());
        kvCount += h.kvF32("llama.rope.freq_base", (float) c.rope().theta());
        kvCount += h.kvU32("llama.vocab_size", c.vocabSize());
        kvCount += h.kvString("tokenizer.ggml.model", "llama");
        kvCount += vocabulary(h, c.vocabSize());
        kvCount += h.kvU32("tokenizer.ggml.unknown_token_id", 0);
        kvCount += h.kvU32("tokenizer.ggml.bos_token_id", 1);
        kvCount += h.kvU32("tokenizer.ggml.eos_token_id", 2);
        kvCount += h.kvBool("tokenizer.ggml.add_bos_token", false);

        ByteBuffer infos = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        long offset = 0;
        for (Out t : tensors) {
            putString(infos, t.name());
            long[] dims = t.ggmlDims();
            infos.putInt(dims.length);
            for (long d : dims) infos.putLong(d);
            infos.putInt(t.ggmlType());
            infos.putLong(offset);
            offset = align(offset + t.bytes());
        }
        infos.flip();

        ByteBuffer pre = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        pre.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(tensors.size()).putLong(kvCount).flip();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeAll(ch, pre);
            writeAll(ch, h.buffer());
            writeAll(ch, infos);
            pad(ch);
            long dataStart = ch.position();
            for (Out t : tensors) {
                writeTensor(ch, t, c.headDim());
                pad(ch);
            }
            if (ch.position() - dataStart != offset) throw new IllegalStateException("tensor data size " + (ch.position() - dataStart) + " != " + offset);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int half(Tensor t) {
        return switch (t.dtype()) {
            case BF16 -> GGML_BF16;
            case F16 -> GGML_F16;
            default -> throw new IllegalArgumentException(t.name() + ": only bf16 / f16 matrices are copied (" + t.dtype() + ")");
        };
    }

    /** Placeholder SentencePiece vocabulary: unk, bos, eos, the 256 byte tokens, then "▁t{i}". */
    private static int vocabulary(Header h, int n) {
        if (n < 259) throw new IllegalArgumentException("vocabulary of " + n + " is too small for the 259 special and byte tokens");
        List<String> tokens = new ArrayList<>(n);
        tokens.add("<unk>");
        tokens.add("<s>");
        tokens.add("</s>");
        for (int b = 0; b < 256; b++) tokens.add(String.format("<0x%02X>", b));
        for (int i = tokens.size(); i < n; i++) tokens.add("\u2581t" + i);
        h.key("tokenizer.ggml.tokens");
        h.buf(12 + 8).putInt(T_ARRAY).putInt(T_STRING).putLong(n);
        for (String s : tokens) h.string(s);
        h.key("tokenizer.ggml.scores");
        h.buf(16).putInt(T_ARRAY).putInt(T_FLOAT32).putLong(n);
        for (int i = 0; i < n; i++) h.buf(4).putFloat(-i);
        h.key("tokenizer.ggml.token_type");
        h.buf(16).putInt(T_ARRAY).putInt(T_INT32).putLong(n);
        for (int i = 0; i < n; i++) h.buf(4).putInt(i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1); // unknown, control, byte, normal
        return 3;
    }

    private static void writeTensor(FileChannel ch, Out t, int headDim) throws IOException {
        Tensor s = t.src();
        MemorySegment seg = s.data();
        if (t.ggmlType() == GGML_F32) {
            float[] v = s.toFloatArray();
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) b.putFloat(f);
            b.flip();
            writeAll(ch, b);
            return;
        }
        if (t.permuteHeads() == 0) {
            long n = seg.byteSize();
            for (long off = 0; off < n; off += 64L << 20) writeAll(ch, seg.asSlice(off, Math.min(64L << 20, n - off)).asByteBuffer());
            return;
        }
        // row (head h, j, i) of the GGUF tensor comes from HF row h·d + j·(d/2) + i, written as h·d + 2i + j
        long rowBytes = (long) s.dim(1) * 2;
        int d = headDim, halfD = d / 2;
        for (int hh = 0; hh < t.permuteHeads(); hh++) {
            for (int i = 0; i < halfD; i++) {
                for (int j = 0; j < 2; j++) {
                    long src = (long) hh * d + (long) j * halfD + i;
                    writeAll(ch, seg.asSlice(src * rowBytes, rowBytes).asByteBuffer());
                }
            }
        }
    }

    private static long align(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static void pad(FileChannel ch) throws IOException {
        int p = (int) (align(ch.position()) - ch.position());
        if (p > 0) writeAll(ch, ByteBuffer.allocate(p));
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(u.length).put(u);
    }

    /** The key/value section, grown as needed. */
    static final class Header {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        ByteBuffer buf(int need) {
            if (b.remaining() < need) {
                ByteBuffer nb = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + need)).order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                nb.put(b);
                b = nb;
            }
            return b;
        }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            buf(8 + u.length).putLong(u.length).put(u);
        }

        void key(String k) { string(k); }

        int kvString(String k, String v) {
            key(k);
            buf(4).putInt(T_STRING);
            string(v);
            return 1;
        }

        int kvU32(String k, int v) {
            key(k);
            buf(8).putInt(T_UINT32).putInt(v);
            return 1;
        }

        int kvF32(String k, float v) {
            key(k);
            buf(8).putInt(T_FLOAT32).putFloat(v);
            return 1;
        }

        int kvBool(String k, boolean v) {
            key(k);
            buf(5).putInt(T_BOOL).put((byte) (v ? 1 : 0));
            return 1;
        }

        ByteBuffer buffer() {
            ByteBuffer out = b.duplicate();
            out.flip();
            return out;
        }
    }
}
