#!/usr/bin/env bash
# HA load balancing benchmark: latency the local HAProxy adds (p50/p99 vs direct) and failover time.
# Usage: bench/lb/run.sh [requests per latency series, default 2000] [failover runs per mode, default 5]
# Needs haproxy on PATH; uses only 127.0.0.1 and free ports. Prints Markdown tables for bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
mvn -q -B -o -pl agent test-compile
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -B -o -pl agent dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec java -cp "agent/target/test-classes:agent/target/classes:$(cat "$cp_file")" io.kubestead.agent.lb.LbBench "$@"
