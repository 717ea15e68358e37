#!/usr/bin/env bats
# install.sh finds the agent in a signed airgap bundle made by `installer bundle pack` (zstd and gzip).
# (What it refuses: tests/bats/trust.bats.)
# Run: bats tests/bats/airgap-bundle.bats   (builds the agent bundle once if installer/target/dist lacks it)

load helpers

setup_file() {
    ensure_bundle
    command -v zstd >/dev/null || { echo "zstd is missing (apt-get install zstd)" >&2; return 1; }
    local stage=$BATS_FILE_TMPDIR/stage
    mkdir -p "$stage/agent" "$stage/bin"
    cp "$(real_bundle)" "$DIST/SHA256SUMS" "$stage/agent/"
    printf '#!/bin/sh\necho kubeadm\n' >"$stage/bin/kubeadm"
    chmod 755 "$stage/bin/kubeadm"
    "$INSTALLER" keygen --out "$BATS_FILE_TMPDIR/keys" >/dev/null
    export PUB=$BATS_FILE_TMPDIR/keys/bundle-signing.pub
    export ZST=$BATS_FILE_TMPDIR/zst/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst
    export GZ=$BATS_FILE_TMPDIR/gz/kubestead-airgap-1.33.4-linux-$ARCH.tar.gz
    mkdir -p "$(dirname "$ZST")" "$(dirname "$GZ")"
    local words=(--key "$BATS_FILE_TMPDIR/keys/bundle-signing.key" --kubernetes-version 1.33.4 --arch "$ARCH"
        --created 2026-01-01T00:00:00Z)
    "$INSTALLER" bundle pack "$stage" --out "$ZST" "${words[@]}" >/dev/null
    "$INSTALLER" bundle pack "$stage" --out "$GZ" --gzip "${words[@]}" >/dev/null
}

setup() {
    cd "$BATS_TEST_TMPDIR"
}

@test "the packed bundle is zstd with manifest.json and manifest.sig first" {
    [ "$(head -c 4 "$ZST" | od -An -tx1 | tr -d ' \n')" = 28b52ffd ]
    run tar --zstd -tf "$ZST"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = manifest.json ]
    [ "${lines[1]}" = manifest.sig ]
    [ "${lines[2]}" = agent/SHA256SUMS ]
    [ "${lines[3]}" = "agent/$(basename "$(real_bundle)")" ]
    [ "${lines[4]}" = bin/kubeadm ]
}

@test "install.sh finds the agent in a .tar.zst airgap bundle beside it" {
    cp "$INSTALL_SH" "$(dirname "$ZST")/"
    run bash "$(dirname "$ZST")/install.sh" airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"looking for the agent bundle in airgap bundle $ZST"* ]]
    [[ $output == *"checksum ok"* ]]
    # no kubernetes-version word: the agent took the version from the bundle's signed manifest
    grep -qF "# Kubernetes 1.33.4, the version of the air-gap bundle ($ZST, signed manifest)" dr/plan.txt
    grep -q "Install kubelet, kubeadm and kubectl 1.33.4" dr/plan.txt
    assert_agent_ran "$BATS_TEST_TMPDIR/dr" install airgap "dry-run=$BATS_TEST_TMPDIR/dr" "bundle-public-key=$PUB"
}

@test "install.sh finds the agent in a .tar.gz airgap bundle beside it" {
    cp "$INSTALL_SH" "$(dirname "$GZ")/"
    run bash "$(dirname "$GZ")/install.sh" airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"looking for the agent bundle in airgap bundle $GZ"* ]]
    [[ $output == *"checksum ok"* ]]
    # no kubernetes-version word: the agent took the version from the bundle's signed manifest
    grep -qF "# Kubernetes 1.33.4, the version of the air-gap bundle ($GZ, signed manifest)" dr/plan.txt
    grep -q "Install kubelet, kubeadm and kubectl 1.33.4" dr/plan.txt
    assert_agent_ran "$BATS_TEST_TMPDIR/dr" install airgap "dry-run=$BATS_TEST_TMPDIR/dr" "bundle-public-key=$PUB"
}

@test "without zstd a .tar.zst bundle stops with an error saying what to install" {
    mkdir -p nozstd rel
    local f
    for f in /usr/bin/* /usr/sbin/*; do
        case ${f##*/} in zstd | unzstd | zstdcat | zstdmt | pzstd) continue ;; esac
        ln -sf "$f" "nozstd/${f##*/}"
    done
    cp "$ZST" "$INSTALL_SH" rel/
    PATH=$BATS_TEST_TMPDIR/nozstd run bash rel/install.sh airgap dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] zstd is missing, and $BATS_TEST_TMPDIR/rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst is zstd-compressed: install zstd"* ]]
    assert_nothing_unpacked dr
}

@test "a signed airgap bundle without the agent is refused by name; a plain tar is no bundle" {
    mkdir -p stage/bin rel
    printf 'x' >stage/bin/kubeadm
    "$INSTALLER" bundle pack stage --out "rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst" \
        --key "$BATS_FILE_TMPDIR/keys/bundle-signing.key" --kubernetes-version 1.33.4 --arch "$ARCH" \
        --created 2026-01-01T00:00:00Z >/dev/null
    cp "$INSTALL_SH" rel/
    run bash rel/install.sh airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] airgap bundle $BATS_TEST_TMPDIR/rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst: its manifest lists no agent/kubestead-agent-*-linux-$ARCH.tar.gz"* ]]
    tar --zstd -cf "rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst" -C stage bin
    run bash rel/install.sh airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] airgap bundle $BATS_TEST_TMPDIR/rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst is unreadable or has no manifest.json first"* ]]
}

@test "an agent with the key built in, run by install.sh with the key pinned, installs the bundle; another key is refused" {
    # the real agent bundle with lib/kubestead-trust.jar added, as KUBESTEAD_BUNDLE_PUBLIC_KEY=... mvn package builds it
    local name
    name=$(basename "$(real_bundle)")
    mkdir -p unpacked stage/agent stage/bin rel other resource/io/kubestead/agent/bundle
    tar -xzf "$(real_bundle)" -C unpacked
    cp "$PUB" resource/io/kubestead/agent/bundle/trusted-bundle-key.pub
    jar cf unpacked/lib/kubestead-trust.jar -C resource io
    tar -czf "stage/agent/$name" -C unpacked .
    (cd stage/agent && sha256sum "$name" >SHA256SUMS)
    cp "$BATS_FILE_TMPDIR/stage/bin/kubeadm" stage/bin/
    local words=(--kubernetes-version 1.33.4 --arch "$ARCH" --created 2026-01-01T00:00:00Z)
    "$INSTALLER" bundle pack stage --out "rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst" \
        --key "$BATS_FILE_TMPDIR/keys/bundle-signing.key" "${words[@]}" >/dev/null
    # install.sh cannot use the agent's built-in key (the agent is what it checks): its own is pinned into it
    make_release_dir release
    "$INSTALLER" sign-sums release --key "$BATS_FILE_TMPDIR/keys/bundle-signing.key" >/dev/null
    start_server release "$BATS_TEST_TMPDIR/serve.log" --bundle-public-key "$PUB"
    curl -fsSL "$SERVE_URL/install.sh" >pinned-install.sh
    stop_server
    cd rel
    run bash -c "cat ../pinned-install.sh | bash -s airgap dry-run=dr"
    echo "$output"
    [ "$status" -eq 0 ]
    grep -qF "# Kubernetes 1.33.4, the version of the air-gap bundle ($BATS_TEST_TMPDIR/rel/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst, signed manifest)" dr/plan.txt

    "$INSTALLER" keygen --out "$BATS_TEST_TMPDIR/other-keys" >/dev/null
    cd "$BATS_TEST_TMPDIR"
    "$INSTALLER" bundle pack stage --out "other/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst" \
        --key "$BATS_TEST_TMPDIR/other-keys/bundle-signing.key" "${words[@]}" >/dev/null
    cd other
    run bash -c "cat ../pinned-install.sh | bash -s airgap dry-run=dr"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"manifest.sig is missing or does not verify with the key pinned in install.sh"* ]]
    assert_nothing_unpacked dr
    # and the agent itself, with its built-in key and no word, refuses it too
    KUBESTEAD_AIRGAP_BUNDLE=$BATS_TEST_TMPDIR/other/kubestead-airgap-1.33.4-linux-$ARCH.tar.zst \
        run ../rel/dr/opt/kubestead/bin/kubestead install airgap dry-run=dr
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"air-gap bundle kubestead-airgap-1.33.4-linux-$ARCH.tar.zst: manifest.sig does not verify with the trusted key"* ]]
    [ ! -e dr/plan.txt ]
}
