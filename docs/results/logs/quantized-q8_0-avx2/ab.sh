#!/bin/sh
# ab.sh OLDJAR NEWJAR MODEL REPS : DecodeProfile interleaved, 2 threads
J="java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
date -u; uptime
for i in $(seq 1 $4); do
  echo "== before ($1), rep $i"; $J -cp $1 dev.drllm.bench.DecodeProfile $3 6 2>&1 | grep -v WARNING
  echo "== after ($2), rep $i"; $J -cp $2 dev.drllm.bench.DecodeProfile $3 6 2>&1 | grep -v WARNING
done
date -u; uptime
