#!/usr/bin/env bash
# Times the agent making one host's whole PKI and kubeconfigs (a fresh JVM per run, empty target directory)
# against openssl-pki.sh making the same set, for rsa-2048 and ecdsa-p256. Needs hyperfine and a packaged agent
# (mvn -pl agent package -DskipTests). Usage: bench/pki/run.sh [RUNS]   (from the repository root)
# Environment: AGENT_CP to run the agent with another class path; ALGS to time fewer algorithms (e.g. ALGS=rsa-2048).
set -euo pipefail

RUNS=${1:-20}
cd "$(dirname "$0")/../.."
if [ ! -d agent/target/lib ] || [ ! -d agent/target/classes ]; then
  echo "build first: mvn -pl agent package -DskipTests" >&2
  exit 1
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# AGENT_CP overrides the class path, e.g. to try BouncyCastle jars with their signatures stripped
AGENT="java -cp ${AGENT_CP:-agent/target/classes:agent/target/lib/*} io.kubestead.agent.pki.GenerateMain"

# kubeadm's own init phase certs all + kubeconfig all, where tests/upstream/build.sh has built it
KUBEADM=${KUBEADM:-${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}/v1.34.4/kubeadm}
echo "# $(date -u +%FT%TZ) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $(openssl version)"
for alg in ${ALGS:-rsa-2048 ecdsa-p256}; do
  KUBEADM_ARGS=()
  if [ -x "$KUBEADM" ]; then
    KUBEADM_ARGS=(-n "kubeadm $("$KUBEADM" version -o short) ($alg)" "bench/pki/kubeadm-pki.sh $OUT/t $alg $KUBEADM")
  fi
  hyperfine -N --warmup 2 --runs "$RUNS" --prepare "rm -rf $OUT/t" \
    --export-json "$OUT/$alg.json" \
    -n "openssl script ($alg)" "bench/pki/openssl-pki.sh $OUT/t $alg" \
    -n "agent ($alg)" "$AGENT $OUT/t $alg" \
    "${KUBEADM_ARGS[@]}" >/dev/null
  python3 - "$OUT/$alg.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print("| command | mean wall s | median wall s | min wall s | max wall s | mean CPU s (user+sys) |")
print("|---|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['command']} | {r['mean']:.3f} ± {r['stddev']:.3f} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {r['user'] + r['system']:.3f} |")
PY
  echo
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
