package dev.drllm.cuda;

import dev.drllm.Fixtures;
import dev.drllm.cli.Main;
import dev.drllm.model.Model;
import dev.drllm.runtime.Backends;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Where there is no GPU the cuda device says why, and the CLI turns that into one line and exit 2. */
class CudaUnavailableTest {
    @Test
    void reasonIsGivenAndTheCliExitsWithTwo() throws Exception {
        var a = CudaRuntime.availability();
        assumeFalse(a.available(), "a GPU is present: the unavailable path is not reachable here");
        assertFalse(a.reason().isBlank());
        try (Model m = Model.load(Fixtures.hfReference("llama"))) {
            var e = assertThrows(CudaUnavailableException.class, () -> Backends.open(m, "cuda"));
            assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        }
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        int rc;
        try {
            rc = Main.run("logits", "--model", Fixtures.hfReference("llama").toString(), "--device", "cuda", "--ids", "1,2,3",
                    "--out", System.getProperty("java.io.tmpdir") + "/drllm-cuda-unavailable.json");
        } finally {
            System.setErr(err);
        }
        assertEquals(2, rc);
        String msg = buf.toString().strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("cuda device is unavailable"), msg);
    }
}
