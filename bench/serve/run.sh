#!/usr/bin/env bash
# Times normal GETs against a real `installer serve` on loopback while SLOW slow clients hold connections (half of
# them send half a header, half ask for a 16 MiB file and never read; installer/src/test/.../serve/SlowClients.java).
# Each GET is a new connection with a 60 s limit. Needs the installer built and its tests compiled:
#   mvn -DskipTests package && mvn -pl installer -am test-compile
# Usage: bench/serve/run.sh [SLOW] [GETS]   (from the repository root; SERVE_CP runs the server with another class path)
set -euo pipefail

SLOW=${1:-50}
GETS=${2:-20}
cd "$(dirname "$0")/../.."
CP=${SERVE_CP:-$(ls installer/target/kubestead-installer-*.jar 2>/dev/null | head -1):installer/target/lib/*}
[ -d installer/target/test-classes/io/kubestead/installer/serve ] || {
  echo "compile the installer's tests first: mvn -pl installer -am test-compile" >&2
  exit 1
}
DIR=$(mktemp -d)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
printf '#!/usr/bin/env bash\nKUBESTEAD_BASE_URL=""\n' > "$DIR/install.sh"
echo "abc  kubestead-agent-1-linux-amd64.tar.gz" > "$DIR/SHA256SUMS"
truncate -s 16M "$DIR/big.tar.gz"

java -cp "$CP" io.kubestead.installer.cli.InstallerMain serve "$DIR" --bind 127.0.0.1 --port 0 > "$DIR/log" 2>&1 &
SERVER=$!
PORT=
for _ in $(seq 1 300); do
  PORT=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$DIR/log")
  [ -z "$PORT" ] || break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "installer serve did not start:" >&2; cat "$DIR/log" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp installer/target/test-classes io.kubestead.installer.serve.SlowClients 127.0.0.1 "$PORT" "$SLOW" /big.tar.gz \
  /SHA256SUMS "$GETS" | tail -n 1 || echo "a GET got no answer within 60 s"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
