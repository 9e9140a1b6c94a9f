import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.DoubleSupplier;

/**
 * Whole 128-token prefills of two (or more) jars in ONE JVM, alternating prefill by prefill, so that
 * the VM's drift hits each alike: PairTime MODEL N label=jar ... ; each jar in its own class loader.
 * Prints per jar the median tok/s and, against the first, the median of the paired ratios.
 */
public class PairTime {
    public static void main(String[] a) throws Exception {
        String model = a[0]; int n = Integer.parseInt(a[1]);
        int k = a.length - 2;
        String[] label = new String[k]; DoubleSupplier[] r = new DoubleSupplier[k];
        URL runner = Path.of(System.getProperty("runner", "/tmp/gemm/pair/runner")).toUri().toURL();
        for (int i = 0; i < k; i++) {
            String[] lj = a[i + 2].split("=", 2);
            label[i] = lj[0];
            URLClassLoader cl = new URLClassLoader(new URL[]{runner, Path.of(lj[1]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            r[i] = (DoubleSupplier) cl.loadClass(System.getProperty("cls", "PrefillRunner")).getConstructor(String.class).newInstance(model);
        }
        for (int w = 0; w < 2; w++) for (int i = 0; i < k; i++) r[i].getAsDouble(); // warm-up
        double[][] ms = new double[k][n];
        for (int j = 0; j < n; j++) for (int i0 = 0; i0 < k; i0++) { int i = (i0 + j) % k; ms[i][j] = r[i].getAsDouble(); } // rotate who goes first
        for (int i = 0; i < k; i++) {
            double[] s = ms[i].clone(); Arrays.sort(s);
            double[] ratio = new double[n];
            for (int j = 0; j < n; j++) ratio[j] = ms[0][j] / ms[i][j];
            Arrays.sort(ratio);
            StringBuilder all = new StringBuilder();
            for (double v : ms[i]) all.append(String.format(" %.1f", Double.parseDouble(System.getProperty("work", "128000")) / v));
            System.out.printf("%s %s: median %.1f tok/s, paired speed vs %s: median %.3f (q1 %.3f, q3 %.3f) (runs:%s)%n", Path.of(model).getFileName(), label[i], Double.parseDouble(System.getProperty("work", "128000")) / s[n / 2], label[0], ratio[n / 2], ratio[n / 4], ratio[3 * n / 4], all);
        }
        System.exit(0);
    }
}
