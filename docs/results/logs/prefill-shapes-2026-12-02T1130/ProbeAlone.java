package dev.drllm.cpu;
/** LabVsProd.fmaProbe alone in a JVM: 150 readings of 40 ms. */
public class ProbeAlone {
    public static void main(String[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 150; i++) { double g = LabVsProd.fmaProbe(); if (i % 5 == 4) sb.append(String.format(" %.0f", g)); }
        System.out.println("FMA probe in the JVM alone, every 5th reading, GFLOP/s:" + sb);
    }
}
