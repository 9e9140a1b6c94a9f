package dev.drllm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drllm.model.SafetensorsFile;
import dev.drllm.util.Json;

import java.io.IOException;
import java.nio.file.Path;

/** Where the vendored fixtures live (copied from ../shared/fixtures, see src/test/resources/fixtures/README.md). */
public final class Fixtures {
    public static final String[] HF_MODELS = {"llama", "qwen2", "qwen3"};

    private Fixtures() {}

    /**
     * The vector width in bits of a run whose surefire execution asks for {@code bits}
     * ({@code drllm.test.vectorBits}): {@code -XX:MaxVectorSize} in {@code surefire.extra} narrows
     * every execution (the whole suite at 128 bits: {@code -Dsurefire.extra=-XX:MaxVectorSize=16}).
     */
    public static int vectorBitsOfRun(int bits) {
        var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return Math.min(bits, 8 * Integer.parseInt(vm.getVMOption("MaxVectorSize").getValue()));
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("drllm.project.dir", ".")).toAbsolutePath().normalize();
    }

    public static Path hfReference(String name) {
        return projectDir().resolve("src/test/resources/fixtures/hf-reference").resolve(name);
    }

    public static Path tinyModel() {
        return projectDir().resolve("models/drllm-tiny");
    }

    public static SafetensorsFile reference(String name) {
        return SafetensorsFile.open(hfReference(name).resolve("reference.safetensors"));
    }

    public static JsonNode referenceJson(String name) {
        try {
            return Json.MAPPER.readTree(hfReference(name).resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " vs " + b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            float d = Math.abs(a[i] - b[i]);
            if (Float.isNaN(d)) return Float.NaN;
            m = Math.max(m, d);
        }
        return m;
    }
}
