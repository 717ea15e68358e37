#!/usr/bin/env bash
# Build-time benchmark of `installer airgap build`: one SIZE MiB binary from a loopback HTTP server (python3
# http.server) and one image with a SIZE MiB layer from a loopback docker-registry, against curl piped through
# sha256sum fetching the same two files (what a shell script would do, writing them once, hashing in one pass).
# Usage: [JAVA_OPTS=...] bench/airgap-build/run.sh [SIZE_MIB=512] [RUNS=5]. Needs hyperfine, docker-registry, python3, curl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIZE=${1:-512}
RUNS=${2:-5}
W=$(mktemp -d /tmp/airgap-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

(cd "$ROOT" && mvn -q -B -o -pl agent,installer -DskipTests compile \
  && mvn -q -B -o -pl installer dependency:build-classpath -Dmdep.outputFile="$W/cp" -Dmdep.includeScope=runtime)
CP="$ROOT/agent/target/classes:$ROOT/installer/target/classes:$(cat "$W/cp")"

mkdir -p "$W/files" "$W/agent" "$W/registry"
head -c "${SIZE}M" /dev/urandom > "$W/files/kubeadm"
head -c "${SIZE}M" /dev/urandom > "$W/layer"
echo agent > "$W/agent/kubestead-agent-0.0.0-linux-amd64.tar.gz"
echo sums > "$W/agent/SHA256SUMS"

HTTP_PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$W/files" "$HTTP_PORT" >/dev/null 2>&1 &
PIDS+=($!)
REG=127.0.0.1:$(free_port)
cat > "$W/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $W/registry}}
http: {addr: $REG}
YML
/usr/bin/docker-registry serve "$W/registry.yml" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fs "http://$REG/v2/" >/dev/null && curl -fs "http://127.0.0.1:$HTTP_PORT/" >/dev/null && break; sleep 0.1; done

push_blob() { # FILE: monolithic upload, streamed from disk
  local d loc sep
  d=sha256:$(sha "$1")
  loc=$(curl -fsS -X POST -D - -o /dev/null "http://$REG/v2/bench/big/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
  case $loc in http*) ;; *) loc=http://$REG$loc ;; esac
  sep='?'; [[ $loc == *\?* ]] && sep='&'
  curl -fsS -T "$1" -H 'Content-Type: application/octet-stream' "$loc${sep}digest=$d" >/dev/null
}
LAYER_SHA=$(sha "$W/layer")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$LAYER_SHA" > "$W/config"
push_blob "$W/config"
push_blob "$W/layer"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
  "$(sha "$W/config")" "$(stat -c %s "$W/config")" "$LAYER_SHA" "$(stat -c %s "$W/layer")" > "$W/manifest"
curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$W/manifest" \
  "http://$REG/v2/bench/big/manifests/1" >/dev/null

cat > "$W/bundle.yaml" <<YML
kubernetesVersion: "1.33.4"
arch: amd64
created: "2026-01-01T00:00:00Z"
binaries:
  - {name: kubeadm, url: "http://127.0.0.1:$HTTP_PORT/kubeadm", sha256: $(sha "$W/files/kubeadm"), path: bin/kubeadm}
images:
  - $REG/bench/big:1
agent: $W/agent
YML
# JAVA_OPTS (word-split), e.g. "-XX:+UseSerialGC -Xmx64m" to show the build streams in a small heap.
# shellcheck disable=SC2206
JOPTS=(${JAVA_OPTS:-})
BUILD=(java "${JOPTS[@]}" -cp "$CP" io.kubestead.installer.cli.InstallerMain airgap build "$W/bundle.yaml" --out "$W/out" --plain-http-registry "$REG")
CURL="bash -c 'mkdir -p $W/out && curl -fsS http://127.0.0.1:$HTTP_PORT/kubeadm | tee $W/out/kubeadm | sha256sum && curl -fsS http://$REG/v2/bench/big/blobs/sha256:$LAYER_SHA | tee $W/out/layer | sha256sum'"

echo "== peak memory of one build (GNU time: max RSS KiB, wall s)"
rm -rf "$W/out"
/usr/bin/time -f '%M KiB max RSS, %e s wall, %U s user, %S s sys' "${BUILD[@]}" >/dev/null
echo "== hyperfine: ${SIZE} MiB binary + ${SIZE} MiB image layer, $RUNS runs"
hyperfine -N -w 1 -r "$RUNS" --prepare "rm -rf $W/out" -n "installer airgap build" "${BUILD[*]}" -n "curl | tee | sha256sum" "$CURL"
