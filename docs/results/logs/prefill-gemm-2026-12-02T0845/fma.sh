#!/bin/bash
# FMA-probe state: tp alone, then two at once (first line of each = fma ps)
echo "fma probe $(date -u +%T): alone $(/tmp/tp | head -1 | awk '{print $3}'); two at once: $( (/tmp/tp | head -1 | awk '{print $3}' > /tmp/gemm/tpa) & (/tmp/tp | head -1 | awk '{print $3}' > /tmp/gemm/tpb); wait; echo $(cat /tmp/gemm/tpa) / $(cat /tmp/gemm/tpb)) G FMA/s"
