#!/usr/bin/env bash
# Runs one command (a real kubeadm) with a dry-run tree's etc/kubernetes seen at /etc/kubernetes, in a private mount
# namespace, so the host's own /etc and /var/lib stay untouched:
#   tests/upstream/in-tree.sh TREE COMMAND [ARG...]
# Inside the namespace /etc and /var/lib are overlays whose writes go to a scratch directory that is removed
# afterwards, and TREE/etc/kubernetes is bind-mounted at /etc/kubernetes: what the command writes there lands in
# TREE. Needs root (unshare -m).
set -eu

fatal() { printf 'in-tree.sh: %s\n' "$1" >&2; exit "${2:-1}"; }

[ $# -ge 2 ] || fatal "usage: in-tree.sh TREE COMMAND [ARG...]" 2
tree="$(cd "$1" && pwd)" || fatal "no tree directory '$1'" 2
shift
[ -d "$tree/etc/kubernetes" ] || fatal "$tree has no etc/kubernetes" 2
[ "$(id -u)" -eq 0 ] || fatal "needs root for a private mount namespace (unshare -m)"
command -v unshare >/dev/null 2>&1 || fatal "unshare is not installed (util-linux)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/etc/upper" "$scratch/etc/work" "$scratch/var-lib/upper" "$scratch/var-lib/work"

# The inner shell's mounts die with the namespace; nothing propagates back to the host (--propagation private).
# shellcheck disable=SC2016 # the inner script expands its own arguments
unshare --mount --propagation private -- /bin/sh -eu -c '
    scratch="$1"; tree="$2"; shift 2
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$scratch/etc/upper,workdir=$scratch/etc/work" /etc
    mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$scratch/var-lib/upper,workdir=$scratch/var-lib/work" /var/lib
    mkdir -p /etc/kubernetes
    mount --bind "$tree/etc/kubernetes" /etc/kubernetes
    exec "$@"
' in-tree "$scratch" "$tree" "$@"
