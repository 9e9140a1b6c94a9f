#!/bin/bash
# lab.sh LOG JAR MODEL THREADS ROUNDS SECS variants... : ShapeLab under the lock, FMA probe before/after
LOG=$1; JAR=$2; shift 2
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g"
flock /work/cpu.lock bash -c "echo \"machine: \$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family 25 model 1, Zen 3, AVX2 only), \$(nproc) vCPUs; \$(date -u +%FT%TZ); load \$(cut -d' ' -f1-3 /proc/loadavg)\"; /tmp/pf3/fma.sh; $J -cp /tmp/pf3/lab/cls:$JAR dev.drllm.cpu.ShapeLab /work/bench-data2/llama-1b-random.$*  2>&1 | grep -v WARN; /tmp/pf3/fma.sh" > $LOG 2>&1
cat $LOG
