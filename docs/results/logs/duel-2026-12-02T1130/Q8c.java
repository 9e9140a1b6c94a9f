import jdk.incubator.vector.*;
public class Q8c {
  static final java.lang.invoke.VarHandle SH = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  static float halfVH(byte[] w, int o) { return Float.float16ToFloat((short) SH.get(w, o)); }
  static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
  static final int LANES = 8;
  static float halfAt(byte[] w, int o) { return Float.float16ToFloat((short) ((w[o] & 0xff) | (w[o + 1] << 8))); }
  static float hsum(float[] t, int o) { float s=0; for (int i=0;i<8;i++) s+=t[o+i]; return s; }
  static void dot4(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, halfAt(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, halfAt(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, halfAt(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, halfAt(w, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8); y[yOff + 2 * ys] = hsum(tmp, 16); y[yOff + 3 * ys] = hsum(tmp, 24);
  }
  static void dot4v(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, halfVH(w, bb)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, halfVH(w, o1 + bb)).fma(s1, a1);
            a2 = FloatVector.broadcast(F, halfVH(w, o2 + bb)).fma(s2, a2);
            a3 = FloatVector.broadcast(F, halfVH(w, o3 + bb)).fma(s3, a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8); y[yOff + 2 * ys] = hsum(tmp, 16); y[yOff + 3 * ys] = hsum(tmp, 24);
  }
  // V1: scales first (scalar pass into sc), then broadcast from sc
  static void dot4s(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp, float[] sc) {
        for (int r = 0; r < 4; r++) for (int b = 0; b < blocks; b++) sc[4*b + r] = halfAt(w, r*stride + b*34);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, o1 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, o2 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, o3 + bb + 2 + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
            }
            a0 = FloatVector.broadcast(F, sc[4*b]).fma(s0, a0);
            a1 = FloatVector.broadcast(F, sc[4*b+1]).fma(s1, a1);
            a2 = FloatVector.broadcast(F, sc[4*b+2]).fma(s2, a2);
            a3 = FloatVector.broadcast(F, sc[4*b+3]).fma(s3, a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8); y[yOff + 2 * ys] = hsum(tmp, 16); y[yOff + 3 * ys] = hsum(tmp, 24);
  }
  // V2: scaled activations: pre-multiply nothing; instead accumulate s per block without zeroing: a += d * s  => fold: s_k computed then a = fma(d, s, a) same.
  // V2: one accumulator per row, the scale multiplies x once per block? (x*d differs per row) -> no. Instead: 2 rows per pass x 2 passes? try 8 rows per pass
  static void dot8s(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, float[] tmp, float[] sc) {
        for (int r = 0; r < 8; r++) for (int b = 0; b < blocks; b++) sc[8*b + r] = halfAt(w, r*stride + b*34);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4=a0,a5=a0,a6=a0,a7=a0;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34 + 2, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, s4=s0,s5=s0,s6=s0,s7=s0;
            for (int i = 0; i < 32; i += LANES) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                s0 = ((FloatVector) ByteVector.fromArray(B, w, bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B, w, stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B, w, 2*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B, w, 3*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s3);
                s4 = ((FloatVector) ByteVector.fromArray(B, w, 4*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s4);
                s5 = ((FloatVector) ByteVector.fromArray(B, w, 5*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s5);
                s6 = ((FloatVector) ByteVector.fromArray(B, w, 6*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s6);
                s7 = ((FloatVector) ByteVector.fromArray(B, w, 7*stride + bb + i).convertShape(VectorOperators.B2F, F, 0)).fma(xv, s7);
            }
            a0 = FloatVector.broadcast(F, sc[8*b]).fma(s0, a0);
            a1 = FloatVector.broadcast(F, sc[8*b+1]).fma(s1, a1);
            a2 = FloatVector.broadcast(F, sc[8*b+2]).fma(s2, a2);
            a3 = FloatVector.broadcast(F, sc[8*b+3]).fma(s3, a3);
            a4 = FloatVector.broadcast(F, sc[8*b+4]).fma(s4, a4);
            a5 = FloatVector.broadcast(F, sc[8*b+5]).fma(s5, a5);
            a6 = FloatVector.broadcast(F, sc[8*b+6]).fma(s6, a6);
            a7 = FloatVector.broadcast(F, sc[8*b+7]).fma(s7, a7);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        a4.intoArray(tmp, 32); a5.intoArray(tmp, 40); a6.intoArray(tmp, 48); a7.intoArray(tmp, 56);
        for (int k=0;k<8;k++) y[yOff+k] = hsum(tmp, 8*k);
  }

  static void dot4p(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        for (int b = 0; b < blocks; b++) {
            int bb = b * 34 + 2, xo = xOff + b * 32;
            FloatVector x0 = FloatVector.fromArray(F, x, xo), x1 = FloatVector.fromArray(F, x, xo + 8);
            FloatVector s0 = W(w, bb).mul(x0), s1 = W(w, o1+bb).mul(x0), s2 = W(w, o2+bb).mul(x0), s3 = W(w, o3+bb).mul(x0);
            FloatVector t0 = W(w, bb+8).mul(x1), t1 = W(w, o1+bb+8).mul(x1), t2 = W(w, o2+bb+8).mul(x1), t3 = W(w, o3+bb+8).mul(x1);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 16), x3 = FloatVector.fromArray(F, x, xo + 24);
            s0 = W(w, bb+16).fma(x2, s0); s1 = W(w, o1+bb+16).fma(x2, s1); s2 = W(w, o2+bb+16).fma(x2, s2); s3 = W(w, o3+bb+16).fma(x2, s3);
            t0 = W(w, bb+24).fma(x3, t0); t1 = W(w, o1+bb+24).fma(x3, t1); t2 = W(w, o2+bb+24).fma(x3, t2); t3 = W(w, o3+bb+24).fma(x3, t3);
            a0 = FloatVector.broadcast(F, halfAt(w, bb-2)).fma(s0.add(t0), a0);
            a1 = FloatVector.broadcast(F, halfAt(w, o1 + bb-2)).fma(s1.add(t1), a1);
            a2 = FloatVector.broadcast(F, halfAt(w, o2 + bb-2)).fma(s2.add(t2), a2);
            a3 = FloatVector.broadcast(F, halfAt(w, o3 + bb-2)).fma(s3.add(t3), a3);
        }
        a0.intoArray(tmp, 0); a1.intoArray(tmp, 8); a2.intoArray(tmp, 16); a3.intoArray(tmp, 24);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8); y[yOff + 2 * ys] = hsum(tmp, 16); y[yOff + 3 * ys] = hsum(tmp, 24);
  }
  static FloatVector W(byte[] w, int o) { return (FloatVector) ByteVector.fromArray(B, w, o).convertShape(VectorOperators.B2F, F, 0); }
  // two rows per pass, two blocks per step (each row: 2 independent block chains)
  static void dot2b(byte[] w, int stride, float[] x, int xOff, int blocks, float[] y, int yOff, int ys, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        for (int b = 0; b < blocks; b += 2) {
            int bb = b * 34 + 2, xo = xOff + b * 32;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, u0 = s0, u1 = s0;
            for (int i = 0; i < 32; i += 8) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i), xw = FloatVector.fromArray(F, x, xo + 32 + i);
                s0 = W(w, bb + i).fma(xv, s0); s1 = W(w, stride + bb + i).fma(xv, s1);
                u0 = W(w, bb + 34 + i).fma(xw, u0); u1 = W(w, stride + bb + 34 + i).fma(xw, u1);
            }
            a0 = FloatVector.broadcast(F, halfAt(w, bb-2)).fma(s0, a0);
            a1 = FloatVector.broadcast(F, halfAt(w, stride + bb-2)).fma(s1, a1);
            c0 = FloatVector.broadcast(F, halfAt(w, bb+32)).fma(u0, c0);
            c1 = FloatVector.broadcast(F, halfAt(w, stride + bb+32)).fma(u1, c1);
        }
        a0.add(c0).intoArray(tmp, 0); a1.add(c1).intoArray(tmp, 8);
        y[yOff] = hsum(tmp, 0); y[yOff + ys] = hsum(tmp, 8);
  }
  public static void main(String[] a) {
    int K = 2048, blocks = K/32, rb = blocks*34;
    byte[] w = new byte[8*rb]; java.util.Random r = new java.util.Random(3); r.nextBytes(w);
    for (int row=0; row<8; row++) for (int b=0;b<blocks;b++){ short h = Float.floatToFloat16(r.nextFloat()*0.01f); w[row*rb+b*34]=(byte)h; w[row*rb+b*34+1]=(byte)(h>>8);}
    float[] x = new float[K]; for (int i=0;i<K;i++) x[i]=r.nextFloat()-0.5f;
    float[] y = new float[8], y2=new float[8], y3 = new float[8], tmp = new float[64];
    for (int round=0; round<40; round++) {
      int reps = 40000; long t;
      t=System.nanoTime(); for(int k=0;k<reps;k++){ dot4(w, rb, x, 0, blocks, y, 0, 1, tmp); dot4(w, rb, x, 0, blocks, y, 4, 1, tmp);} double t0=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++){ dot4p(w, rb, x, 0, blocks, y2, 0, 1, tmp); dot4p(w, rb, x, 0, blocks, y2, 4, 1, tmp);} double t1=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++){ dot4v(w, rb, x, 0, blocks, y3, 0, 1, tmp); dot4v(w, rb, x, 0, blocks, y3, 4, 1, tmp);} double t2=(System.nanoTime()-t)/1e9;
      double gb = 4.0*rb*reps/1e9;
      System.out.printf("dot4 %.2f GB/s  dot4p %.2f  dot4v %.2f   %f %f %f%n", 2*gb/t0, 2*gb/t1, 2*gb/t2, y[0]+y[5], y2[0]+y2[5], y3[0]+y3[5]);
    }
  }
}