#!/usr/bin/env bash
# Packs what bench/gpu-check.sh needs into DEST (default .device/): a jlinked JDK 25 runtime, the
# shaded jar, the compiled test classes and the JUnit console launcher. Run after `mvn package`
# (and `mvn test-compile`) on a build machine with JDK 25.
set -euo pipefail
DEST="${1:-.device}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$DEST"
if [[ ! -f "$DEST/jre.tgz" ]]; then
  tmp="$(mktemp -d)"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.sql,java.xml,java.management,java.naming,jdk.incubator.vector,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$tmp/jre"
  tar czf "$DEST/jre.tgz" -C "$tmp" jre
  rm -rf "$tmp"
fi
# the device run needs no plotting / PDF libraries: dropping them keeps the upload under its size limit
python3 - target/drllm.jar "$DEST/drllm.jar" <<'PY'
import sys, zipfile
drop = ("org/apache/pdfbox/", "org/apache/fontbox/", "org/knowm/", "de/rototor/", "org/jline/nativ/", "com/madgag/")
with zipfile.ZipFile(sys.argv[1]) as zi, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zo:
    for it in zi.infolist():
        if not it.filename.startswith(drop):
            zo.writestr(it, zi.read(it.filename))
PY
(cd target/test-classes && find . -name '*.class' | tar czf - -T -) > "$DEST/test-classes.tgz"
if [[ ! -f "$DEST/junit-console.jar" ]]; then
  mvn -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -DoutputDirectory="$DEST"
  mv "$DEST"/junit-platform-console-standalone-*.jar "$DEST/junit-console.jar"
fi
du -sh "$DEST"/*
