public class MaddRate {
    static void madd(short[] a, short[] b, int[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }
    static void maddAcc(short[] a, short[] b, int[] out, int n) {
        for (int i = 0; i < n; i++) out[i] += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }
    public static void main(String[] x) {
        int n = Integer.parseInt(x[0]);
        short[] a = new short[2 * n], b = new short[2 * n]; int[] o = new int[n];
        for (int i = 0; i < 2 * n; i++) { a[i] = (short) i; b[i] = (short) (3 * i); }
        for (int rep = 0; rep < 10; rep++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 200000; k++) madd(a, b, o, n);
            long t1 = System.nanoTime();
            for (int k = 0; k < 200000; k++) maddAcc(a, b, o, n);
            long t2 = System.nanoTime();
            System.out.printf("n=%d madd %.1f G mul-add/s, acc %.1f%n", n, 2.0 * n * 200000 / (t1 - t0), 2.0 * n * 200000 / (t2 - t1));
        }
    }
}
