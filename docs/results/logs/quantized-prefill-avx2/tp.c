#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define N 100000000L
#define REP12(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11)
int main(){
  double t0,t1; 
  { __m256 a[12]; for(int i=0;i<12;i++)a[i]=_mm256_set1_ps(i*1e-3f); __m256 x=_mm256_set1_ps(0.999f),w=_mm256_set1_ps(1e-6f);
    t0=now(); for(long n=0;n<N;n++){
#define F(i) a[i]=_mm256_fmadd_ps(x,a[i],w);
    REP12(F) __asm__ volatile(""::"x"(a[0]),"x"(a[1]),"x"(a[2]),"x"(a[3]),"x"(a[4]),"x"(a[5]),"x"(a[6]),"x"(a[7]),"x"(a[8]),"x"(a[9]),"x"(a[10]),"x"(a[11]));}
    t1=now(); float s=0; for(int i=0;i<12;i++)s+=a[i][0]; printf("fma ps      %.2f G instr/s (%g)\n",12.0*N/(t1-t0)/1e9,s);}
  { __m256i a[12]; for(int i=0;i<12;i++)a[i]=_mm256_set1_epi16(i); __m256i x=_mm256_set1_epi16(3); __asm__ volatile("":"+x"(x));
    t0=now(); for(long n=0;n<N;n++){
#define M(i) a[i]=_mm256_mullo_epi16(x,a[i]);
    REP12(M) __asm__ volatile(""::"x"(a[0]),"x"(a[1]),"x"(a[2]),"x"(a[3]),"x"(a[4]),"x"(a[5]),"x"(a[6]),"x"(a[7]),"x"(a[8]),"x"(a[9]),"x"(a[10]),"x"(a[11]));}
    t1=now(); int s=0; for(int i=0;i<12;i++)s+=_mm256_extract_epi16(a[i],0); printf("pmullw      %.2f G instr/s (%d)\n",12.0*N/(t1-t0)/1e9,s);}
  { __m256i a[12]; for(int i=0;i<12;i++)a[i]=_mm256_set1_epi16(i); __m256i x=_mm256_set1_epi16(3); __asm__ volatile("":"+x"(x));
    t0=now(); for(long n=0;n<N;n++){
#define MD(i) a[i]=_mm256_madd_epi16(x,a[i]);
    REP12(MD) __asm__ volatile(""::"x"(a[0]),"x"(a[1]),"x"(a[2]),"x"(a[3]),"x"(a[4]),"x"(a[5]),"x"(a[6]),"x"(a[7]),"x"(a[8]),"x"(a[9]),"x"(a[10]),"x"(a[11]));}
    t1=now(); int s=0; for(int i=0;i<12;i++)s+=_mm256_extract_epi16(a[i],0); printf("pmaddwd     %.2f G instr/s (%d)\n",12.0*N/(t1-t0)/1e9,s);}
  { __m256i a[12]; for(int i=0;i<12;i++)a[i]=_mm256_set1_epi8(i); __m256i x=_mm256_set1_epi8(3); __asm__ volatile("":"+x"(x));
    t0=now(); for(long n=0;n<N;n++){
#define MB(i) a[i]=_mm256_maddubs_epi16(x,a[i]);
    REP12(MB) __asm__ volatile(""::"x"(a[0]),"x"(a[1]),"x"(a[2]),"x"(a[3]),"x"(a[4]),"x"(a[5]),"x"(a[6]),"x"(a[7]),"x"(a[8]),"x"(a[9]),"x"(a[10]),"x"(a[11]));}
    t1=now(); int s=0; for(int i=0;i<12;i++)s+=_mm256_extract_epi16(a[i],0); printf("pmaddubsw   %.2f G instr/s (%d)\n",12.0*N/(t1-t0)/1e9,s);}
  { __m256i a[12],b[12]; for(int i=0;i<12;i++){a[i]=_mm256_set1_epi16(i);b[i]=a[i];} __m256i x=_mm256_set1_epi16(3),y=_mm256_set1_epi16(5);
    t0=now(); for(long n=0;n<N;n++){
#define MA(i) a[i]=_mm256_add_epi16(a[i],_mm256_mullo_epi16(x,y)); y=_mm256_add_epi16(y,x);
    REP12(MA) __asm__ volatile(""::"x"(a[0]),"x"(a[1]),"x"(a[2]),"x"(a[3]),"x"(a[4]),"x"(a[5]),"x"(a[6]),"x"(a[7]),"x"(a[8]),"x"(a[9]),"x"(a[10]),"x"(a[11]));}
    t1=now(); int s=0; for(int i=0;i<12;i++)s+=_mm256_extract_epi16(a[i],0); printf("(junk)      %.2f (%d)\n",12.0*N/(t1-t0)/1e9,s);}
  return 0;
}
