public class Mad {
  static int dotS(short[] a, short[] b, int n) {
    int s = 0;
    for (int i = 0; i < n; i += 2) s += a[i]*b[i] + a[i+1]*b[i+1];
    return s;
  }
  static void madS(short[] a, short[] b, int[] out, int n) {
    for (int i = 0; i < n; i++) out[i] = a[2*i]*b[2*i] + a[2*i+1]*b[2*i+1];
  }
  static int dotB(byte[] a, byte[] b, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += a[i]*b[i];
    return s;
  }
  static int dotSB(byte[] a, short[] b, int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += a[i]*b[i];
    return s;
  }
  public static void main(String[] x) {
    int n = 4096; short[] a = new short[n], b = new short[n]; byte[] ab = new byte[n], bb = new byte[n]; int[] o = new int[n/2];
    java.util.Random r = new java.util.Random(1);
    for (int i=0;i<n;i++){a[i]=(short)(r.nextInt(255)-127);b[i]=(short)(r.nextInt(255)-127);ab[i]=(byte)a[i];bb[i]=(byte)b[i];}
    for (int round=0; round<5; round++) {
      long t; int s=0; int reps=200000;
      t=System.nanoTime(); for(int k=0;k<reps;k++) s+=dotS(a,b,n); double tS=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) {madS(a,b,o,n/2); s+=o[k&1023];} double tM=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) s+=dotB(ab,bb,n); double tB=(System.nanoTime()-t)/1e9;
      t=System.nanoTime(); for(int k=0;k<reps;k++) s+=dotSB(ab,b,n); double tSB=(System.nanoTime()-t)/1e9;
      double g=(double)n*reps/1e9;
      System.out.printf("dotS %.2f Gel/s  madS %.2f  dotB %.2f  dotSB %.2f  (%d)%n", g/tS, g/tM, g/tB, g/tSB, s);
    }
  }
}
