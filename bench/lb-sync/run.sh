#!/usr/bin/env bash
# lb-sync's CPU cost per node-hour: the timer's command run N times as the timer would, before (a JVM every run)
# and after (the shell check, the JVM only on change), and an idle HAProxy with the same backends for reference.
#
# Usage (as root): bench/lb-sync/run.sh BEFORE_BUNDLE_DIR AFTER_BUNDLE_DIR [RUNS, default 40] [HAPROXY_SECONDS, default 120]
#   *_BUNDLE_DIR: an agent bundle unpacked (bin/kubestead, lib/, runtime/), e.g. the tar.gz of
#   installer/target/dist built from the commit before and after the change.
# Nothing on the host changes: the runs happen in a private mount namespace where /etc is a copy, /run and /opt
# are bench directories, and the API is a loopback stand-in (bench/lb-sync/standin-api.py) listing three masters
# at 127.0.0.11-13, which also answer HAProxy's /readyz checks. CPU is user+sys from /usr/bin/time, children
# included (kubectl, sha256sum). Prints Markdown rows for bench/README.md.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (unshare -m, mount)" >&2; exit 2; }
[ $# -ge 2 ] || { sed -n 2,10p "$0" >&2; exit 2; }
before=$(realpath "$1"); after=$(realpath "$2"); runs=${3:-40}; seconds=${4:-120}
here=$(cd "$(dirname "$0")" && pwd)
w=$(mktemp -d /tmp/kubestead-lbsync-bench.XXXXXX)
api_pid=
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null; rm -rf "$w"; }
trap cleanup EXIT

# PKI like kubeadm's defaults (RSA-2048): a CA, the API's serving certificate, a client certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/ca.key" -out "$w/ca.crt" -days 2 -subj /CN=kubernetes 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$w/api.key" -out "$w/api.csr" -subj /CN=kube-apiserver 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:127.0.0.11,IP:127.0.0.12,IP:127.0.0.13\n' > "$w/san.ext"
openssl x509 -req -in "$w/api.csr" -CA "$w/ca.crt" -CAkey "$w/ca.key" -CAcreateserial -days 2 -extfile "$w/san.ext" -out "$w/api.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$w/node.key" -out "$w/node.csr" -subj "/O=system:nodes/CN=system:node:worker-1" 2>/dev/null
openssl x509 -req -in "$w/node.csr" -CA "$w/ca.crt" -CAkey "$w/ca.key" -CAcreateserial -days 2 -out "$w/node.crt" 2>/dev/null

api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$here/standin-api.py" 127.0.0.1 "$api_port" "$w/api.crt" "$w/api.key" "$w/ca.crt" "$w/requests" \
    m1=127.0.0.11 m2=127.0.0.12 m3=127.0.0.13 > "$w/api.out" 2>&1 &
api_pid=$!
for _ in $(seq 50); do grep -q ready "$w/api.out" 2>/dev/null && break; sleep 0.1; done

# The node: a worker with the internal balancer (a copy of this machine's /etc plus Kubestead's files).
cp -a /etc "$w/etc"
mkdir -p "$w/etc/kubestead" "$w/etc/kubernetes/manifests" "$w/run" "$w/opt"
b64() { base64 -w0 < "$1"; }
cat > "$w/etc/kubernetes/kubelet.conf" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(b64 "$w/ca.crt")
users:
- name: node
  user:
    client-certificate-data: $(b64 "$w/node.crt")
    client-key-data: $(b64 "$w/node.key")
contexts:
- name: node
  context: {cluster: kubernetes, user: node}
current-context: node
KUBECONFIG
haproxy_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$w/etc/kubestead/balancer.json" <<JSON
{
  "mode" : "internal",
  "external" : null,
  "internalPort" : $haproxy_port,
  "vip" : null,
  "clusterName" : "kubernetes",
  "stableName" : "api.kubernetes.kubestead.internal",
  "localMaster" : null
}
JSON
# the check script exactly as the new agent writes it (from a dry-run of an install)
"$after/bin/kubestead" install ha yes "dry-run=$w/dry" > "$w/dry.out" 2>&1
cp "$w/dry/etc/kubestead/lb-sync-check.sh" "$w/etc/kubestead/lb-sync-check.sh"

# One shell in the private namespace does all the runs; it prints "name user sys wall" lines.
cat > "$w/inside.sh" <<'INSIDE'
set -eu
w=$1 before=$2 after=$3 runs=$4 seconds=$5
mount --make-rprivate /
mount --bind "$w/etc" /etc
mount --bind "$w/run" /run
mount --bind "$w/opt" /opt
mkdir -p /opt/kubestead
# as the service runs: no HOME, kubectl's cache where the unit puts it
unset HOME
export KUBECACHEDIR=$w/kubectl-cache
cd /
measure() { # name, then the command run $runs times
    name=$1; shift
    /usr/bin/time -f "$name %U %S %e" -o "$w/time.$name" sh -c 'i=0; while [ $i -lt "$0" ]; do "$@" >/dev/null 2>&1 || true; i=$((i+1)); done' "$runs" "$@"
    cat "$w/time.$name"
}
requests() { wc -l < "$w/requests" 2>/dev/null || echo 0; }

# before: the timer ran the JVM every time
mount --bind "$before" /opt/kubestead
/opt/kubestead/bin/kubestead lb-sync > "$w/warm.out" 2>&1   # writes the balancer once: later runs find nothing to change
grep -q 127.0.0.13:6443 /etc/kubestead/haproxy/haproxy.cfg
r0=$(requests); measure before-api /opt/kubestead/bin/kubestead lb-sync; echo "requests before-api $(( $(requests) - r0 ))"
umount /opt/kubestead

# after: the check, which starts the JVM only on change
mount --bind "$after" /opt/kubestead
sh /etc/kubestead/lb-sync-check.sh > "$w/warm2.out" 2>&1     # no stamp yet: syncs once and writes it
[ -f /run/kubestead/lb-sync.stamp ]
r0=$(requests); measure after-api sh /etc/kubestead/lb-sync-check.sh; echo "requests after-api $(( $(requests) - r0 ))"

# no API reachable: the kubeconfig points at a closed port
sed -i "s#server: https://127.0.0.1:[0-9]*#server: https://127.0.0.1:1#" /etc/kubernetes/kubelet.conf
measure after-noapi sh /etc/kubestead/lb-sync-check.sh
umount /opt/kubestead
mount --bind "$before" /opt/kubestead
measure before-noapi /opt/kubestead/bin/kubestead lb-sync
umount /opt/kubestead

# an idle HAProxy with the same configuration and backends, for reference
/usr/bin/time -f "haproxy %U %S %e" -o "$w/time.haproxy" timeout -s INT "$seconds" haproxy -db -f /etc/kubestead/haproxy/haproxy.cfg > "$w/haproxy.out" 2>&1 || true
cat "$w/time.haproxy"
INSIDE
unshare -m bash "$w/inside.sh" "$w" "$before" "$after" "$runs" "$seconds" > "$w/results" 2> "$w/inside.err" || {
    cat "$w/inside.err" >&2; exit 1; }

echo "runs=$runs haproxy_seconds=$seconds load=$(cut -d' ' -f1-3 /proc/loadavg)"
awk -v runs="$runs" -v seconds="$seconds" '
    $1 == "requests" { req[$2] = $3; next }
    $1 == "Command" { next }   # "Command exited with non-zero status": timeout ends haproxy
    { cpu = $2 + $3; name = $1
      if (name == "haproxy") { printf "| idle HAProxy, 3 backends checked every second | %.1f s over %d s | %.1f |\n", cpu, seconds, cpu * 3600 / seconds }
      else { printf "| %s | %.3f s per run (%d runs, %.2f s wall each) | %.1f |\n", name, cpu / runs, runs, $4 / runs, cpu / runs * 120 } }
    END { for (k in req) printf "node lists served during %s: %d\n", k, req[k] }' "$w/results"
