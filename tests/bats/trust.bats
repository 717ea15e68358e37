#!/usr/bin/env bats
# What install.sh trusts before it runs an agent as root: an air-gap bundle's manifest.sig and the agent's
# SHA-256 and size in that signed manifest; a downloaded SHA256SUMS's SHA256SUMS.sig, when it knows a key. The
# key comes from the word bundle-public-key=FILE or is pinned into install.sh by the installer, never from the bundle.
# Run: bats tests/bats/trust.bats   (builds the agent bundle once if installer/target/dist lacks it)

load helpers

setup_file() {
    ensure_bundle
    command -v zstd >/dev/null || { echo "zstd is missing (apt-get install zstd)" >&2; return 1; }
    local stage=$BATS_FILE_TMPDIR/stage words
    mkdir -p "$stage/agent" "$stage/bin"
    cp "$(real_bundle)" "$DIST/SHA256SUMS" "$stage/agent/"
    printf '#!/bin/sh\necho kubeadm\n' >"$stage/bin/kubeadm"
    chmod 755 "$stage/bin/kubeadm"
    "$INSTALLER" keygen --out "$BATS_FILE_TMPDIR/keys" >/dev/null
    "$INSTALLER" keygen --out "$BATS_FILE_TMPDIR/other-keys" >/dev/null
    export KEY=$BATS_FILE_TMPDIR/keys/bundle-signing.key PUB=$BATS_FILE_TMPDIR/keys/bundle-signing.pub
    export OTHER_KEY=$BATS_FILE_TMPDIR/other-keys/bundle-signing.key
    export AIRGAP_NAME=kubestead-airgap-1.33.4-linux-$ARCH.tar.zst
    export ZST=$BATS_FILE_TMPDIR/zst/$AIRGAP_NAME OTHER_ZST=$BATS_FILE_TMPDIR/other/$AIRGAP_NAME
    words=(--kubernetes-version 1.33.4 --arch "$ARCH" --created 2026-01-01T00:00:00Z)
    mkdir -p "$(dirname "$ZST")" "$(dirname "$OTHER_ZST")"
    "$INSTALLER" bundle pack "$stage" --out "$ZST" --key "$KEY" "${words[@]}" >/dev/null
    "$INSTALLER" bundle pack "$stage" --out "$OTHER_ZST" --key "$OTHER_KEY" "${words[@]}" >/dev/null

    # Releases: SHA256SUMS signed with the key (served with the key pinned), unsigned, and signed with another key.
    make_release_dir "$BATS_FILE_TMPDIR/signed"
    "$INSTALLER" sign-sums "$BATS_FILE_TMPDIR/signed" --key "$KEY" >/dev/null
    make_release_dir "$BATS_FILE_TMPDIR/unsigned"
    make_release_dir "$BATS_FILE_TMPDIR/other-signed"
    "$INSTALLER" sign-sums "$BATS_FILE_TMPDIR/other-signed" --key "$OTHER_KEY" >/dev/null
    start_server "$BATS_FILE_TMPDIR/signed" "$BATS_FILE_TMPDIR/signed.log" --bundle-public-key "$PUB"
    export SIGNED_PID=$SERVE_PID SIGNED_URL=$SERVE_URL
    start_server "$BATS_FILE_TMPDIR/unsigned" "$BATS_FILE_TMPDIR/unsigned.log"
    export UNSIGNED_PID=$SERVE_PID UNSIGNED_URL=$SERVE_URL
    start_server "$BATS_FILE_TMPDIR/other-signed" "$BATS_FILE_TMPDIR/other-signed.log"
    export OTHER_PID=$SERVE_PID OTHER_URL=$SERVE_URL
    # install.sh as served with the key pinned
    export PINNED_SH=$BATS_FILE_TMPDIR/pinned-install.sh
    curl -fsSL "$SIGNED_URL/install.sh" >"$PINNED_SH"
}

teardown_file() {
    SERVE_PID=${SIGNED_PID:-} stop_server
    SERVE_PID=${UNSIGNED_PID:-} stop_server
    SERVE_PID=${OTHER_PID:-} stop_server
}

setup() {
    cd "$BATS_TEST_TMPDIR"
}

@test "the served install.sh has the key pinned; the file on disk has none" {
    local b64
    b64=$(openssl pkey -pubin -in "$PUB" -outform DER | base64 -w0)
    grep -qx "KUBESTEAD_BUNDLE_PUBLIC_KEY=\"$b64\"" "$PINNED_SH"
    grep -qx 'KUBESTEAD_BUNDLE_PUBLIC_KEY=""' "$INSTALL_SH"
    run shellcheck "$PINNED_SH"
    [ "$status" -eq 0 ]
}

@test "the reported fake air-gap bundle (manifest {}, a fake agent and its SHA256SUMS) is refused and its agent never runs" {
    mkdir -p fake/agent rel
    make_marker_agent "fake/agent/kubestead-agent-0.1.0-linux-$ARCH.tar.gz" "$BATS_TEST_TMPDIR/RAN"
    (cd fake/agent && sha256sum "kubestead-agent-0.1.0-linux-$ARCH.tar.gz" >SHA256SUMS)
    printf '{}' >fake/manifest.json
    tar --zstd -cf "rel/$AIRGAP_NAME" -C fake manifest.json agent
    cp "$INSTALL_SH" rel/
    # as reported: root, no dry-run (with a private /opt: this host's is untouched)
    run unshare --mount --propagation private bash -c "mount -t tmpfs tmpfs /opt && bash rel/install.sh airgap yes"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"[ERROR] no key to check air-gap bundle $BATS_TEST_TMPDIR/rel/$AIRGAP_NAME with: give the word bundle-public-key=FILE"*"installer airgap build --signing-key"* ]]
    [ ! -e RAN ]
    # with a key: there is no signature to check
    run bash rel/install.sh airgap yes dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"manifest.sig is missing or does not verify with bundle-public-key=$PUB"* ]]
    [ ! -e RAN ]
    assert_nothing_unpacked dr
    # told to skip the signature, the agent must still be the one the manifest lists: none here
    run bash rel/install.sh airgap yes dry-run=dr insecure-skip-bundle-signature
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[WARN] NOT checking the signature of air-gap bundle"* ]]
    [[ $output == *"its manifest lists no agent/kubestead-agent-*-linux-$ARCH.tar.gz"* ]]
    [ ! -e RAN ]
    assert_nothing_unpacked dr
}

@test "an air-gap bundle signed by another key is refused before anything is unpacked, by word or pinned key" {
    mkdir rel
    cp "$OTHER_ZST" "$INSTALL_SH" rel/
    run bash rel/install.sh airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] airgap bundle $BATS_TEST_TMPDIR/rel/$AIRGAP_NAME: manifest.sig is missing or does not verify with bundle-public-key=$PUB"* ]]
    assert_nothing_unpacked dr
    cp "$PINNED_SH" rel/install.sh
    run bash rel/install.sh airgap dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"manifest.sig is missing or does not verify with the key pinned in install.sh"* ]]
    assert_nothing_unpacked dr
}

@test "a tampered agent inside a correctly signed bundle is refused and never runs" {
    local name
    name=$(basename "$(real_bundle)")
    mkdir x rel
    tar --zstd -xf "$ZST" -C x
    # another agent (and a SHA256SUMS to match it), under the signed manifest and manifest.sig
    make_marker_agent "x/agent/$name" "$BATS_TEST_TMPDIR/RAN"
    (cd x/agent && sha256sum "$name" >SHA256SUMS)
    (cd x && tar --zstd -cf "../rel/$AIRGAP_NAME" manifest.json manifest.sig agent/SHA256SUMS "agent/$name" bin/kubeadm)
    cp "$INSTALL_SH" rel/
    run bash rel/install.sh airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"air-gap manifest signature ok"* ]]
    [[ $output == *"airgap bundle $BATS_TEST_TMPDIR/rel/$AIRGAP_NAME: agent/$name is "*" bytes, its manifest says"* ]]
    [ ! -e RAN ]
    assert_nothing_unpacked dr
    # the same size, one byte changed
    tar --zstd -xf "$ZST" -C x
    printf 'X' | dd of="x/agent/$name" bs=1 seek=100000 conv=notrunc status=none
    (cd x && tar --zstd -cf "../rel/$AIRGAP_NAME" manifest.json manifest.sig agent/SHA256SUMS "agent/$name" bin/kubeadm)
    run bash rel/install.sh airgap dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] checksum mismatch for agent/$name in airgap bundle"*"the manifest says"* ]]
    assert_nothing_unpacked dr
}

@test "the pinned install.sh accepts the bundle signed with its key, as a file and piped, and hands the key to the agent" {
    mkdir rel
    cp "$ZST" rel/
    cp "$PINNED_SH" rel/install.sh
    run bash rel/install.sh airgap dry-run=dr
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"[INFO] air-gap manifest signature ok (the key pinned in install.sh)"* ]]
    [[ $output == *"checksum ok for agent/kubestead-agent-"* ]]
    grep -qF "# Kubernetes 1.33.4, the version of the air-gap bundle ($BATS_TEST_TMPDIR/rel/$AIRGAP_NAME, signed manifest)" dr/plan.txt
    [ "$(openssl pkey -pubin -in dr/opt/kubestead/trusted-bundle-key.pub)" = "$(openssl pkey -pubin -in "$PUB")" ]
    assert_agent_ran "$BATS_TEST_TMPDIR/dr" install airgap "dry-run=$BATS_TEST_TMPDIR/dr" \
        "bundle-public-key=$BATS_TEST_TMPDIR/dr/opt/kubestead/trusted-bundle-key.pub"
    cd rel
    run bash -c "cat install.sh | bash -s airgap dry-run=piped"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"air-gap manifest signature ok (the key pinned in install.sh)"* ]]
    [ -f piped/plan.txt ]
}

@test "online, with a pinned key: SHA256SUMS must come with a SHA256SUMS.sig made with that key" {
    run bash -c "curl -fsSL '$SIGNED_URL/install.sh' | bash -s dry-run='$BATS_TEST_TMPDIR/ok'"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"[INFO] SHA256SUMS signature ok (the key pinned in install.sh)"* ]]
    assert_agent_ran "$BATS_TEST_TMPDIR/ok" install "dry-run=$BATS_TEST_TMPDIR/ok"
    # the same script, pointed at a server whose SHA256SUMS is unsigned, or signed with another key
    KUBESTEAD_URL=$UNSIGNED_URL run bash -s dry-run=dr <"$PINNED_SH"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] cannot download $UNSIGNED_URL/SHA256SUMS.sig"* ]]
    assert_nothing_unpacked dr
    KUBESTEAD_URL=$OTHER_URL run bash -s dry-run=dr <"$PINNED_SH"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] $OTHER_URL/SHA256SUMS.sig is missing or does not verify with the key pinned in install.sh"* ]]
    assert_nothing_unpacked dr
    # a bundle beside the script: the pinned key, or the word, wants the signature too
    make_release_dir rel
    cp "$PINNED_SH" rel/install.sh
    run bash rel/install.sh dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] $BATS_TEST_TMPDIR/rel/SHA256SUMS.sig is missing or does not verify with the key pinned in install.sh"* ]]
    cp "$INSTALL_SH" rel/install.sh
    run bash rel/install.sh dry-run=dr "bundle-public-key=$PUB"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"SHA256SUMS.sig is missing or does not verify with bundle-public-key=$PUB"* ]]
    assert_nothing_unpacked dr
}

@test "online, without a key: a warning says the download is checked for integrity only, trusting the server" {
    KUBESTEAD_URL=$UNSIGNED_URL run bash -s dry-run=dr <"$INSTALL_SH"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"[WARN] no bundle key (bundle-public-key=FILE, or one pinned in install.sh): the agent is checked against $UNSIGNED_URL/SHA256SUMS for integrity only, trusting the server at $UNSIGNED_URL"* ]]
}

@test "insecure-skip-bundle-signature: an unchecked bundle's agent is still checked against its manifest, with a loud warning" {
    mkdir rel
    cp "$OTHER_ZST" "$INSTALL_SH" rel/
    run bash rel/install.sh airgap dry-run=dr insecure-skip-bundle-signature
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"[WARN] NOT checking the signature of air-gap bundle $BATS_TEST_TMPDIR/rel/$AIRGAP_NAME (insecure-skip-bundle-signature)"* ]]
    [[ $output == *"checksum ok for agent/kubestead-agent-"* ]]
    [ -f dr/plan.txt ]
}
