package dev.drllm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.util.Json;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON
 * header, then the raw tensor bytes. The whole file is mapped, never copied onto the heap; every
 * header field is validated before any tensor is handed out.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers larger than this are refused (the format's own reference reader uses 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        return MappedFile.open(path, 8, "no room for the 8-byte header length", (p, problem, cause) -> new CheckpointException(p, null, problem, cause),
                SafetensorsFile::parse);
    }

    /** Parses and validates a safetensors image already in memory (also used by the fuzz tests). */
    public static SafetensorsFile parse(Path path, MemorySegment whole, Arena arena) {
        long size = whole.byteSize();
        if (size < 8) throw new CheckpointException(path, null, "truncated file: " + size + " bytes, no room for the 8-byte header length");
        long n = whole.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new CheckpointException(path, null, "header length " + Long.toUnsignedString(n) + " is invalid (must be 2.." + MAX_HEADER_BYTES + "): not a safetensors file, or a damaged one");
        }
        if (n > size - 8) {
            throw new CheckpointException(path, null, "header length " + n + " runs past the end of the file (" + size + " bytes)");
        }
        byte[] hdr = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(strictUtf8(path, hdr).strip());
        } catch (IOException e) {
            throw new CheckpointException(path, null, "header is not valid JSON: " + Json.problem(e), e);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(path, null, "header is not a JSON object");
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new CheckpointException(path, null, "__metadata__ is not an object");
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            if (!v.isObject()) throw new CheckpointException(path, name, "header entry is not an object");
            JsonNode dt = v.get("dtype");
            if (dt == null || !dt.isTextual()) throw new CheckpointException(path, name, "missing dtype");
            DType dtype = DType.parse(dt.asText());
            if (dtype == null) throw new CheckpointException(path, name, "unknown dtype '" + dt.asText() + "'");
            JsonNode sh = v.get("shape");
            if (sh == null || !sh.isArray()) throw new CheckpointException(path, name, "missing shape");
            long[] shape = new long[sh.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = sh.get(i);
                if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                    throw new CheckpointException(path, name, "shape entry " + i + " is not a non-negative integer: " + d);
                }
                shape[i] = d.asLong();
                try {
                    numel = Math.multiplyExact(numel, shape[i]);
                } catch (ArithmeticException ex) {
                    throw new CheckpointException(path, name, "shape overflows: " + sh);
                }
            }
            JsonNode off = v.get("data_offsets");
            if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                    || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
                throw new CheckpointException(path, name, "data_offsets must be two integers");
            }
            long begin = off.get(0).asLong();
            long end = off.get(1).asLong();
            if (begin < 0 || end < begin) {
                throw new CheckpointException(path, name, "invalid data_offsets [" + begin + ", " + end + "]");
            }
            if (end > dataSize) {
                throw new CheckpointException(path, name, "data_offsets [" + begin + ", " + end + "] out of range: the data section has "
                        + dataSize + " bytes (truncated file?)");
            }
            long expected;
            try {
                expected = Math.multiplyExact(numel, (long) dtype.bytes());
            } catch (ArithmeticException ex) {
                throw new CheckpointException(path, name, "byte size overflows");
            }
            if (end - begin != expected) {
                throw new CheckpointException(path, name, "byte size " + (end - begin) + " does not match dtype " + dtype
                        + " and shape " + sh + " (" + expected + " bytes)");
            }
            ranges.add(new long[]{begin, end, ranges.size()});
            rangeNames.add(name);
            tensors.put(name, new Tensor(path, name, dtype, shape, whole.asSlice(dataStart + begin, end - begin)));
        }
        checkOverlaps(path, ranges, rangeNames);
        return new SafetensorsFile(path, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void checkOverlaps(Path path, List<long[]> ranges, List<String> names) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
        for (int i = 1; i < sorted.size(); i++) {
            long[] a = sorted.get(i - 1), b = sorted.get(i);
            if (b[0] < a[1] && b[1] > b[0]) {
                throw new CheckpointException(path, names.get((int) b[2]), "data_offsets [" + b[0] + ", " + b[1]
                        + "] overlap tensor '" + names.get((int) a[2]) + "' [" + a[0] + ", " + a[1] + "]");
            }
        }
    }

    /**
     * The header as text, refusing malformed UTF-8 (the format requires it; lenient decoding would
     * turn bad bytes in a tensor name into U+FFFD and surface later as a confusing missing tensor).
     */
    private static String strictUtf8(Path path, byte[] bytes) {
        try {
            return dev.drllm.util.Utf8.decode(bytes);
        } catch (dev.drllm.util.Utf8.MalformedException e) {
            throw new CheckpointException(path, null, "header is not valid UTF-8 (file byte offset " + (8 + e.offset()) + ")");
        }
    }

    public Path path() { return path; }

    public Map<String, Tensor> tensors() { return tensors; }

    public Map<String, String> metadata() { return metadata; }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new CheckpointException(path, name, "missing tensor");
        return t;
    }

    public boolean has(String name) { return tensors.containsKey(name); }

    @Override
    public void close() { arena.close(); }
}
