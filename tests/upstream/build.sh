#!/usr/bin/env bash
# Builds the upstream Kubernetes binaries the real-kubeadm tests run, from the published Go modules, and caches them
# by version outside the checkout:
#   tests/upstream/build.sh [vX.Y.Z ...]     (default: every version in tests/upstream/versions)
#   -> ${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}/vX.Y.Z/{kubeadm,kube-apiserver,...,etcd,etcdctl,etcdutl}
# Only what is missing is built. Each binary is linked under a temporary name and renamed into place, so a killed
# build leaves no half-made binary. The sources are pinned by the committed wrapper modules
# (tests/upstream/modules/*/go.sum); the binaries are stamped with the release so that `kubeadm version` and
# `kubelet --version` print it. GOFLAGS from the environment is honoured (GOFLAGS=-p=1 lowers the peak memory).
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tests/upstream/lib.sh
. "$here/lib.sh"
cache="${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}"
k8s_commands="kubeadm kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl"

# The versions file: one "vKUBERNETES etcd=vETCD" line per release, the etcd being the one kubeadm of that release
# names in `kubeadm config images list` (tests/upstream checks that it still does).
etcd_version_for() {
    sed -n "s/^$1[[:space:]][[:space:]]*etcd=\(v[0-9.]*\)[[:space:]]*\$/\1/p" "$here/versions"
}

build_version() {
    local version="$1" etcd_version k8s_dir etcd_dir dest minor build_date ldflags pkg x
    printf '%s' "$version" | grep -Eq '^v1\.[0-9]+\.[0-9]+$' || fatal "version '$version' is not v1.MINOR.PATCH" 2
    etcd_version="$(etcd_version_for "$version")"
    [ -n "$etcd_version" ] || fatal "$version is not in $here/versions: add it there and run wrapper.sh for it" 2
    k8s_dir="$here/modules/kubernetes-$version"
    etcd_dir="$here/modules/etcd-$etcd_version"
    for x in "$k8s_dir" "$etcd_dir"; do
        if [ ! -f "$x/go.mod" ] || [ ! -f "$x/go.sum" ]; then
            fatal "no wrapper module $x: run tests/upstream/wrapper.sh for it and commit the result" 2
        fi
    done
    dest="$cache/$version"
    missing=""
    for x in $k8s_commands etcd etcdctl etcdutl; do [ -x "$dest/$x" ] || missing="$missing $x"; done
    if [ -z "$missing" ]; then
        info "$version: every binary is cached in $dest"
        return 0
    fi
    info "$version: building$missing"
    require_go "$k8s_dir"
    mkdir -p "$dest"
    rm -f "$dest"/.*.partial.* 2>/dev/null || true

    download_modules "$k8s_dir"
    minor="${version#v1.}"
    minor="${minor%%.*}"
    # The release date of the tag as the proxy records it, so that two builds of one version print the same.
    build_date="$(cd "$k8s_dir" && { go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes 2>/dev/null || true; })"
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ldflags="$ldflags -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
        ldflags="$ldflags -X $pkg.gitTreeState=clean -X $pkg.gitCommit= -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
    done
    # kubeadm first: the config, certs and kubeconfig checks need nothing else.
    build_one "$k8s_dir" k8s.io/kubernetes/cmd/kubeadm kubeadm "$dest" "$ldflags"
    download_modules "$etcd_dir"
    build_one "$etcd_dir" go.etcd.io/etcd/server/v3 etcd "$dest" "-s -w"
    build_one "$etcd_dir" go.etcd.io/etcd/etcdctl/v3 etcdctl "$dest" "-s -w"
    # etcd 3.6 moved snapshot restore and status out of etcdctl: the backup tests restore with it
    build_one "$etcd_dir" go.etcd.io/etcd/etcdutl/v3 etcdutl "$dest" "-s -w"
    # then the kubelet (kubeadm's preflight runs it), and the API server last: alone it takes as long as the rest
    for x in kubelet kubectl kube-scheduler kube-proxy kube-controller-manager kube-apiserver; do
        build_one "$k8s_dir" "k8s.io/kubernetes/cmd/$x" "$x" "$dest" "$ldflags"
    done
    info "$version: done, binaries in $dest"
}

if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # one version per line, no spaces
    set -- $(sed -n 's/^\(v[0-9.]*\)[[:space:]].*/\1/p' "$here/versions")
fi
for version in "$@"; do
    build_version "$version"
done
