#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
int main(int argc,char**argv){ size_t bytes=(size_t)2<<30; uint64_t*b=aligned_alloc(1<<21,bytes); memset(b,1,bytes); size_t n=bytes/8;
 for(int rep=0;rep<6;rep++){ double t=omp_get_wtime(); uint64_t s=0;
#pragma omp parallel for reduction(+:s) schedule(static)
  for(size_t i=0;i<n;i++) s+=b[i];
  t=omp_get_wtime()-t; printf("%.1f GB/s (%lu)\n", bytes/t/1e9, (unsigned long)(s&1)); } }
