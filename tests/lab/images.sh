#!/usr/bin/env bash
# Builds, without a registry, every container image an install of Kubernetes 1.34.4 pulls, as OCI image-layout
# tars with the exact references kubeadm and the agent name (`kubeadm config images list`, InstallImages.named):
#   tests/lab/images.sh
#   -> ${KUBESTEAD_IMAGES_CACHE:-/var/cache/kubestead/images}/v1.34.4-KEY/{NAME.tar,images.lock}
#      and the symlink .../v1.34.4 pointing at the newest build; prints that directory on stdout.
# images.lock has one "REFERENCE FILE MANIFEST-DIGEST" line per image; FILE is an OCI layout tar that
# `ctr -n k8s.io images import` takes as it is. KEY hashes this script, every file list and every source file's
# SHA-256, so a rerun with the same inputs builds nothing.
#
# The contents are not the upstream images' bytes (no registry is reachable); each image records its real sources in
# the org.opencontainers.image.source and .description annotations of its manifest:
#   - kube-*, etcd: the binaries tests/upstream/build.sh builds from the published Go modules;
#   - CoreDNS, flanneld, the Flannel CNI plugin: tests/upstream/tools.sh (same way);
#   - pause: kubernetes' own build/pause/linux/pause.c of v1.34.4 (from the module), compiled static with gcc;
#   - iptables (nft variant), conntrack: Debian's packages (apt-get download, checked by apt), extracted;
#   - haproxy, cp and the shared libraries of every dynamic program: this Debian host's files (dpkg names them).
# Layers are single uncompressed tars, sorted, every mtime fixed, owned by root: same inputs, same digests.
set -eu

fatal() { printf 'images.sh: %s\n' "$1" >&2; exit "${2:-1}"; }
info() { printf 'images.sh: %s\n' "$*" >&2; }

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
k8s_version=v1.34.4
etcd_version=v3.6.5
upstream="${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}"
cache="${KUBESTEAD_IMAGES_CACHE:-/var/cache/kubestead/images}"
# The images' creation time and every file's mtime: fixed, so that the digests depend only on the contents.
created="2026-01-01T00:00:00Z"
epoch=1767225600
path_env="PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
debs="iptables libxtables12 libip4tc2 libip6tc2 libnftnl11 libmnl0 libnetfilter-conntrack3 libnfnetlink0 conntrack"

# Go (to find pause.c in the module cache) where the official tarball puts it, for a root shell whose PATH lacks it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="$PATH:/usr/local/go/bin"; fi
for tool in go jq gcc strip tar sha256sum ldd dpkg-deb dpkg-query apt-get flock; do
    command -v "$tool" >/dev/null 2>&1 || fatal "$tool is not installed: it is needed to build the lab images"
done

bin="$upstream/$k8s_version"
tools="$upstream/tools"
for f in "$bin/kube-apiserver" "$bin/kube-controller-manager" "$bin/kube-scheduler" "$bin/kube-proxy" "$bin/etcd" \
    "$bin/etcdctl" "$tools/coredns-v1.12.1/coredns" "$tools/flannel-v0.26.1/flanneld" "$tools/cni-flannel-v0.9.1/flannel"; do
    [ -x "$f" ] || fatal "$f is missing: run tests/upstream/build.sh $k8s_version and tests/upstream/tools.sh first"
done

mkdir -p "$cache"
# One build at a time per cache (worktrees of one machine share it).
exec 9>"$cache/.lock"
flock 9
work="$(mktemp -d "$cache/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plans" "$work/gen"

# --- inputs that are made, not found -------------------------------------------------------------------------------

# Debian's iptables and conntrack with their Netfilter libraries, extracted (not installed on this host).
fetch_debs() {
    local dir="$cache/debs" pkg
    mkdir -p "$dir"
    for pkg in $debs; do
        if ! ls "$dir/${pkg}"_*.deb >/dev/null 2>&1; then
            (cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>&1) \
                || fatal "cannot download the Debian package $pkg (apt-get download): is the package mirror reachable?"
        fi
    done
    mkdir -p "$work/debroot"
    for f in "$dir"/*.deb; do dpkg-deb -x "$f" "$work/debroot"; done
}

# pause: kubernetes' pause.c of this release, static, as build/pause/Makefile compiles it (CFLAGS -Os -static).
build_pause() {
    local src dir out
    dir="$(cd "$repo/tests/upstream/modules/kubernetes-$k8s_version" \
        && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$k8s_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" \
        || fatal "cannot find k8s.io/kubernetes@$k8s_version in the Go module cache"
    src="$dir/build/pause/linux/pause.c"
    [ -f "$src" ] || fatal "$src is missing from the module"
    out="$cache/pause-3.10.1-$(sha256sum "$src" | cut -c1-16)"
    if [ ! -x "$out/pause" ]; then
        mkdir -p "$out"
        gcc -Os -Wall -Werror -static -DVERSION=v3.10.1-kubestead -o "$out/.pause.$$" "$src" \
            || fatal "gcc could not compile $src statically (is libc6-dev installed?)"
        strip "$out/.pause.$$"
        mv -f "$out/.pause.$$" "$out/pause"
    fi
    pause_bin="$out/pause"
}

base_files() {
    printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'haproxy:x:99:99:haproxy:/var/lib/haproxy:/sbin/nologin' \
        'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
        >"$work/gen/passwd"
    printf '%s\n' 'root:x:0:' 'haproxy:x:99:' 'nonroot:x:65532:' 'nogroup:x:65534:' >"$work/gen/group"
    printf '%s\n' 'hosts: files dns' >"$work/gen/nsswitch.conf"
}

# --- plans: what goes where, one file per image ---------------------------------------------------------------------
# Lines: "F DEST MODE SRC" (a file), "D DEST MODE" (a directory), "L DEST TARGET" (a symlink).

plan() { printf '%s\n' "$*" >>"$work/plans/$current"; }

add_file() { plan "F $1 $2 $3"; }

# A dynamic program and, at their paths, the loader and every library ldd finds for it (the Debian libraries
# extracted above first, then this host's). Debian merges /lib into /usr/lib: libraries go under /usr.
add_elf() {
    local src="$1" dest="$2" lib real mode
    add_file "$dest" 0755 "$src"
    # each library keeps its file's mode: the loader must be executable
    ldd "$src" 2>/dev/null | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^[[:space:]]*\(/[^ ]*\) (0x.*#\1#p' | while read -r lib; do
        real="$(readlink -f "$lib")"
        mode="$(stat -c %04a "$real")"
        case "$lib" in
        "$work/debroot"/*) add_file "${lib#"$work/debroot"}" "$mode" "$real" ;;
        /lib/* | /lib64/*) add_file "/usr$lib" "$mode" "$real" ;;
        *) add_file "$lib" "$mode" "$real" ;;
        esac
    done
}

base() {
    plan "D /etc 0755"
    plan "D /tmp 1777"
    plan "D /usr/lib64 0755"
    plan "L /bin usr/bin"
    plan "L /sbin usr/sbin"
    plan "L /lib usr/lib"
    plan "L /lib64 usr/lib64"
    add_file /etc/passwd 0644 "$work/gen/passwd"
    add_file /etc/group 0644 "$work/gen/group"
    add_file /etc/nsswitch.conf 0644 "$work/gen/nsswitch.conf"
    add_file /etc/ssl/certs/ca-certificates.crt 0644 /etc/ssl/certs/ca-certificates.crt
}

# iptables in its nft variant, as Debian 12 (the lab's nodes) selects by default; kube-proxy and flanneld then write
# the same nf_tables the node's own iptables shows. The extensions are loaded with dlopen, so all are copied.
add_iptables() {
    local r="$work/debroot" x name
    export LD_LIBRARY_PATH="$r/usr/lib/x86_64-linux-gnu"
    add_elf "$r/usr/sbin/xtables-nft-multi" /usr/sbin/xtables-nft-multi
    for name in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
        plan "L /usr/sbin/$name xtables-nft-multi"
        plan "L /usr/sbin/$name-nft xtables-nft-multi"
    done
    for x in "$r"/usr/lib/x86_64-linux-gnu/xtables/*.so; do
        add_elf "$x" "/usr/lib/x86_64-linux-gnu/xtables/$(basename "$x")"
    done
    add_elf "$r/usr/sbin/conntrack" /usr/sbin/conntrack
    unset LD_LIBRARY_PATH
}

# image NAME REFERENCE SOURCE DESCRIPTION ENTRYPOINT-JSON USER
declare -a image_names=()
declare -A image_ref=() image_source=() image_description=() image_entrypoint=() image_user=()
image() {
    current="$1"
    image_names+=("$1")
    image_ref[$1]="$2"
    image_source[$1]="$3"
    image_description[$1]="$4"
    image_entrypoint[$1]="$5"
    image_user[$1]="$6"
    : >"$work/plans/$1"
    base
}

kube_source="k8s.io/kubernetes $k8s_version Go module (https://github.com/kubernetes/kubernetes), built by tests/upstream/build.sh"

make_plans() {
    local c
    for c in kube-apiserver kube-controller-manager kube-scheduler; do
        image "$c" "registry.k8s.io/$c:$k8s_version" "$kube_source" \
            "$c $k8s_version in /usr/local/bin on an empty base; not the upstream image" "[\"/usr/local/bin/$c\"]" ""
        add_file "/usr/local/bin/$c" 0755 "$bin/$c"
    done
    image kube-proxy "registry.k8s.io/kube-proxy:$k8s_version" "$kube_source; iptables (nft) and conntrack from Debian 12" \
        "kube-proxy $k8s_version with Debian's iptables-nft and conntrack; not the upstream image" \
        '["/usr/local/bin/kube-proxy"]' ""
    add_file /usr/local/bin/kube-proxy 0755 "$bin/kube-proxy"
    add_iptables
    image etcd "registry.k8s.io/etcd:3.6.5-0" \
        "go.etcd.io/etcd/server/v3 and etcdctl/v3 $etcd_version Go modules (https://github.com/etcd-io/etcd), built by tests/upstream/build.sh" \
        "etcd and etcdctl $etcd_version in /usr/local/bin; not the upstream image" '["/usr/local/bin/etcd"]' ""
    add_file /usr/local/bin/etcd 0755 "$bin/etcd"
    add_file /usr/local/bin/etcdctl 0755 "$bin/etcdctl"
    image coredns "registry.k8s.io/coredns/coredns:v1.12.1" \
        "github.com/coredns/coredns v1.12.1 Go module (https://github.com/coredns/coredns), built by tests/upstream/tools.sh" \
        "CoreDNS v1.12.1 as /coredns; not the upstream image" '["/coredns"]' ""
    add_file /coredns 0755 "$tools/coredns-v1.12.1/coredns"
    image pause "registry.k8s.io/pause:3.10.1" \
        "https://github.com/kubernetes/kubernetes/blob/$k8s_version/build/pause/linux/pause.c (from the k8s.io/kubernetes $k8s_version module), gcc -Os -static" \
        "pause 3.10.1 as /pause, compiled static here with Debian's gcc and glibc; not the upstream image" \
        '["/pause"]' "65535:65535"
    add_file /pause 0755 "$pause_bin"
    image flannel "docker.io/flannel/flannel:v0.26.1" \
        "github.com/flannel-io/flannel v0.26.1 Go module (https://github.com/flannel-io/flannel), built without cgo by tests/upstream/tools.sh; iptables (nft), conntrack and cp from Debian 12" \
        "flanneld v0.26.1 (no UDP backend) as /opt/bin/flanneld, with iptables-nft and cp; not the upstream image" \
        '["/opt/bin/flanneld"]' ""
    add_file /opt/bin/flanneld 0755 "$tools/flannel-v0.26.1/flanneld"
    add_iptables
    add_elf /usr/bin/cp /usr/bin/cp
    image flannel-cni-plugin "docker.io/flannel/flannel-cni-plugin:v1.6.0-flannel1" \
        "github.com/containernetworking/plugins v0.9.1 plugins/meta/flannel (the ancestor of github.com/flannel-io/cni-plugin, which the Go module proxy does not serve), built by tests/upstream/tools.sh; cp from Debian 12" \
        "the flannel CNI plugin of containernetworking/plugins v0.9.1 as /flannel, with cp; not flannel-io/cni-plugin v1.6.0-flannel1" \
        '["/flannel"]' ""
    add_file /flannel 0755 "$tools/cni-flannel-v0.9.1/flannel"
    add_elf /usr/bin/cp /usr/bin/cp
    image haproxy "docker.io/library/haproxy:2.8.14-alpine" \
        "Debian 12 package haproxy $(dpkg-query -W -f '${Version}' haproxy 2>/dev/null) (/usr/sbin/haproxy and its libraries from this host)" \
        "HAProxy $(dpkg-query -W -f '${Version}' haproxy 2>/dev/null) from Debian, run as user haproxy (99); not HAProxy 2.8.14 on Alpine" \
        '["/usr/sbin/haproxy"]' "99:99"
    [ -x /usr/sbin/haproxy ] || fatal "/usr/sbin/haproxy is missing: apt-get install haproxy (scripts/test-deps installs it)"
    add_elf /usr/sbin/haproxy /usr/sbin/haproxy
    plan "D /var/lib/haproxy 0755"
    plan "D /usr/local/etc/haproxy 0755"
}

# --- building -------------------------------------------------------------------------------------------------------

# The cache key: this script, every plan (sorted, duplicates dropped) and the SHA-256 of every source file.
input_key() {
    {
        sha256sum "$0" | cut -d' ' -f1
        for image_name in "${image_names[@]}"; do
            printf '== %s %s\n' "$image_name" "${image_ref[$image_name]}"
            sort -u "$work/plans/$image_name" | while read -r kind dest mode src; do
                if [ "$kind" = F ]; then
                    printf 'F %s %s %s\n' "$dest" "$mode" "$(sha256sum <"$src" | cut -d' ' -f1)"
                else
                    printf '%s %s %s\n' "$kind" "$dest" "$mode"
                fi
            done
        done
    } | sha256sum | cut -c1-16
}

materialize() {
    local root="$1" planfile="$2" kind dest mode src
    mkdir -p "$root"
    sort -u "$planfile" | while read -r kind dest mode src; do
        case "$kind" in
        D) mkdir -p "$root$dest" && chmod "$mode" "$root$dest" ;;
        L) mkdir -p "$(dirname "$root$dest")" && ln -sfn "$mode" "$root$dest" ;;
        F)
            mkdir -p "$(dirname "$root$dest")"
            cp -L "$src" "$root$dest"
            chmod "$mode" "$root$dest"
            ;;
        esac
    done
    # directories made on the way get one mode; the plan's own directories keep theirs
    find "$root" -type d ! -path "$root/tmp" -exec chmod 0755 {} +
}

det_tar() { # det_tar OUT DIR ENTRY...
    local out="$1" dir="$2"
    shift 2
    tar --sort=name --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$out" "$@"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

build_image() {
    local name="$1" out="$2"
    local root="$work/root-$1" layout="$work/layout-$1" layer diff config manifest mdigest size
    materialize "$root" "$work/plans/$name"
    mkdir -p "$layout/blobs/sha256"
    layer="$work/layer-$name.tar"
    # shellcheck disable=SC2046 # the root's entries: the plan's names, no spaces
    det_tar "$layer" "$root" $(cd "$root" && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)
    diff="$(sha "$layer")"
    size="$(stat -c %s "$layer")"
    mv "$layer" "$layout/blobs/sha256/$diff"
    jq -cnS --arg created "$created" --arg env "$path_env" --arg diff "sha256:$diff" \
        --argjson entrypoint "${image_entrypoint[$name]}" --arg user "${image_user[$name]}" \
        '{architecture: "amd64", os: "linux", created: $created,
          config: ({Env: [$env], Entrypoint: $entrypoint, WorkingDir: "/"} + (if $user == "" then {} else {User: $user} end)),
          rootfs: {type: "layers", diff_ids: [$diff]},
          history: [{created: $created, created_by: "kubestead tests/lab/images.sh"}]}' >"$work/config.json"
    config="$(sha "$work/config.json")"
    mv "$work/config.json" "$layout/blobs/sha256/$config"
    jq -cn --arg config "sha256:$config" --argjson csize "$(stat -c %s "$layout/blobs/sha256/$config")" \
        --arg layer "sha256:$diff" --argjson lsize "$size" --arg ref "${image_ref[$name]}" \
        --arg source "${image_source[$name]}" --arg description "${image_description[$name]}" --arg created "$created" \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $csize},
          layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $lsize}],
          annotations: {"org.opencontainers.image.ref.name": $ref, "org.opencontainers.image.source": $source,
                        "org.opencontainers.image.description": $description, "org.opencontainers.image.created": $created}}' \
        >"$work/manifest.json"
    manifest="$work/manifest.json"
    mdigest="$(sha "$manifest")"
    jq -cn --arg digest "sha256:$mdigest" --argjson size "$(stat -c %s "$manifest")" --arg ref "${image_ref[$name]}" \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
          manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $digest, size: $size,
                       annotations: {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $ref}}]}' \
        >"$layout/index.json"
    mv "$manifest" "$layout/blobs/sha256/$mdigest"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    find "$layout" -type d -exec chmod 0755 {} +
    find "$layout" -type f -exec chmod 0644 {} +
    det_tar "$out/$name.tar" "$layout" oci-layout index.json blobs
    rm -rf "$root" "$layout"
    printf '%s %s sha256:%s\n' "${image_ref[$name]}" "$name.tar" "$mdigest" >>"$out/images.lock"
    info "built ${image_ref[$name]} ($(du -m "$out/$name.tar" | cut -f1) MiB, sha256:$mdigest)"
}

fetch_debs
build_pause
base_files
make_plans
key="$(input_key)"
dest="$cache/$k8s_version-$key"
if [ ! -f "$dest/images.lock" ]; then
    start="$(date +%s)"
    out="$work/out"
    mkdir -p "$out"
    for name in "${image_names[@]}"; do
        build_image "$name" "$out"
    done
    rm -rf "$dest"
    mv "$out" "$dest"
    info "built ${#image_names[@]} images in $(($(date +%s) - start)) s"
fi
ln -sfn "$(basename "$dest")" "$cache/.$k8s_version.link"
mv -Tf "$cache/.$k8s_version.link" "$cache/$k8s_version"
# Older image sets beyond the three newest go (a bundle built from one has its own copy).
find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$k8s_version-*" -printf '%T@ %p\n' | sort -rn | tail -n +4 \
    | cut -d' ' -f2- | while read -r old; do [ "$old" = "$dest" ] || rm -rf "$old"; done
info "images in $dest ($(du -sm "$dest" | cut -f1) MiB)"
printf '%s\n' "$dest"
