package dev.drllm.gguf;

import dev.drllm.model.CheckpointException;
import dev.drllm.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damaged and hostile GGUF files: every one ends in a typed error naming the file (and tensor or key) and the problem. */
class GgufMalformedTest {
    @TempDir
    Path tmp;

    /** A hand-built GGUF image: header counts, key/values and tensor infos as given, then {@code data} at 32-byte alignment. */
    static final class Image {
        final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Image header(int version, long tensors, long kvs) {
            b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(tensors).putLong(kvs);
            return this;
        }

        Image str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(u.length).put(u);
            return this;
        }

        Image kvU32(String k, int v) {
            str(k);
            b.putInt(4).putInt(v);
            return this;
        }

        Image kvStr(String k, String v) {
            str(k);
            b.putInt(8);
            return str(v);
        }

        Image tensor(String name, int type, long offset, long... ne) {
            str(name);
            b.putInt(ne.length);
            for (long n : ne) b.putLong(n);
            b.putInt(type).putLong(offset);
            return this;
        }

        byte[] done(int dataBytes) {
            int pos = (b.position() + 31) / 32 * 32;
            b.position(pos);
            b.put(new byte[dataBytes]);
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    static GgufFile parse(byte[] bytes) {
        Arena a = Arena.ofConfined();
        MemorySegment seg = a.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return GgufFile.parse(Path.of("bad.gguf"), seg.asSlice(0, bytes.length), a);
    }

    static String error(byte[] bytes) {
        GgufException e = assertThrows(GgufException.class, () -> parse(bytes));
        assertTrue(e.getMessage().startsWith("bad.gguf"), e.getMessage());
        return e.getMessage();
    }

    static byte[] valid() {
        return new Image().header(3, 2, 1).kvStr("general.architecture", "llama")
                .tensor("a", 0, 0, 8, 2).tensor("b", 8, 64, 32, 1).done(64 + 34);
    }

    @Test
    void aValidImageParses() {
        GgufFile f = parse(valid());
        assertEquals(2, f.tensors().size());
        assertEquals("Q8_0", f.typeNames().get("b"));
        assertEquals("llama", f.string("general.architecture", null));
    }

    @Test
    void everyTruncationIsATypedError() {
        byte[] ok = valid();
        for (int n = 0; n < ok.length; n++) {
            byte[] cut = Arrays.copyOf(ok, n);
            GgufException e = assertThrows(GgufException.class, () -> parse(cut), "prefix of " + n + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("past the end") || e.getMessage().contains("not a GGUF")
                    || e.getMessage().contains("impossible"), n + ": " + e.getMessage());
        }
    }

    @Test
    void headerProblems() {
        byte[] magic = valid();
        magic[0] = 'X';
        assertTrue(error(magic).contains("not a GGUF file"));
        assertTrue(error(new Image().header(1, 0, 0).done(0)).contains("version 1 is not supported"));
        assertTrue(error(new Image().header(3, Long.MAX_VALUE, 0).done(0)).contains("tensor count"));
        assertTrue(error(new Image().header(3, 0, 1L << 40).done(0)).contains("metadata count"));
        assertTrue(error(new Image().header(3, 0, -1).done(0)).contains("impossible"));
    }

    @Test
    void metadataProblems() {
        Image huge = new Image().header(3, 0, 1);
        huge.str("k").b.putInt(8).putLong(1L << 50);
        assertTrue(error(huge.done(0)).contains("runs past the end"));
        Image arr = new Image().header(3, 0, 1);
        arr.str("tokens").b.putInt(9).putInt(8).putLong(1L << 40);
        assertTrue(error(arr.done(0)).contains("length of array 'tokens'"));
        Image nested = new Image().header(3, 0, 1);
        nested.str("n").b.putInt(9).putInt(9).putLong(1);
        assertTrue(error(nested.done(0)).contains("unsupported array element type 9"));
        Image type = new Image().header(3, 0, 1);
        type.str("t").b.putInt(77);
        assertTrue(error(type.done(0)).contains("unknown value type 77"));
        Image bool = new Image().header(3, 0, 1);
        bool.str("z").b.putInt(7).put((byte) 5);
        assertTrue(error(bool.done(0)).contains("neither 0 nor 1"));
        assertTrue(error(new Image().header(3, 0, 2).kvU32("x", 1).kvU32("x", 2).done(0)).contains("appears twice"));
        assertTrue(error(new Image().header(3, 0, 1).kvU32("general.alignment", 3).done(0)).contains("power of two"));
        Image utf = new Image().header(3, 0, 1);
        utf.b.putLong(2).put((byte) 0xC3).put((byte) 0x28);
        utf.b.putInt(4).putInt(1);
        assertTrue(error(utf.done(0)).contains("not valid UTF-8"));
    }

    @Test
    void tensorProblems() {
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 10, 0, 256, 1).done(84)).contains("tensor 'w': weight type Q2_K is not supported"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 99, 0, 32).done(64)).contains("weight type type 99 is not supported"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 8, 0, 48, 1).done(64)).contains("not a multiple of the Q8_0 block size 32"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 4, 1).done(64)).contains("not a multiple of the alignment"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 0, 100).done(64)).contains("past the end of the file"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 1L << 40, 1).done(64)).contains("past the end of the file"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 0, 1L << 30, 1L << 30, 1L << 30).done(64)).contains("overflows"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 0, 0, 1L << 40).done(64)).contains("beyond the 2^31"));
        assertTrue(error(new Image().header(3, 1, 0).tensor("w", 0, 0, 1, 1, 1, 1, 1).done(64)).contains("dimension count 5"));
        assertTrue(error(new Image().header(3, 2, 0).tensor("w", 0, 0, 8).tensor("w", 0, 32, 8).done(64)).contains("appears twice"));
        assertTrue(error(new Image().header(3, 2, 0).tensor("w", 0, 0, 16).tensor("v", 0, 32, 8).done(96)).contains("overlaps"));
    }

    @Test
    void modelLevelProblemsNameTheTensorOrKey() throws IOException {
        Path f = tmp.resolve("m.gguf");
        Files.write(f, new Image().header(3, 0, 1).kvStr("general.architecture", "gemma2").done(0));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Model.load(f));
        assertTrue(e.getMessage().contains("architecture 'gemma2' is not supported"), e.getMessage());
        Files.write(f, new Image().header(3, 0, 1).kvStr("general.architecture", "llama").done(0));
        e = assertThrows(CheckpointException.class, () -> Model.load(f));
        assertTrue(e.getMessage().contains("'llama.embedding_length' is missing"), e.getMessage());
        // a real file with a norm stored quantized would be refused: here, a fixture with a tensor renamed away
        byte[] fx = Files.readAllBytes(GgufFixtureTest.gguf("qwen3", "q8_0"));
        byte[] name = "blk.3.ffn_down.weight".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(fx, name);
        fx[at] = 'x';
        Files.write(f, fx);
        e = assertThrows(CheckpointException.class, () -> Model.load(f));
        assertTrue(e.getMessage().contains("tensor 'blk.3.ffn_down.weight': missing tensor"), e.getMessage());
        Files.write(f, Arrays.copyOf(Files.readAllBytes(GgufFixtureTest.gguf("qwen3", "q8_0")), 100_000));
        e = assertThrows(CheckpointException.class, () -> Model.load(f));
        assertTrue(e.getMessage().contains("truncated file?"), e.getMessage());
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
