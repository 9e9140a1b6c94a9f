import java.lang.foreign.*;
import java.nio.ByteOrder;
public class Mad2 {
  // Q8_0-like: blocks of 34 bytes (2 scale + 32 quants); activations as shorts (int8 range) in aq[K]
  // variant 1: per block, inner loop of 16 pair-sums into tmp, then int sum
  static float rowA(byte[] w, int off, short[] aq, float[] ad, int nb, int[] tmp) {
    float acc = 0;
    for (int b = 0; b < nb; b++) {
      int q = off + b*34 + 2, a = b*32;
      for (int i = 0; i < 16; i++) tmp[i] = w[q+2*i]*aq[a+2*i] + w[q+2*i+1]*aq[a+2*i+1];
      int s = 0; for (int i = 0; i < 16; i++) s += tmp[i];
      acc += s * ad[b];
    }
    return acc;
  }
  // variant 2: whole row of contiguous quants (separate scale array) into tmp[K/2], then block sums
  static float rowB(byte[] q, int off, short[] aq, float[] sc, int K, int[] tmp) {
    int h = K/2;
    for (int i = 0; i < h; i++) tmp[i] = q[off+2*i]*aq[2*i] + q[off+2*i+1]*aq[2*i+1];
    float acc = 0;
    for (int b = 0; b < K/32; b++) { int s = 0; for (int i = 0; i < 16; i++) s += tmp[b*16+i]; acc += s*sc[b]; }
    return acc;
  }
  static float rowBs(short[] q, int off, short[] aq, float[] sc, int K, int[] tmp) {
    int h = K/2;
    for (int i = 0; i < h; i++) tmp[i] = q[off+2*i]*aq[2*i] + q[off+2*i+1]*aq[2*i+1];
    float acc = 0;
    for (int b = 0; b < K/32; b++) { int s = 0; for (int i = 0; i < 16; i++) s += tmp[b*16+i]; acc += s*sc[b]; }
    return acc;
  }
  static float rowF(byte[] w, int off, float[] x, int nb) { // scalar f32 baseline-ish
    float acc = 0;
    for (int b = 0; b < nb; b++) { int q = off + b*34 + 2; float s = 0; for (int i = 0; i < 32; i++) s += w[q+i]*x[b*32+i]; acc += s; }
    return acc;
  }
  public static void main(String[] x) {
    int K = 2048, nb = K/32, rows = 8;
    byte[] w = new byte[rows*nb*34]; byte[] q = new byte[rows*K]; short[] qs = new short[rows*K]; short[] aq = new short[K]; float[] ad = new float[nb]; int[] tmp = new int[K];
    java.util.Random r = new java.util.Random(1);
    for (int i=0;i<w.length;i++) w[i]=(byte)(r.nextInt(255)-127);
    for (int i=0;i<q.length;i++) {q[i]=(byte)(r.nextInt(255)-127); qs[i]=q[i];}
    for (int i=0;i<K;i++) aq[i]=(short)(r.nextInt(255)-127);
    for (int i=0;i<nb;i++) ad[i]=r.nextFloat();
    float[] xf = new float[K]; for (int i=0;i<K;i++) xf[i]=aq[i];
    for (int round=0; round<5; round++) {
      int reps = 20000; float s = 0; long t;
      t=System.nanoTime(); for(int k=0;k<reps;k++) for(int row=0;row<rows;row++) s+=rowA(w,row*nb*34,aq,ad,nb,tmp); double tA=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) for(int row=0;row<rows;row++) s+=rowB(q,row*K,aq,ad,K,tmp); double tB=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) for(int row=0;row<rows;row++) s+=rowBs(qs,row*K,aq,ad,K,tmp); double tBs=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) for(int row=0;row<rows;row++) s+=rowF(w,row*nb*34,xf,nb); double tF=(System.nanoTime()-t)/1e9;
      double g=(double)K*rows*reps/1e9;
      System.out.printf("A(blocks) %.2f Gw/s  B(contig byte) %.2f  Bs(contig short) %.2f  F(scalar f32) %.2f  %g%n", g/tA, g/tB, g/tBs, g/tF, s);
    }
  }
}
