#!/bin/bash
# interleaved A/B: DecodeProfile (full parts) on the Q4_K_M file, A = $A, B = $B jars
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
cd /work/wt-15ad
F="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
echo "== $(date -u) A=$A B=$B"; uptime
for rep in $(seq ${REPS:-2}); do for j in $A $B; do
echo "-- $j rep $rep"
java $F -cp $j dev.drllm.bench.DecodeProfile bench/data/llama-1b-random.q4_k_m.gguf ${SECS:-4} $MODE 2>&1 | grep -v WARN
done; done
uptime
