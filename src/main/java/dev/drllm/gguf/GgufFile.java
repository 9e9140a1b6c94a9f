package dev.drllm.gguf;

import dev.drllm.model.DType;
import dev.drllm.model.MappedFile;
import dev.drllm.model.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped GGUF file (versions 2 and 3, little endian): header, metadata key/values,
 * tensor infos, then the aligned tensor data, viewed in place. Every count, length, offset and
 * shape is checked against the bytes that are actually there before anything is allocated or
 * handed out, so a damaged or hostile file ends in a {@link GgufException}, never in a huge
 * allocation or an out-of-bounds read.
 *
 * <p>Metadata values: integers as {@link Long} (uint64 above 2^63 refused), floats as
 * {@link Double}, {@link Boolean}, {@link String}; arrays as {@code long[]}, {@code double[]},
 * {@code boolean[]} or {@code List<String>} (arrays of arrays are refused, llama.cpp writes none).
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" little endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;

    private final Path path;
    private final Arena arena;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> typeNames;

    private GgufFile(Path path, Arena arena, int version, Map<String, Object> metadata, Map<String, Tensor> tensors, Map<String, String> typeNames) {
        this.path = path;
        this.arena = arena;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.typeNames = typeNames;
    }

    /** Whether the file starts with the GGUF magic (false when it cannot be read). */
    public static boolean isGguf(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) { }
            return !b.hasRemaining() && b.getInt(0) == MAGIC;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static GgufFile open(Path path) {
        return MappedFile.open(path, 24, "a GGUF header needs 24", (p, problem, cause) -> new GgufException(p, null, problem, cause), GgufFile::parse);
    }

    /** Parses and validates a GGUF image already in memory (also the fuzz target). */
    public static GgufFile parse(Path path, MemorySegment whole, Arena arena) {
        Reader r = new Reader(path, whole);
        int magic = r.i32("magic");
        if (magic != MAGIC) throw new GgufException(path, null, "not a GGUF file (magic " + String.format("0x%08x", magic) + ", expected \"GGUF\")");
        int version = r.i32("version");
        if (version != 2 && version != 3) {
            throw new GgufException(path, null, "GGUF version " + Integer.toUnsignedString(version) + " is not supported (2 and 3 are)");
        }
        long nTensors = r.count("tensor count", 8 + 4 + 8 + 4 + 8);
        long nKv = r.count("metadata count", 8 + 4 + 1);
        Map<String, Object> meta = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = r.string("metadata key " + i);
            int type = r.i32("type of '" + key + "'");
            Object v = r.value(type, key, false);
            if (meta.putIfAbsent(key, v) != null) throw new GgufException(path, null, "metadata key '" + key + "' appears twice");
        }
        long alignment = DEFAULT_ALIGNMENT;
        Object a = meta.get("general.alignment");
        if (a != null) {
            if (!(a instanceof Long al) || al <= 0 || al > (1 << 20) || Long.bitCount(al) != 1) {
                throw new GgufException(path, null, "general.alignment must be a power of two up to 1 MiB, found " + a);
            }
            alignment = al;
        }
        record Info(String name, long[] shape, DType dtype, int ggml, long offset, long bytes) {}
        List<Info> infos = new ArrayList<>();
        Map<String, String> typeNames = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long i = 0; i < nTensors; i++) {
            String name = r.string("tensor name " + i);
            if (!seen.add(name)) throw new GgufException(path, name, "tensor appears twice");
            int nd = r.i32("dimension count");
            if (nd < 1 || nd > MAX_DIMS) throw new GgufException(path, name, "dimension count " + Integer.toUnsignedString(nd) + " out of range 1.." + MAX_DIMS);
            long[] ne = new long[nd];
            long numel = 1;
            for (int d = 0; d < nd; d++) {
                ne[d] = r.i64("dimension " + d + " of '" + name + "'");
                if (ne[d] < 0 || ne[d] > Integer.MAX_VALUE) {
                    throw new GgufException(path, name, "dimension " + d + " is " + Long.toUnsignedString(ne[d]) + ", beyond the 2^31 − 1 drllm supports");
                }
                try {
                    numel = Math.multiplyExact(numel, ne[d]);
                } catch (ArithmeticException e) {
                    throw new GgufException(path, name, "element count overflows: " + Arrays.toString(ne));
                }
            }
            int ggml = r.i32("type of tensor '" + name + "'");
            long offset = r.i64("offset of tensor '" + name + "'");
            typeNames.put(name, GgmlType.name(ggml));
            DType dt = GgmlType.dtype(ggml);
            if (dt == null) {
                throw new GgufException(path, name, "weight type " + GgmlType.name(ggml) + " is not supported (drllm reads F32, F16, BF16, "
                        + "Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)");
            }
            if (ne[0] % dt.blockSize() != 0) {
                throw new GgufException(path, name, "row length " + ne[0] + " is not a multiple of the " + dt + " block size " + dt.blockSize());
            }
            long bytes;
            try {
                bytes = dt.bytesOf(numel);
            } catch (ArithmeticException e) {
                throw new GgufException(path, name, "byte size overflows");
            }
            if (offset < 0 || offset % alignment != 0) {
                throw new GgufException(path, name, "data offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment " + alignment);
            }
            long[] shape = new long[nd];
            for (int d = 0; d < nd; d++) shape[d] = ne[nd - 1 - d]; // ggml lists the contiguous dimension first
            infos.add(new Info(name, shape, dt, ggml, offset, bytes));
        }
        long dataStart = (r.pos + alignment - 1) / alignment * alignment;
        long size = whole.byteSize();
        if (nTensors > 0 && dataStart > size) throw new GgufException(path, null, "truncated file: the tensor data would start at byte " + dataStart + " of " + size);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Info t : infos) {
            long avail = size - dataStart;
            if (t.offset() > avail || t.bytes() > avail - t.offset()) {
                throw new GgufException(path, t.name(), t.dtype() + " " + Arrays.toString(t.shape()) + " needs " + t.bytes() + " bytes at data offset "
                        + t.offset() + ", past the end of the file (" + avail + " bytes of tensor data; truncated file?)");
            }
            tensors.put(t.name(), new Tensor(path, t.name(), t.dtype(), t.shape(), whole.asSlice(dataStart + t.offset(), t.bytes())));
        }
        List<Info> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(Info::offset));
        for (int i = 1; i < sorted.size(); i++) {
            Info p = sorted.get(i - 1), q = sorted.get(i);
            if (q.bytes() > 0 && q.offset() < p.offset() + p.bytes()) {
                throw new GgufException(path, q.name(), "data [" + q.offset() + ", +" + q.bytes() + ") overlaps tensor '" + p.name() + "'");
            }
        }
        return new GgufFile(path, arena, version, Collections.unmodifiableMap(meta), Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(typeNames));
    }

    /** Bounds-checked little-endian cursor over the file. */
    private static final class Reader {
        private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        final Path path;
        final MemorySegment s;
        long pos;

        Reader(Path path, MemorySegment s) {
            this.path = path;
            this.s = s;
        }

        long left() { return s.byteSize() - pos; }

        void need(long n, String what) {
            if (n > left()) throw new GgufException(path, null, "truncated file: " + what + " needs " + n + " bytes at offset " + pos + ", " + left() + " left");
        }

        int i32(String what) {
            need(4, what);
            int v = s.get(I32, pos);
            pos += 4;
            return v;
        }

        long i64(String what) {
            need(8, what);
            long v = s.get(I64, pos);
            pos += 8;
            return v;
        }

        /** A count of items each taking at least {@code minBytes}: refused when the rest of the file cannot hold them. */
        long count(String what, long minBytes) {
            long n = i64(what);
            if (n < 0 || n > left() / minBytes) {
                throw new GgufException(path, null, what + " " + Long.toUnsignedString(n) + " is impossible: the " + left()
                        + " bytes left hold at most " + left() / minBytes);
            }
            return n;
        }

        String string(String what) {
            long n = i64("length of " + what);
            if (n < 0 || n > left()) throw new GgufException(path, null, "length " + Long.toUnsignedString(n) + " of " + what + " runs past the end of the file (" + left() + " bytes left)");
            byte[] b = s.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
            pos += n;
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new GgufException(path, null, what + " is not valid UTF-8 (offset " + (pos - n) + ")");
            }
        }

        private static final int[] MIN_BYTES = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8};

        Object value(int type, String key, boolean inArray) {
            return switch (type) {
                case 0 -> { need(1, key); yield (long) (s.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF); }
                case 1 -> { need(1, key); yield (long) s.get(ValueLayout.JAVA_BYTE, pos++); }
                case 2 -> { need(2, key); long v = s.get(I16, pos) & 0xFFFF; pos += 2; yield v; }
                case 3 -> { need(2, key); long v = s.get(I16, pos); pos += 2; yield v; }
                case 4 -> Integer.toUnsignedLong(i32(key));
                case 5 -> (long) i32(key);
                case 6 -> { need(4, key); double v = s.get(F32, pos); pos += 4; yield v; }
                case 7 -> {
                    need(1, key);
                    byte b = s.get(ValueLayout.JAVA_BYTE, pos++);
                    if (b != 0 && b != 1) throw new GgufException(path, null, "metadata '" + key + "': bool byte " + b + " is neither 0 nor 1");
                    yield b == 1;
                }
                case 8 -> string("metadata '" + key + "'");
                case 9 -> {
                    if (inArray) throw new GgufException(path, null, "metadata '" + key + "': arrays of arrays are not supported");
                    int at = i32("array type of '" + key + "'");
                    if (at < 0 || at >= MIN_BYTES.length || at == 9) {
                        throw new GgufException(path, null, "metadata '" + key + "': unsupported array element type " + Integer.toUnsignedString(at));
                    }
                    long n = count("length of array '" + key + "'", MIN_BYTES[at]);
                    if (n > Integer.MAX_VALUE - 8) throw new GgufException(path, null, "metadata '" + key + "': array of " + n + " elements is too long");
                    yield array(at, (int) n, key);
                }
                case 10 -> {
                    long v = i64(key);
                    if (v < 0) throw new GgufException(path, null, "metadata '" + key + "': uint64 " + Long.toUnsignedString(v) + " is out of range");
                    yield v;
                }
                case 11 -> i64(key);
                case 12 -> { need(8, key); double v = s.get(F64, pos); pos += 8; yield v; }
                default -> throw new GgufException(path, null, "metadata '" + key + "': unknown value type " + Integer.toUnsignedString(type));
            };
        }

        private Object array(int at, int n, String key) {
            switch (at) {
                case 8 -> {
                    List<String> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) out.add(string("element " + i + " of '" + key + "'"));
                    return Collections.unmodifiableList(out);
                }
                case 6, 12 -> {
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) out[i] = (Double) value(at, key, true);
                    return out;
                }
                case 7 -> {
                    boolean[] out = new boolean[n];
                    for (int i = 0; i < n; i++) out[i] = (Boolean) value(at, key, true);
                    return out;
                }
                default -> {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) out[i] = (Long) value(at, key, true);
                    return out;
                }
            }
        }
    }

    public Path path() { return path; }

    public int version() { return version; }

    public Map<String, Object> metadata() { return metadata; }

    public Map<String, Tensor> tensors() { return tensors; }

    /** The ggml type name of each tensor as the file states it ("Q4_K"). */
    public Map<String, String> typeNames() { return typeNames; }

    public boolean has(String tensor) { return tensors.containsKey(tensor); }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new GgufException(path, name, "missing tensor");
        return t;
    }

    /** A string value, or {@code dflt} when absent; a typed error when present with another type. */
    public String string(String key, String dflt) {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (!(v instanceof String s)) throw new GgufException(path, null, "metadata '" + key + "' should be a string, found " + describe(v));
        return s;
    }

    /** An integer value, or {@code dflt} when absent. */
    public Long integer(String key, Long dflt) {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Long l)) throw new GgufException(path, null, "metadata '" + key + "' should be an integer, found " + describe(v));
        return l;
    }

    /** A float value (integers accepted), or {@code dflt} when absent. */
    public Double real(String key, Double dflt) {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l.doubleValue();
        throw new GgufException(path, null, "metadata '" + key + "' should be a number, found " + describe(v));
    }

    public Boolean bool(String key, Boolean dflt) {
        Object v = metadata.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b)) throw new GgufException(path, null, "metadata '" + key + "' should be a bool, found " + describe(v));
        return b;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = metadata.get(key);
        if (v == null) return null;
        if (!(v instanceof List<?>)) throw new GgufException(path, null, "metadata '" + key + "' should be an array of strings, found " + describe(v));
        return (List<String>) v;
    }

    public long[] integers(String key) {
        Object v = metadata.get(key);
        if (v == null) return null;
        if (!(v instanceof long[] a)) throw new GgufException(path, null, "metadata '" + key + "' should be an array of integers, found " + describe(v));
        return a;
    }

    static String describe(Object v) {
        if (v instanceof List<?> l) return "an array of " + l.size() + " strings";
        if (v instanceof long[] a) return "an array of " + a.length + " integers";
        if (v instanceof double[] a) return "an array of " + a.length + " floats";
        if (v instanceof boolean[] a) return "an array of " + a.length + " bools";
        if (v instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }

    @Override
    public void close() { arena.close(); }
}
