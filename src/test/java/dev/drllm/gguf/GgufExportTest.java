package dev.drllm.gguf;

import dev.drllm.Fixtures;
import dev.drllm.model.Model;
import dev.drllm.model.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code drllm quantize}'s writer against llama.cpp's own files: the hf-reference checkpoints
 * exported as F32, Q8_0, Q4_0 and Q4_K_M hold the same tensors, of the same types, with the same
 * metadata as the fixtures llama.cpp's converter and llama-quantize made from them, and for these
 * types (llama.cpp's reference quantizers, no importance matrix) the same bytes.
 */
class GgufExportTest {
    @TempDir
    static Path tmp;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> files() {
        return GgufFixtureTest.files().filter(a -> !"f16".equals(a.get()[1]));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("files")
    void sameTensorsTypesAndBytesAsLlamaCpp(String arch, String type) throws IOException {
        Path out = tmp.resolve(arch + "." + type + ".gguf");
        try (Model m = Model.load(Fixtures.hfReference(arch))) {
            GgufExport.write(m, null, GgufExport.Scheme.parse(type), out, null);
        }
        try (GgufFile ours = GgufFile.open(out); GgufFile ref = GgufFile.open(GgufFixtureTest.gguf(arch, type))) {
            assertEquals(new java.util.TreeSet<>(ref.tensors().keySet()), new java.util.TreeSet<>(ours.tensors().keySet()), "tensor names");
            for (String name : ref.tensors().keySet()) {
                Tensor a = ref.tensor(name), b = ours.tensor(name);
                assertEquals(ref.typeNames().get(name), ours.typeNames().get(name), name + " type");
                assertArrayEquals(a.shape(), b.shape(), name + " shape");
                byte[] x = a.data().toArray(ValueLayout.JAVA_BYTE), y = b.data().toArray(ValueLayout.JAVA_BYTE);
                if (!Arrays.equals(x, y)) {
                    // rope_freqs: llama.cpp's converter computes the factors in float64
                    float[] fa = a.toFloatArray(), fb = b.toFloatArray();
                    for (int i = 0; i < fa.length; i++) assertEquals(fa[i], fb[i], Math.abs(fa[i]) * 1e-6, name + " element " + i);
                    assertTrue(name.equals("rope_freqs.weight"), name + ": bytes differ from llama.cpp's");
                }
            }
            for (String k : ref.metadata().keySet()) {
                if (k.startsWith(arch + ".")) {
                    Object a = ref.metadata().get(k), b = ours.metadata().get(k);
                    if (a instanceof Double d) assertEquals(d, (Double) b, Math.abs(d) * 1e-6, k);
                    else assertEquals(a, b, k);
                }
            }
            assertEquals(ref.metadata().get("general.file_type"), ours.metadata().get("general.file_type"));
        }
        // and the file runs
        try (Model m = Model.load(out)) {
            assertEquals(arch.equals("llama"), m.config().ropeInterleaved());
        }
    }
}
