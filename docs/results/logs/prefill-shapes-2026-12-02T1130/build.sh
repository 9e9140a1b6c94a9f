#!/bin/bash
# build.sh NAME: install + bench jar in one lock hold from /work/wt-pf3, copy to /tmp/pf3/NAME.jar
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; export PATH=$JAVA_HOME/bin:$PATH
cd /work/wt-pf3 && flock /work/cpu.lock bash -c 'mvn -q -B -DskipTests -Ddrllm.aot.skip=true install 2>&1 | grep -E "ERROR|BUILD" ; mvn -q -B -f bench/pom.xml clean package 2>&1 | grep -E "ERROR|BUILD"; cp bench/target/benchmarks.jar /tmp/pf3/'$1'.jar' && ls -la /tmp/pf3/$1.jar
