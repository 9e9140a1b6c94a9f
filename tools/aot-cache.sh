#!/usr/bin/env bash
# Writes the JDK 25 AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) for the
# drllm launcher: one training run of `drllm generate` on the embedded tiny model with
# -XX:AOTCacheOutput. Run by `mvn package` (phase package, after the jar is shaded; -Ddrllm.aot.skip
# skips it). The launcher uses the cache only while it is newer than the jar, so a stale one is
# ignored, never an error. Never fails the build: a JVM without AOT cache support just gets none.
#   tools/aot-cache.sh JAR CACHE [JAVA]
set -uo pipefail
JAR=$1
CACHE=$2
JAVA=${3:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODEL="$ROOT/models/drllm-tiny"
if [ ! -f "$JAR" ] || [ ! -d "$MODEL" ]; then
  echo "[drllm] AOT cache skipped: $JAR or $MODEL missing"
  exit 0
fi
TMP="$CACHE.$$.tmp"
rm -f "$TMP" "$TMP.config"
# the same module flags as the launcher (a cache is only used by a JVM started with matching ones)
if "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 \
    -XX:AOTCacheOutput="$TMP" -Xlog:aot*=off -Xlog:cds*=off \
    -jar "$JAR" generate --model "$MODEL" --prompt "Question: Which number is even?
(A) 99
(B) 67
(C) 33
(D) 88
Answer: " --max-new-tokens 8 >/dev/null 2>"$TMP.log" && [ -s "$TMP" ]; then
  mv -f "$TMP" "$CACHE"
  echo "[drllm] AOT cache written: $CACHE ($(du -h "$CACHE" | cut -f1))"
else
  echo "[drllm] AOT cache not written (the launcher runs without it): $(grep -v 'incubator modules' "$TMP.log" | tail -n 2 | tr '\n' ' ')"
fi
rm -f "$TMP" "$TMP.config" "$TMP.log"
exit 0
