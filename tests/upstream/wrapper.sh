#!/usr/bin/env bash
# Writes the wrapper Go module that builds one Kubernetes release (or one etcd release) from its published modules:
#   tests/upstream/wrapper.sh kubernetes v1.34.4   -> tests/upstream/modules/kubernetes-v1.34.4/{go.mod,go.sum}
#   tests/upstream/wrapper.sh etcd v3.6.5          -> tests/upstream/modules/etcd-v3.6.5/{go.mod,go.sum}
#   tests/upstream/wrapper.sh tool NAME MODULE VERSION PACKAGE...
#                                                  -> tests/upstream/modules/NAME-VERSION/{go.mod,go.sum}
#     (one Go module's commands, e.g. "tool coredns github.com/coredns/coredns v1.12.1 github.com/coredns/coredns";
#     the images' binaries, tests/upstream/images.sh)
# Run once per new version by a developer (it needs the module proxy); the result is committed, so build.sh only
# ever builds what a reviewed go.sum names. k8s.io/kubernetes requires its staging modules at v0.0.0 with replace
# lines into ./staging, which a dependency's go.mod does not pass on: every one of them is replaced here with its
# published v0.MINOR.PATCH, read from the tag's own go.mod.
set -eu

info() { printf '%s\n' "$*" >&2; }
fatal() { printf 'wrapper.sh: %s\n' "$1" >&2; exit "${2:-1}"; }

usage="usage: wrapper.sh kubernetes|etcd vX.Y.Z, or wrapper.sh tool NAME MODULE vX.Y.Z PACKAGE..."
kind="${1:-}"
if [ "$kind" = tool ]; then
    [ $# -ge 5 ] || fatal "$usage" 2
    name="$2"
    module="$3"
    version="$4"
    shift 4
    printf '%s' "$name" | grep -Eq '^[a-z0-9][a-z0-9-]*$' || fatal "name '$name' must be lower-case letters, digits and '-'" 2
else
    [ $# -eq 2 ] || fatal "$usage" 2
    name="$kind"
    version="$2"
fi
printf '%s' "$version" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+$' || fatal "version '$version' is not vMAJOR.MINOR.PATCH" 2
command -v go >/dev/null 2>&1 || fatal "go is not in PATH: install Go 1.24 or newer (https://go.dev/dl/)"

here="$(cd "$(dirname "$0")" && pwd)"
dir="$here/modules/$name-$version"
work="$(mktemp -d "$here/modules/.$name-$version.XXXXXX" 2>/dev/null || { mkdir -p "$here/modules" && mktemp -d "$here/modules/.$name-$version.XXXXXX"; })"
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

case "$kind" in
kubernetes)
    gomod_json="$(go mod download -json "k8s.io/kubernetes@$version")" \
        || fatal "cannot download k8s.io/kubernetes@$version from $(go env GOPROXY): is the version served?"
    gomod="$(printf '%s\n' "$gomod_json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    [ -f "$gomod" ] || fatal "no go.mod for k8s.io/kubernetes@$version in the module cache"
    staging_version="v0.${version#v1.}"
    (
        cd "$work"
        go mod init kubestead.test/upstream/kubernetes >/dev/null 2>&1
        # The Go language version and the godebug defaults of the tag, which a dependency's go.mod does not pass on.
        go mod edit -go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
        sed -n 's/^godebug \(.*\)$/\1/p' "$gomod" | while read -r setting; do go mod edit -godebug="$setting"; done
        sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod" | while read -r staging; do
            go mod edit -replace="$staging=$staging@$staging_version"
        done
        go mod edit -require="k8s.io/kubernetes@$version"
        for cmd in kubeadm kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
            go mod edit -tool="k8s.io/kubernetes/cmd/$cmd"
        done
        go mod tidy
    ) || fatal "go mod tidy failed for k8s.io/kubernetes@$version"
    ;;
etcd)
    (
        cd "$work"
        go mod init kubestead.test/upstream/etcd >/dev/null 2>&1
        go get -tool "go.etcd.io/etcd/server/v3@$version" "go.etcd.io/etcd/etcdctl/v3@$version" \
            "go.etcd.io/etcd/etcdutl/v3@$version"
        # The Go language version etcd's server module declares, not the one of the Go that ran this script.
        server_mod="$(go mod download -json "go.etcd.io/etcd/server/v3@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
        go mod edit -go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$server_mod")"
        go mod tidy
    ) || fatal "cannot resolve go.etcd.io/etcd/server/v3, etcdctl/v3 and etcdutl/v3 at $version from $(go env GOPROXY)"
    ;;
tool)
    (
        cd "$work" || exit 1
        go mod init "kubestead.test/upstream/$name" >/dev/null 2>&1 || exit 1
        tool_json="$(go mod download -json "$module@$version")" || exit 1
        tool_mod="$(printf '%s\n' "$tool_json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
        tool_dir="$(printf '%s\n' "$tool_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
        # The module's own go.sum pins its dependencies: seeded here, so that a dependency the checksum database
        # does not know (flannel's tencentcloud SDK) is checked against the hash its authors recorded.
        if [ -f "$tool_dir/go.sum" ]; then cp "$tool_dir/go.sum" go.sum || exit 1; fi
        for package in "$@"; do
            case "$package" in
            "$module" | "$module"/*) ;;
            *) echo "package $package is not in module $module" >&2; exit 2 ;;
            esac
            go get -tool "$package@$version" || exit 1
        done
        # The Go language version the module declares (at least 1.24, which tool lines need), not the one of the
        # Go that ran this script.
        go mod edit -go="$(printf '1.24\n%s\n' "$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$tool_mod")" | sort -V | tail -n1)" || exit 1
        go mod tidy || exit 1
    ) || fatal "cannot resolve $module at $version from $(go env GOPROXY)"
    ;;
*) fatal "unknown kind '$kind': kubernetes, etcd or tool" 2 ;;
esac

rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
chmod 755 "$dir"
info "wrote $dir"
