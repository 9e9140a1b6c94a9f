package dev.drllm.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drllm.util.AtomicFiles;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer of safetensors files (routers, feature caches, random-weight benchmark checkpoints,
 * test fixtures). Written to a temporary sibling and moved into place ({@link AtomicFiles}), so a
 * crash never leaves half a file. A tensor's values come from an array or, for tensors too large to
 * hold as floats (a 3B checkpoint), from a {@link Values} source streamed in chunks.
 */
public final class SafetensorsWriter {
    /** Supplies a tensor's values in order: fills {@code out[0..n)} with elements {@code from .. from+n)}. */
    @FunctionalInterface
    public interface Values {
        void fill(long from, float[] out, int n);
    }

    /** A tensor to write: {@code count} f32 values from {@code values}, stored as {@code dtype} (BF16 rounds to nearest even). */
    public record Entry(String name, DType dtype, long[] shape, long count, Values values) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        long n = elements(name, shape);
        if (n != values.length) throw new IllegalArgumentException(name + ": shape has " + n + " elements, values " + values.length);
        return add(name, dtype, shape, (from, out, k) -> System.arraycopy(values, (int) from, out, 0, k));
    }

    /** Adds a tensor whose values are produced while the file is written (called once, in order). */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, Values values) {
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16) {
            throw new IllegalArgumentException(name + ": cannot write dtype " + dtype);
        }
        entries.add(new Entry(name, dtype, shape.clone(), elements(name, shape), values));
        return this;
    }

    private static long elements(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + java.util.Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path path) throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode md = header.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode o = header.putObject(e.name());
            o.put("dtype", e.dtype().name());
            ArrayNode sh = o.putArray("shape");
            for (long d : e.shape()) sh.add(d);
            long bytes = e.count() * e.dtype().bytes();
            o.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] hdr = Json.MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - (hdr.length % 8)) % 8;
        AtomicFiles.write(path, os -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hdr.length + pad);
            os.write(len.array());
            os.write(hdr);
            for (int i = 0; i < pad; i++) os.write(' ');
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            float[] chunk = new float[1 << 14];
            for (Entry e : entries) {
                for (long from = 0; from < e.count(); from += chunk.length) {
                    int n = (int) Math.min(chunk.length, e.count() - from);
                    e.values().fill(from, chunk, n);
                    for (int i = 0; i < n; i++) {
                        if (buf.remaining() < 4) {
                            os.write(buf.array(), 0, buf.position());
                            buf.clear();
                        }
                        float v = chunk[i];
                        switch (e.dtype()) {
                            case F32 -> buf.putFloat(v);
                            case BF16 -> buf.putShort(toBf16(v));
                            case F16 -> buf.putShort(Float.floatToFloat16(v));
                            default -> throw new IllegalStateException();
                        }
                    }
                }
            }
            os.write(buf.array(), 0, buf.position());
        });
    }

    /** f32 → bf16 with round-to-nearest-even, NaN kept NaN (as torch does). */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
