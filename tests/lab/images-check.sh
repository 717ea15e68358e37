#!/usr/bin/env bash
# Proves the lab's images work where the install uses them: imports every image of tests/lab/images.sh into a real
# containerd (a private instance: its own root, state and socket under a temp dir, never the host's) with
# `ctr -n k8s.io images import`, as the agent does, checks each reference and digest, and runs each under runc:
# pause stays up until killed, each program prints its version, and iptables lists the nat table of a fresh network
# namespace (so its nft backend, libraries and extensions load).
#   tests/lab/images-check.sh [IMAGES_DIR]     (default: what tests/lab/images.sh prints; needs root)
set -eu

fatal() { printf 'images-check.sh: %s\n' "$1" >&2; exit "${2:-1}"; }
info() { printf 'images-check.sh: %s\n' "$*" >&2; }

here="$(cd "$(dirname "$0")" && pwd)"
[ "$(id -u)" -eq 0 ] || fatal "needs root (it runs containerd and runc)" 2
for bin in /usr/bin/containerd /usr/bin/ctr /usr/sbin/runc; do
    [ -x "$bin" ] || fatal "$bin is missing: apt-get install containerd runc"
done
images="${1:-$("$here/images.sh")}"
[ -f "$images/images.lock" ] || fatal "$images/images.lock is missing: run tests/lab/images.sh" 2

work="$(mktemp -d /var/tmp/kubestead-images-check.XXXXXX)"
containerd_pid=""
cleanup() {
    if [ -n "$containerd_pid" ]; then
        # a task left by a killed check would outlive containerd in its shim
        /usr/bin/ctr --address "$work/containerd.sock" -n k8s.io task ls -q 2>/dev/null | while read -r task; do
            /usr/bin/ctr --address "$work/containerd.sock" -n k8s.io task kill -s SIGKILL "$task" >/dev/null 2>&1 || true
            sleep 1
            /usr/bin/ctr --address "$work/containerd.sock" -n k8s.io task delete -f "$task" >/dev/null 2>&1 || true
        done
        kill "$containerd_pid" 2>/dev/null || true
        wait "$containerd_pid" 2>/dev/null || true
    fi
    # snapshots are overlay mounts under the root; unmount what a killed task left before removing
    grep -o "$work/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/config.toml" <<EOF
version = 2
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[plugins."io.containerd.internal.v1.opt"]
  path = "$work/opt"
EOF
sock="$work/containerd.sock"
/usr/bin/containerd --config "$work/config.toml" --root "$work/root" --state "$work/state" --address "$sock" \
    >"$work/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || fatal "containerd did not start: $(tail -n3 "$work/containerd.log")"

ctr() { /usr/bin/ctr --address "$sock" -n k8s.io "$@"; }
failures=0
fail() { printf 'images-check.sh: FAIL %s\n' "$*" >&2; failures=$((failures + 1)); }

# run NAME REF EXPECT ARGV...: runs ARGV in REF (its own network namespace) and checks the output holds EXPECT;
# opts="..." before it adds ctr run options (--privileged: iptables needs CAP_NET_ADMIN; --mount).
run() {
    local name="$1" ref="$2" expect="$3" out
    shift 3
    # shellcheck disable=SC2086 # opts are words without spaces
    if out="$(timeout -s KILL 120 /usr/bin/ctr --address "$sock" -n k8s.io run --rm ${opts:-} "$ref" "check-$name" "$@" \
        </dev/null 2>&1)" \
        && printf '%s' "$out" | grep -q -- "$expect"; then
        info "ok  $ref: $* -> $(printf '%s' "$out" | grep -m1 -- "$expect")"
    else
        fail "$ref: $* printed: $out"
    fi
}

while read -r ref file digest; do
    start="$(date +%s)"
    ctr images import "$images/$file" >/dev/null 2>"$work/import.err" || { fail "import of $file: $(cat "$work/import.err")"; continue; }
    got="$(ctr images ls | awk -v r="$ref" '$1 == r {print $3}')"
    [ "$got" = "$digest" ] || fail "$ref: containerd lists digest '$got', images.lock says $digest"
    info "imported $ref ($(du -m "$images/$file" | cut -f1) MiB) in $(($(date +%s) - start)) s"
done <"$images/images.lock"

ref() { awk -v f="$1.tar" '$2 == f {print $1}' "$images/images.lock"; }

# pause: stays up as the sandbox process until it is signalled
pause="$(ref pause)"
ctr run -d "$pause" check-pause >/dev/null
sleep 1
if ctr task ls | grep -q '^check-pause .*RUNNING'; then
    info "ok  $pause: /pause runs until it is signalled"
else
    fail "$pause: /pause is not running: $(ctr task ls)"
fi
ctr task kill -s SIGTERM check-pause >/dev/null 2>&1 || true
for _ in $(seq 50); do ctr task ls | grep -q '^check-pause .*RUNNING' || break; sleep 0.1; done
ctr task delete check-pause >/dev/null 2>&1 || ctr task delete -f check-pause >/dev/null 2>&1 || true
ctr container delete check-pause >/dev/null 2>&1 || true
run pause-version "$pause" "pause.c v3.10.1" /pause -v

run kube-apiserver "$(ref kube-apiserver)" "Kubernetes v1.34.4" kube-apiserver --version
run kube-controller-manager "$(ref kube-controller-manager)" "Kubernetes v1.34.4" kube-controller-manager --version
run kube-scheduler "$(ref kube-scheduler)" "Kubernetes v1.34.4" kube-scheduler --version
run kube-proxy "$(ref kube-proxy)" "Kubernetes v1.34.4" kube-proxy --version
run kube-proxy-iptables "$(ref kube-proxy)" "nf_tables" iptables -V
opts=--privileged run kube-proxy-nat "$(ref kube-proxy)" "POSTROUTING" iptables -t nat -S
# rules of the kinds kube-proxy and flanneld write (their extensions are loaded with dlopen), committed in the
# container's own network namespace; --verbose prints each rule as parsed
rules='*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-TEST - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https" -m tcp --dport 443 -j KUBE-SVC-TEST
-A KUBE-SVC-TEST -m statistic --mode random --probability 0.5 -j DNAT -p tcp --to-destination 10.0.0.1:6443
-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE --random-fully
-A POSTROUTING -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
COMMIT
*filter
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
'
printf '%s' "$rules" >"$work/rules"
mount_rules="--mount type=bind,src=$work/rules,dst=/rules,options=rbind:ro"
opts="--privileged $mount_rules" run kube-proxy-restore "$(ref kube-proxy)" "statistic mode random" \
    iptables-restore --verbose /rules
opts="--privileged $mount_rules" run flannel-restore "$(ref flannel)" "flanneld masq" iptables-restore --verbose /rules
run kube-proxy-conntrack "$(ref kube-proxy)" "conntrack v" conntrack --version
run etcd "$(ref etcd)" "etcd Version: 3.6.5" etcd --version
run etcdctl "$(ref etcd)" "etcdctl version: 3.6.5" etcdctl version
run coredns "$(ref coredns)" "CoreDNS-1.12.1" /coredns -version
run flanneld "$(ref flannel)" "v0.26.1" /opt/bin/flanneld --version
run flannel-cp "$(ref flannel)" "cp (GNU coreutils)" cp --version
opts=--privileged run flannel-iptables "$(ref flannel)" "POSTROUTING" iptables -t nat -S
run flannel-cni "$(ref flannel-cni-plugin)" "CNI flannel plugin v0.9.1" /flannel
run flannel-cni-cp "$(ref flannel-cni-plugin)" "cp (GNU coreutils)" cp --version
run haproxy "$(ref haproxy)" "HAProxy version" haproxy -v

[ "$failures" -eq 0 ] || fatal "$failures check(s) failed"
info "every image imports into containerd $(/usr/bin/containerd --version | awk '{print $3}') and runs under runc"
