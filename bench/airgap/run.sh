#!/usr/bin/env bash
# Air-gap bundle benchmark (run by hand, not part of the test suite):
#   bench/airgap/run.sh [WORKDIR]      (default /tmp/kubestead-bench-airgap; needs ~6 GiB free)
# Makes a ~1 GiB staging tree (incompressible random "image" tars plus real, compressible binaries), packs it
# with `installer bundle pack` (zstd and gzip), then for each compression compares
#   kubestead bundle verify FILE     (signature + every SHA-256, writes nothing)
#   kubestead bundle extract FILE DIR (verify + extract, one pass)
#   tar -xzf / tar --zstd -xf        (GNU tar, verifies nothing)
# each under /usr/bin/time -v (wall time, peak RSS of the whole process), after a sync. The kubestead commands run as users run
# them: the shipped launcher (bin/kubestead) on the bundled jlink runtime, unpacked from the agent bundle that
# `mvn -DskipTests install` left in installer/target/dist (build it first), a cold process per run.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-/tmp/kubestead-bench-airgap}
HEAP=${BENCH_HEAP:--Xmx256m}
RUNS=${BENCH_RUNS:-3}
# Scale: MiB of random "image" data (default 900, spread 8:5:4:1 over four images), and which compressions to run.
RANDOM_MIB=${BENCH_RANDOM_MIB:-900}
COMPRESSIONS=${BENCH_COMPRESSIONS:-zst gz}
mkdir -p "$WORK"

# --- the agent as shipped: unpacked fresh from this checkout's agent bundle (no app CDS archive yet) ---
AGENT_TGZ=$(ls "$REPO"/installer/target/dist/kubestead-agent-*.tar.gz)
AGENT=$WORK/agent
rm -rf "$AGENT" && mkdir -p "$AGENT" && tar -xzf "$AGENT_TGZ" -C "$AGENT"
KUBESTEAD=$AGENT/bin/kubestead

# --- classpath for the installer (packing only): this checkout's classes first, then the dependencies ---
(cd "$REPO" && mvn -q -B -o -pl agent,installer compile)
for m in agent installer; do
    (cd "$REPO" && mvn -q -B -o -pl $m dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp-$m.txt")
done
CP="$REPO/agent/target/classes:$REPO/installer/target/classes:$(cat "$WORK/cp-agent.txt"):$(cat "$WORK/cp-installer.txt")"
installer() { java "$HEAP" -cp "$CP" io.kubestead.installer.cli.InstallerMain "$@"; }

# --- the staging tree: ~900 MiB random in 4 files, ~120 MiB of real binaries and text ---
STAGING=$WORK/staging
if [ "$(cat "$WORK/staging.complete" 2>/dev/null)" != "$RANDOM_MIB" ]; then
    rm -rf "$STAGING"
    mkdir -p "$STAGING/images" "$STAGING/bin" "$STAGING/manifests"
    head -c $((RANDOM_MIB * 8 / 18 << 20)) /dev/urandom >"$STAGING/images/kube-apiserver.tar"
    head -c $((RANDOM_MIB * 5 / 18 << 20)) /dev/urandom >"$STAGING/images/etcd.tar"
    head -c $((RANDOM_MIB * 4 / 18 << 20)) /dev/urandom >"$STAGING/images/kube-controller-manager.tar"
    head -c $((RANDOM_MIB * 1 / 18 << 20)) /dev/urandom >"$STAGING/images/pause.tar"
    cp /usr/bin/etcd "$STAGING/bin/kubelet"
    cp /usr/bin/etcdctl "$STAGING/bin/kubeadm"
    cp /usr/sbin/haproxy "$STAGING/bin/crictl"
    cat /usr/bin/etcd /usr/bin/etcdctl /usr/bin/etcd /usr/bin/etcdctl >"$STAGING/bin/kubectl"
    find /usr/share/doc -name '*.gz' -prune -o -type f -print0 | head -z -n 4000 | xargs -0 cat >"$STAGING/manifests/docs.txt" 2>/dev/null || true
    chmod 755 "$STAGING"/bin/*
    echo "$RANDOM_MIB" >"$WORK/staging.complete"
fi
SIZE=$(du -sb "$STAGING" | cut -f1)
echo "staging: $((SIZE >> 20)) MiB in $(find "$STAGING" -type f | wc -l) files"

KEYS=$WORK/keys
[ -f "$KEYS/bundle-signing.key" ] || installer keygen --out "$KEYS" >/dev/null

# --- measure: "label wall_s rss_mib" ---
measure() {
    local label=$1 log
    shift
    # Start each run from the same state: the previous run's gigabyte written back, not competing for the CPU
    # (kernel writeback) or throttling this run's writes.
    sync && sleep 1
    log=$(mktemp)
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
    awk -v label="$label" -v size="$SIZE" '
        /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /Maximum resident set size/ { rss = $NF / 1024 }
        /User time/ { user = $NF } /System time/ { sys = $NF }
        END { printf "%-34s wall %7.2f s  cpu %7.2f s  %7.1f MiB/s  peak RSS %6.1f MiB\n", label, wall, user + sys, size / 1048576 / wall, rss }' "$log"
    rm -f "$log"
}

PUB=$KEYS/bundle-signing.pub
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- fixed cost: a one-file bundle. The first run after unpacking also makes the launcher's CDS archives. ---
TINY=$WORK/tiny
rm -rf "$TINY" && mkdir -p "$TINY/staging" && echo hello >"$TINY/staging/a.txt"
installer bundle pack "$TINY/staging" --out "$TINY/tiny.tar.zst" --key "$KEYS/bundle-signing.key" \
    --kubernetes-version 1.33.4 --arch amd64 --created 2026-01-01T00:00:00Z >/dev/null
measure "verify 1-file bundle, first run" "$KUBESTEAD" bundle verify "$TINY/tiny.tar.zst" --public-key "$PUB"
for run in $(seq "$RUNS"); do
    measure "verify 1-file bundle #$run" "$KUBESTEAD" bundle verify "$TINY/tiny.tar.zst" --public-key "$PUB"
done
for c in $COMPRESSIONS; do
    bundle=$WORK/kubestead-airgap-1.33.4-linux-amd64.tar.$c
    flag=(); [ "$c" = gz ] && flag=(--gzip)
    rm -f "$bundle"
    measure "pack ($c)" java "$HEAP" -cp "$CP" io.kubestead.installer.cli.InstallerMain bundle pack "$STAGING" --out "$bundle" \
        --key "$KEYS/bundle-signing.key" "${flag[@]}" --kubernetes-version 1.33.4 --arch amd64 --created 2026-01-01T00:00:00Z
    echo "bundle $c: $(($(stat -c %s "$bundle") >> 20)) MiB"
    for run in $(seq "$RUNS"); do
        measure "kubestead bundle verify ($c) #$run" "$KUBESTEAD" bundle verify "$bundle" --public-key "$PUB"
        rm -rf "$WORK/out"
        measure "kubestead bundle extract ($c) #$run" "$KUBESTEAD" bundle extract "$bundle" "$WORK/out" --public-key "$PUB"
        rm -rf "$WORK/out" && mkdir -p "$WORK/out"
        if [ "$c" = gz ]; then
            measure "tar -xzf #$run" tar -xzf "$bundle" -C "$WORK/out"
        else
            measure "tar --zstd -xf #$run" tar --zstd -xf "$bundle" -C "$WORK/out"
        fi
        rm -rf "$WORK/out"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
