#!/bin/bash
# ab.sh LOG "models" rounds n label:jar ... ; one lock hold; FMA-probe state each round
LOG=$1; MS=$2; ROUNDS=$3; N=$4; shift 4
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g -Ddrllm.threads=2"
flock /work/cpu.lock bash -c '
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs) (family 25 model 1, Zen 3, AVX2 only), $(nproc) vCPUs; $(date -u +%FT%TZ); load $(cut -d" " -f1-3 /proc/loadavg)"
for r in $(seq 1 '$ROUNDS'); do /tmp/gemm/fma.sh; for m in '"$MS"'; do for spec in '"$*"'; do
  IFS=: read label jar <<< "$spec"
  echo "round $r $m $label: $('"$J"' -cp $jar:/work/lead-logs/pf PrefillTime /work/bench-data/llama-1b-random.$m.gguf '$N' 2>&1 | grep median)"
done; done; done
/tmp/gemm/fma.sh; echo "load after $(cut -d" " -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"' > $LOG 2>&1
cat $LOG
