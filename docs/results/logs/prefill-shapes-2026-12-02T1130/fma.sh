#!/bin/bash
# FMA-probe state: tp alone, then two at once (first line of each = fma ps)
echo "fma probe $(date -u +%T): alone $(/tmp/tp | head -1 | awk '{print $3}'); two at once: $( (/tmp/tp | head -1 | awk '{print $3}' > /tmp/pf3/tpa) & (/tmp/tp | head -1 | awk '{print $3}' > /tmp/pf3/tpb); wait; echo $(cat /tmp/pf3/tpa) / $(cat /tmp/pf3/tpb)) G FMA/s"
