#!/usr/bin/env bash
# The lab's own test image (not part of any bundle): Debian's static busybox (httpd, wget, nslookup, sh) as an OCI
# image-layout tar that `ctr -n k8s.io images import` takes, for the scenario's test pods.
#   tests/lab/testimage.sh   -> prints the tar's path (made once, cached in ${LAB_CACHE:-/var/cache/kubestead/lab})
set -eu

TEST_IMAGE_REF=kubestead.test/lab-busybox:1
cache=${LAB_CACHE:-/var/cache/kubestead/lab}
out=$cache/lab-busybox.oci.tar

fatal() {
    printf 'testimage.sh: %s\n' "$1" >&2
    exit 1
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# The package through apt (it checks Debian's signature), then extracted.
busybox_binary() {
    local dir=$1 deb
    mkdir -p "$cache/debs"
    deb=$(find "$cache/debs" -name 'busybox-static_*.deb' | head -n1)
    if [ -z "$deb" ]; then
        (cd "$cache/debs" && apt-get download busybox-static >&2) || fatal "apt-get download busybox-static failed"
        deb=$(find "$cache/debs" -name 'busybox-static_*.deb' | head -n1)
    fi
    dpkg-deb -x "$deb" "$dir/deb"
    [ -x "$dir/deb/bin/busybox" ] || fatal "$deb has no bin/busybox"
}

# blob DIR FILE: moves FILE into the layout's blobs by its digest; prints the digest.
blob() {
    local digest
    digest=$(sha "$2")
    mv "$2" "$1/blobs/sha256/$digest"
    printf '%s\n' "$digest"
}

build() {
    local work layout layer_digest layer_size config_digest config_size manifest_digest manifest_size
    work=$(mktemp -d)
    # shellcheck disable=SC2064 # the directory is known now
    trap "rm -rf '$work'" EXIT
    busybox_binary "$work"
    mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/www"
    cp "$work/deb/bin/busybox" "$work/root/bin/busybox"
    ln -s busybox "$work/root/bin/sh"
    printf 'lab\n' >"$work/root/www/index.html"
    layout=$work/layout
    mkdir -p "$layout/blobs/sha256"
    tar -C "$work/root" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1767225600 -cf "$work/layer.tar" .
    layer_size=$(stat -c %s "$work/layer.tar")
    layer_digest=$(blob "$layout" "$work/layer.tar")
    printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$layer_digest" >"$work/config.json"
    config_size=$(stat -c %s "$work/config.json")
    config_digest=$(blob "$layout" "$work/config.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
        "$config_digest" "$config_size" "$layer_digest" "$layer_size" >"$work/manifest.json"
    manifest_size=$(stat -c %s "$work/manifest.json")
    manifest_digest=$(blob "$layout" "$work/manifest.json")
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
        "$manifest_digest" "$manifest_size" "$TEST_IMAGE_REF" "${TEST_IMAGE_REF##*:}" >"$layout/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    tar -C "$layout" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1767225600 -cf "$out.part" .
    mv "$out.part" "$out"
}

[ -s "$out" ] || build
printf '%s\n' "$out"
