package dev.drllm.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.model.DType;
import dev.drllm.model.SafetensorsWriter;
import dev.drllm.model.Tensor;
import dev.drllm.quant.BlockCodec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes GGUF v3 files as llama.cpp reads them: metadata key/values, tensor infos, then the tensor
 * data aligned to 32 bytes. Tensors are streamed row by row from their source (a mapped tensor of
 * any type), converted to the target type on the way (F32, F16, BF16, or a block type with a
 * quantizer), optionally with llama.cpp's per-head q/k row permutation; nothing model-sized is held
 * on the heap. The file appears under its name only when complete (written to {@code NAME.tmp}, then moved).
 */
public final class GgufWriter {
    static final int ALIGN = 32;
    static final int T_UINT32 = 4, T_INT32 = 5, T_FLOAT32 = 6, T_BOOL = 7, T_STRING = 8, T_ARRAY = 9;

    private final Map<String, Object> kv = new LinkedHashMap<>();
    private final List<Out> tensors = new ArrayList<>();

    /**
     * One tensor: its GGUF name, source, the type to write, and {@code permuteHeads} > 0 to reorder
     * the rows of each of that many heads of {@code headDim} rows from rotate-half pairs (i, i + d/2)
     * to interleaved pairs (2i, 2i + 1), as llama.cpp's converter does for {@code llama} q and k.
     */
    record Out(String name, Tensor src, DType type, int permuteHeads, int headDim) {
        long rowLength() { return src.shape()[src.rank() - 1]; }

        long rows() { return src.numel() / Math.max(1, rowLength()); }

        long bytes() { return type.bytesOf(src.numel()); }

        long sourceRow(long r) {
            if (permuteHeads == 0) return r;
            // GGUF row h·d + 2i + j comes from rotate-half row h·d + j·(d/2) + i
            long h = r / headDim, k = r % headDim, i = k / 2, j = k % 2;
            return h * headDim + j * (headDim / 2) + i;
        }
    }

    /** Adds a metadata value: String, Integer (uint32), Float, Boolean, List of String, int[] (int32 array) or float[]. */
    public GgufWriter put(String key, Object value) {
        if (!(value instanceof String || value instanceof Integer || value instanceof Float || value instanceof Boolean
                || value instanceof List<?> || value instanceof int[] || value instanceof float[])) {
            throw new IllegalArgumentException(key + ": unsupported metadata value " + value.getClass());
        }
        kv.put(key, value);
        return this;
    }

    /** Adds a tensor written as {@code type}. */
    public GgufWriter tensor(String name, Tensor src, DType type) {
        return tensor(name, src, type, 0, 0);
    }

    public GgufWriter tensor(String name, Tensor src, DType type, int permuteHeads, int headDim) {
        long row = src.shape()[src.rank() - 1];
        if (row % type.blockSize() != 0) throw new IllegalArgumentException(name + ": rows of " + row + " cannot be " + type + " (blocks of " + type.blockSize() + ")");
        if (type.isQuantized() && !BlockCodec.of(type).canQuantize() && type != src.dtype()) {
            throw new IllegalArgumentException(name + ": drllm does not write " + type);
        }
        if (!type.isMatrixWeight()) throw new IllegalArgumentException(name + ": " + type + " is not a GGUF weight type");
        tensors.add(new Out(name, src, type, permuteHeads, headDim));
        return this;
    }

    /** Writes the file; {@code progress} receives one line per tensor (may be null). */
    public void write(Path out, Consumer<String> progress) throws IOException {
        ByteBuffer head = header();
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        long total = 0;
        for (Out t : tensors) total += t.bytes();
        long done = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeAll(ch, head);
            pad(ch);
            long dataStart = ch.position();
            for (int i = 0; i < tensors.size(); i++) {
                Out t = tensors.get(i);
                long at = ch.position() - dataStart;
                writeTensor(ch, t);
                if (ch.position() - dataStart - at != t.bytes()) throw new IllegalStateException(t.name() + ": wrote " + (ch.position() - dataStart - at) + " bytes, expected " + t.bytes());
                pad(ch);
                done += t.bytes();
                if (progress != null) {
                    progress.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %-28s %-5s %s  (%.0f%% of %.1f MB)", i + 1, tensors.size(), t.name(), t.type(),
                            java.util.Arrays.toString(t.src().shape()), 100.0 * done / Math.max(1, total), total / 1e6));
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ByteBuffer header() {
        Buf b = new Buf();
        b.buf(24).put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(tensors.size()).putLong(kv.size());
        for (Map.Entry<String, Object> e : kv.entrySet()) {
            b.string(e.getKey());
            Object v = e.getValue();
            switch (v) {
                case String s -> { b.buf(4).putInt(T_STRING); b.string(s); }
                case Integer i -> b.buf(8).putInt(T_UINT32).putInt(i);
                case Float f -> b.buf(8).putInt(T_FLOAT32).putFloat(f);
                case Boolean z -> b.buf(5).putInt(T_BOOL).put((byte) (z ? 1 : 0));
                case int[] a -> {
                    b.buf(16).putInt(T_ARRAY).putInt(T_INT32).putLong(a.length);
                    for (int x : a) b.buf(4).putInt(x);
                }
                case float[] a -> {
                    b.buf(16).putInt(T_ARRAY).putInt(T_FLOAT32).putLong(a.length);
                    for (float x : a) b.buf(4).putFloat(x);
                }
                case List<?> l -> {
                    b.buf(16).putInt(T_ARRAY).putInt(T_STRING).putLong(l.size());
                    for (Object s : l) b.string((String) s);
                }
                default -> throw new IllegalStateException();
            }
        }
        long offset = 0;
        for (Out t : tensors) {
            b.string(t.name());
            long[] s = t.src().shape();
            b.buf(4 + 8 * s.length + 12).putInt(s.length);
            for (int i = s.length - 1; i >= 0; i--) b.buf(8).putLong(s[i]); // ggml lists the contiguous dimension first
            b.buf(12).putInt(GgmlType.id(t.type())).putLong(offset);
            offset = align(offset + t.bytes());
        }
        return b.flip();
    }

    private static void writeTensor(FileChannel ch, Out t) throws IOException {
        Tensor s = t.src();
        if (t.type() == s.dtype() && t.permuteHeads() == 0) {
            MemorySegment seg = s.data();
            long n = seg.byteSize();
            for (long off = 0; off < n; off += 64L << 20) writeAll(ch, seg.asSlice(off, Math.min(64L << 20, n - off)).asByteBuffer());
            return;
        }
        if (s.rank() == 1) {
            // a vector (norm, bias): permuted element-wise, each element a "row" of the head layout
            int n = Math.toIntExact(s.numel());
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = s.getFloat(t.sourceRow(i));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(t.type().bytesOf(n), 16);
                encode(v, t.type(), buf, 0);
                writeAll(ch, buf.asByteBuffer());
            }
            return;
        }
        int w = Math.toIntExact(t.rowLength());
        long rows = t.rows();
        int rowBytes = Math.toIntExact(t.type().bytesOf(w));
        int batch = Math.max(1, Math.min((int) Math.min(rows, Integer.MAX_VALUE), (4 << 20) / Math.max(1, rowBytes)));
        float[] row = new float[w];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate((long) batch * rowBytes, 16);
            for (long r0 = 0; r0 < rows; r0 += batch) {
                int n = (int) Math.min(batch, rows - r0);
                for (int i = 0; i < n; i++) {
                    s.readRow(t.sourceRow(r0 + i), row, 0);
                    encode(row, t.type(), buf, (long) i * rowBytes);
                }
                writeAll(ch, buf.asSlice(0, (long) n * rowBytes).asByteBuffer());
            }
        }
    }

    private static void encode(float[] row, DType type, MemorySegment dst, long off) {
        switch (type) {
            case F32 -> MemorySegment.copy(row, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off, row.length);
            case F16 -> {
                for (int i = 0; i < row.length; i++) dst.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off + 2L * i, Float.floatToFloat16(row[i]));
            }
            case BF16 -> {
                for (int i = 0; i < row.length; i++) dst.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off + 2L * i, SafetensorsWriter.toBf16(row[i]));
            }
            default -> BlockCodec.of(type).quantize(row, 0, row.length / type.blockSize(), dst, off);
        }
    }

    static long align(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static void pad(FileChannel ch) throws IOException {
        int p = (int) (align(ch.position()) - ch.position());
        if (p > 0) writeAll(ch, ByteBuffer.allocate(p));
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** A growing little-endian buffer for the header. */
    private static final class Buf {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        ByteBuffer buf(int need) {
            if (b.remaining() < need) {
                ByteBuffer nb = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * b.capacity(), (long) b.position() + need)))
                        .order(ByteOrder.LITTLE_ENDIAN);
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

        ByteBuffer flip() {
            ByteBuffer out = b.duplicate();
            out.flip();
            return out;
        }
    }

    // ------------------------------------------------------------------ tokenizer metadata

    /**
     * The {@code tokenizer.ggml.*} keys of a Hugging Face byte-level BPE {@code tokenizer.json} (+
     * {@code tokenizer_config.json}) as llama.cpp's converter writes them, padded to {@code vocabSize}.
     */
    public GgufWriter tokenizerFrom(Path tokenizerJson, Path tokenizerConfig, int vocabSize) {
        JsonNode root = read(tokenizerJson);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) throw new IllegalArgumentException(tokenizerJson + ": only BPE tokenizers are written to GGUF");
        String[] tokens = new String[vocabSize];
        int[] types = new int[vocabSize];
        model.path("vocab").fields().forEachRemaining(e -> {
            int id = e.getValue().asInt(-1);
            if (id >= 0 && id < vocabSize) {
                tokens[id] = e.getKey();
                types[id] = GgufTokenizer.NORMAL;
            }
        });
        for (JsonNode a : root.path("added_tokens")) {
            int id = a.path("id").asInt(-1);
            if (id >= 0 && id < vocabSize) {
                tokens[id] = a.path("content").asText();
                types[id] = a.path("special").asBoolean(false) ? GgufTokenizer.CONTROL : GgufTokenizer.USER_DEFINED;
            }
        }
        for (int i = 0; i < vocabSize; i++) {
            if (tokens[i] == null) {
                tokens[i] = "[PAD" + i + "]";
                types[i] = GgufTokenizer.UNUSED;
            }
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        put("tokenizer.ggml.model", "gpt2");
        put("tokenizer.ggml.pre", preName(tokenizerJson, root));
        put("tokenizer.ggml.tokens", List.of(tokens));
        put("tokenizer.ggml.token_type", types);
        put("tokenizer.ggml.merges", merges);
        JsonNode config = tokenizerConfig != null && Files.isRegularFile(tokenizerConfig) ? read(tokenizerConfig) : Json().createObjectNode();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocabSize; i++) ids.putIfAbsent(tokens[i], i);
        Integer bos = ids.get(text(config.get("bos_token")));
        Integer eos = ids.get(text(config.get("eos_token")));
        Integer pad = ids.get(text(config.get("pad_token")));
        if (bos != null) put("tokenizer.ggml.bos_token_id", bos);
        if (eos != null) put("tokenizer.ggml.eos_token_id", eos);
        if (pad != null) put("tokenizer.ggml.padding_token_id", pad);
        // a TemplateProcessing post-processor that starts with the bos token = add_bos_token
        JsonNode first = root.path("post_processor").path("single").path(0).path("SpecialToken").path("id");
        put("tokenizer.ggml.add_bos_token", bos != null && first.isTextual() && first.asText().equals(tokens[bos]));
        JsonNode tpl = config.get("chat_template");
        if (tpl != null && tpl.isTextual()) put("tokenizer.chat_template", tpl.asText());
        return this;
    }

    /**
     * A placeholder vocabulary (for checkpoints without a tokenizer, e.g. benchmarks, which feed ids):
     * the 256 GPT-2 byte symbols, then {@code <tN>}; bos 1, eos 2.
     */
    public GgufWriter placeholderTokenizer(int vocabSize) {
        if (vocabSize < 256) throw new IllegalArgumentException("a placeholder vocabulary needs at least 256 tokens, the model has " + vocabSize);
        List<String> tokens = new ArrayList<>(vocabSize);
        for (int b = 0; b < 256; b++) tokens.add(byteSymbol(b));
        for (int i = 256; i < vocabSize; i++) tokens.add("<t" + i + ">");
        int[] types = new int[vocabSize];
        java.util.Arrays.fill(types, GgufTokenizer.NORMAL);
        put("tokenizer.ggml.model", "gpt2");
        put("tokenizer.ggml.pre", "default");
        put("tokenizer.ggml.tokens", tokens);
        put("tokenizer.ggml.token_type", types);
        put("tokenizer.ggml.merges", List.of(byteSymbol('!') + " " + byteSymbol('!')));
        put("tokenizer.ggml.bos_token_id", 1);
        put("tokenizer.ggml.eos_token_id", 2);
        put("tokenizer.ggml.add_bos_token", false);
        return this;
    }

    /** GPT-2's printable stand-in for byte b (bytes_to_unicode). */
    static String byteSymbol(int b) {
        boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        if (printable) return String.valueOf((char) b);
        int n = 0;
        for (int x = 0; x < b; x++) {
            boolean p = (x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF);
            if (!p) n++;
        }
        return String.valueOf((char) (256 + n));
    }

    /** llama.cpp's pre-tokenizer name for a tokenizer.json's pre_tokenizer. */
    static String preName(Path file, JsonNode root) {
        String s = root.path("pre_tokenizer").toString();
        if (s.contains(regexJson(GgufTokenizer.LLAMA3_REGEX))) return "llama-bpe";
        if (s.contains(regexJson(GgufTokenizer.QWEN2_REGEX))) return "qwen2";
        JsonNode p = root.path("pre_tokenizer");
        if ("ByteLevel".equals(p.path("type").asText()) && p.path("use_regex").asBoolean(true)) return "default";
        throw new IllegalArgumentException(file + ": pre-tokenizer " + (s.length() > 200 ? s.substring(0, 200) + "…" : s)
                + " has no llama.cpp name drllm knows (Llama 3's, Qwen2's, GPT-2's)");
    }

    private static String regexJson(String regex) {
        return new com.fasterxml.jackson.databind.node.TextNode(regex).toString();
    }

    private static com.fasterxml.jackson.databind.ObjectMapper Json() { return dev.drllm.util.Json.MAPPER; }

    private static JsonNode read(Path f) {
        try {
            return dev.drllm.util.Json.MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        return n.path("content").isTextual() ? n.path("content").asText() : null;
    }
}
