#!/usr/bin/env bats
# scripts/install.sh: finding, checking and unpacking the agent bundle, then exec'ing the agent.
# Run: bats tests/bats   (builds the agent bundle once if installer/target/dist lacks it)

load helpers

setup_file() {
    ensure_bundle
    export RELEASE_DIR=$BATS_FILE_TMPDIR/release
    make_release_dir "$RELEASE_DIR"
    # A release whose bundle arrives cut in half: SHA256SUMS still names the whole file.
    export CUT_DIR=$BATS_FILE_TMPDIR/cut
    mkdir -p "$CUT_DIR"
    cp "$INSTALL_SH" "$CUT_DIR/install.sh"
    cp "$DIST/SHA256SUMS" "$CUT_DIR/SHA256SUMS"
    local bundle size
    bundle=$(real_bundle)
    size=$(stat -c %s "$bundle")
    head -c $((size / 2)) "$bundle" >"$CUT_DIR/$(basename "$bundle")"
    start_server "$CUT_DIR" "$BATS_FILE_TMPDIR/serve-cut.log"
    export CUT_PID=$SERVE_PID CUT_URL=$SERVE_URL
    start_server "$RELEASE_DIR" "$BATS_FILE_TMPDIR/serve.log"
    export SERVE_PID SERVE_URL
}

teardown_file() {
    stop_server
    SERVE_PID=${CUT_PID:-} stop_server
}

setup() {
    cd "$BATS_TEST_TMPDIR"
}

@test "install.sh is shellcheck-clean" {
    run shellcheck "$INSTALL_SH"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "curl | bash -s dry-run=DIR from installer serve unpacks the agent under DIR and runs it" {
    mkdir tmp home
    TMPDIR=$BATS_TEST_TMPDIR/tmp HOME=$BATS_TEST_TMPDIR/home \
        run bash -c "curl -fsSL '$SERVE_URL/install.sh' | bash -s dry-run='$BATS_TEST_TMPDIR/dr'"
    echo "$output"
    [[ $output == *"[INFO] downloading $SERVE_URL/SHA256SUMS"* ]]
    [[ $output == *"checksum ok for kubestead-agent-"* ]]
    [[ $output == *"[INFO] running $BATS_TEST_TMPDIR/dr/opt/kubestead/bin/kubestead install"* ]]
    [ -x dr/opt/kubestead/bin/kubestead ]
    [ -x dr/opt/kubestead/runtime/bin/java ]
    [ -f dr/opt/kubestead/VERSION ]
    assert_agent_ran "$BATS_TEST_TMPDIR/dr" install "dry-run=$BATS_TEST_TMPDIR/dr"
    # The launcher finds its runtime through a symlink, as from /usr/local/bin.
    mkdir links
    ln -s ../dr/opt/kubestead/bin/kubestead links/kubestead
    run links/kubestead --help
    [ "$status" -eq 0 ]
    # Only the agent and the dry-run's own writes: no temp dirs left behind, nothing in TMPDIR or HOME.
    [ -z "$(find dr -maxdepth 2 -name '.kubestead-*' ! -name .kubestead-dry-run)" ]
    [ -z "$(find tmp home -mindepth 1)" ]
    grep -q "GET /install.sh 200" "$BATS_FILE_TMPDIR/serve.log"
}

@test "without curl, wget downloads the bundle" {
    # A PATH with what install.sh uses, minus curl.
    local cmd
    mkdir nocurl
    for cmd in bash tar gzip mktemp awk sha256sum sort tail grep basename dirname cat mkdir rm mv chmod uname id wget \
        realpath flock head od ls; do
        ln -s "$(command -v "$cmd")" "nocurl/$cmd"
    done
    make_echo_bundle rel 4.0.0
    start_server rel "$BATS_TEST_TMPDIR/wget.log"
    local url=$SERVE_URL
    PATH=$BATS_TEST_TMPDIR/nocurl KUBESTEAD_URL=$url run bash -s dry-run=dr join <"$INSTALL_SH"
    stop_server
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"downloading $url/kubestead-agent-4.0.0-linux-$ARCH.tar.gz"* ]]
    [ "$(grep '^arg:' <<<"$output")" = "arg:join
arg:dry-run=$BATS_TEST_TMPDIR/dr" ]
    grep -q "GET /kubestead-agent-4.0.0-linux-$ARCH.tar.gz 200" wget.log
}

@test "the served install.sh carries the server's URL, the file on disk does not" {
    run curl -fsSL "$SERVE_URL/install.sh"
    [ "$status" -eq 0 ]
    [[ $output == *"KUBESTEAD_BASE_URL=\"$SERVE_URL\""* ]]
    grep -qx 'KUBESTEAD_BASE_URL=""' "$INSTALL_SH"
}

@test "words reach the agent verbatim; join picks the join command; dry-run becomes absolute" {
    make_echo_bundle "$BATS_TEST_TMPDIR/b"
    KUBESTEAD_BUNDLE=$BATS_TEST_TMPDIR/b/kubestead-agent-9.9.9-linux-$ARCH.tar.gz run bash "$INSTALL_SH" \
        ha 'load-balancer-address=10.0.0.10:6443' 'name=a b' dry-run taint-control-plane
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"running $BATS_TEST_TMPDIR/kubestead-dry-run/opt/kubestead/bin/kubestead install"* ]]
    [ "$(grep '^arg:' <<<"$output")" = "arg:install
arg:ha
arg:load-balancer-address=10.0.0.10:6443
arg:name=a b
arg:dry-run=$BATS_TEST_TMPDIR/kubestead-dry-run
arg:taint-control-plane" ]

    KUBESTEAD_BUNDLE=$BATS_TEST_TMPDIR/b/kubestead-agent-9.9.9-linux-$ARCH.tar.gz run bash "$INSTALL_SH" \
        --dry-run=./x/../jd token=abc.def join server=10.0.0.10:6443
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(grep '^arg:' <<<"$output")" = "arg:join
arg:dry-run=$BATS_TEST_TMPDIR/jd
arg:token=abc.def
arg:server=10.0.0.10:6443" ]
    [[ $output != *"abc.def"*"[INFO]"* ]]
    [ -x jd/opt/kubestead/bin/kubestead ]
}

@test "a tampered bundle is refused naming both sums, and nothing is unpacked" {
    mkdir rel
    cp "$INSTALL_SH" "$DIST/SHA256SUMS" rel/
    cp "$(real_bundle)" rel/
    local bundle expected actual
    bundle=rel/$(basename "$(real_bundle)")
    printf 'X' | dd of="$bundle" bs=1 seek=1000000 conv=notrunc status=none
    expected=$(awk '{ print $1 }' rel/SHA256SUMS)
    actual=$(sha256sum "$bundle" | awk '{ print $1 }')
    [ "$expected" != "$actual" ]
    run bash rel/install.sh dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] checksum mismatch for $(basename "$bundle")"* ]]
    [[ $output == *"$expected"* ]]
    [[ $output == *"$actual"* ]]
    assert_nothing_unpacked dr
    [ "$(ls -A dr)" = .kubestead-dry-run ]
}

@test "a truncated install.sh runs nothing" {
    local size cut line prefix main_end script=${TRUNCATE_SCRIPT:-$INSTALL_SH}
    size=$(stat -c %s "$script")
    # Cuts in the middle, inside the last function, and right after `main "$@"` on the last line
    # (where, without the final { ...; } block, main would already run).
    line=$(tail -n 1 "$script")
    prefix=${line%%main \"\$@\"*}
    main_end=$((size - ${#line} - 1 + ${#prefix} + 9))
    for cut in $((size / 2)) $((size - ${#line} - 7)) "$main_end" $((main_end + 1)) $((size - 2)); do
        run bash -c "head -c $cut '$script' | bash -s dry-run='$BATS_TEST_TMPDIR/t$cut'"
        echo "cut at $cut: $status $output"
        [ "$status" -ne 0 ]
        [[ $output == *"unexpected"* ]]
        [ ! -e "t$cut" ]
        [[ $output != *"[INFO]"* ]]
    done
    [ ! -e kubestead-dry-run ]
}

@test "a bundle download cut short is refused and nothing is unpacked" {
    run bash -c "curl -fsSL '$CUT_URL/install.sh' | bash -s dry-run='$BATS_TEST_TMPDIR/dr'"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"checksum mismatch for kubestead-agent-"* ]]
    assert_nothing_unpacked dr
}

@test "no network: a closed port gives an error naming the URL and suggesting airgap" {
    local port
    start_server "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/closed.log"
    port=${SERVE_URL##*:}
    stop_server
    KUBESTEAD_URL=http://127.0.0.1:$port run bash -s dry-run=dr <"$INSTALL_SH"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"cannot download http://127.0.0.1:$port/SHA256SUMS"* ]]
    [[ $output == *"airgap"* ]]
    assert_nothing_unpacked dr
}

@test "no network at all (empty network namespace): the served URL fails clearly" {
    run unshare --net bash -c "curl -fsSL '$SERVE_URL/install.sh' >/dev/null 2>&1 && echo reachable; KUBESTEAD_URL='$SERVE_URL' bash -s dry-run=dr <'$INSTALL_SH'"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output != *reachable* ]]
    [[ $output == *"cannot download $SERVE_URL/SHA256SUMS"* ]]
}

@test "without dry-run a non-root user is refused; with dry-run it needs no root" {
    local shared
    shared=$(mktemp -d /tmp/kubestead-bats-nobody.XXXXXX)
    chmod 0777 "$shared"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups bash -s ha <"$INSTALL_SH"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"needs root"*"dry-run"* ]]
    make_release_dir "$shared/rel"
    chmod -R a+rX "$shared/rel"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups bash -c "cd '$shared' && bash rel/install.sh dry-run"
    echo "$output"
    local ok=0
    [[ $output == *"[INFO] running $shared/kubestead-dry-run/opt/kubestead/bin/kubestead install"* ]] || ok=97
    [ -x "$shared/kubestead-dry-run/opt/kubestead/bin/kubestead" ] || ok=99
    [ "$(stat -c %U "$shared/kubestead-dry-run/opt/kubestead/bin/kubestead")" = nobody ] || ok=98
    rm -rf "$shared"
    [ "$ok" -eq 0 ]
}

@test "a rerun keeps the same agent; a new bundle replaces it whole" {
    make_echo_bundle b1 1.0.0
    make_echo_bundle b2 2.0.0
    KUBESTEAD_BUNDLE=b1/kubestead-agent-1.0.0-linux-$ARCH.tar.gz run bash "$INSTALL_SH" dry-run=dr
    [ "$status" -eq 0 ]
    touch dr/opt/kubestead/marker
    KUBESTEAD_BUNDLE=b1/kubestead-agent-1.0.0-linux-$ARCH.tar.gz run bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"agent already at"* ]]
    [ -e dr/opt/kubestead/marker ]
    KUBESTEAD_BUNDLE=b2/kubestead-agent-2.0.0-linux-$ARCH.tar.gz run bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat dr/opt/kubestead/VERSION)" = 2.0.0 ]
    [ ! -e dr/opt/kubestead/marker ]
    [ "$(ls -A dr/opt)" = kubestead ]
}

@test "a bundle that is not an agent bundle is refused and the old agent stays" {
    make_echo_bundle b1 1.0.0
    KUBESTEAD_BUNDLE=b1/kubestead-agent-1.0.0-linux-$ARCH.tar.gz run bash "$INSTALL_SH" dry-run=dr
    [ "$status" -eq 0 ]
    mkdir -p bad/stage
    echo junk >bad/stage/README
    tar -czf "bad/kubestead-agent-3.0.0-linux-$ARCH.tar.gz" -C bad/stage .
    (cd bad && sha256sum "kubestead-agent-3.0.0-linux-$ARCH.tar.gz" >SHA256SUMS)
    KUBESTEAD_BUNDLE=bad/kubestead-agent-3.0.0-linux-$ARCH.tar.gz run bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"lacks bin/kubestead or runtime/bin/java"* ]]
    [ "$(cat dr/opt/kubestead/VERSION)" = 1.0.0 ]
    [ "$(ls -A dr/opt)" = kubestead ]
}

@test "a real (non-dry-run) install as root unpacks to /opt/kubestead (in a private mount namespace)" {
    # /opt is a fresh tmpfs inside the namespace: the host's /opt is never touched.
    make_echo_bundle b 1.0.0
    run unshare --mount --propagation private bash -c "
        mount -t tmpfs tmpfs /opt &&
        KUBESTEAD_BUNDLE='$BATS_TEST_TMPDIR/b/kubestead-agent-1.0.0-linux-$ARCH.tar.gz' bash '$INSTALL_SH' ha 'x=1 2' &&
        stat -c '%U %a' /opt/kubestead /opt/kubestead/bin/kubestead && ls -A /opt"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"agent unpacked to /opt/kubestead"* ]]
    [ "$(grep '^arg:' <<<"$output")" = "arg:install
arg:ha
arg:x=1 2" ]
    [[ $output == *"root 755
root 755
kubestead"* ]]
}

@test "from a source checkout, the checkout's build is used" {
    run bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [[ $output == *"using agent bundle $DIST/kubestead-agent-"*"(built in this source checkout)"* ]]
    assert_agent_ran "$BATS_TEST_TMPDIR/dr" install "dry-run=$BATS_TEST_TMPDIR/dr"
}

@test "from a source checkout with nothing built, mvn package runs first" {
    # A checkout skeleton and an mvn on PATH that records its arguments and "builds" a bundle.
    mkdir -p repo/scripts repo/installer bin
    cp "$INSTALL_SH" repo/scripts/
    touch repo/pom.xml repo/installer/pom.xml
    cat >bin/mvn <<MVN
#!/usr/bin/env bash
printf '%s\n' "\$PWD \$*" >'$BATS_TEST_TMPDIR/mvn.args'
printf '\033[0m\033[0m[bundle] built\n'
source '$BATS_TEST_DIRNAME/helpers.bash'
make_echo_bundle installer/target/dist 0.0.1
MVN
    chmod +x bin/mvn
    PATH=$BATS_TEST_TMPDIR/bin:$PATH run bash repo/scripts/install.sh dry-run=dr
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(cat mvn.args)" = "$BATS_TEST_TMPDIR/repo -q -B -Dstyle.color=never -DskipTests package" ]
    # Maven's colour resets do not reach a pipe
    [[ $output == *"[bundle] built"* ]]
    [[ $output != *$'\033'* ]]
    [[ $output == *"building it (mvn -q -B -DskipTests package"* ]]
    [[ $output == *"arg:install"* ]]
}

@test "usage: --help prints usage and touches nothing; an empty dry-run= is a usage error" {
    run bash "$INSTALL_SH" --help
    [ "$status" -eq 0 ]
    [[ $output == *"curl -fsSL URL/install.sh | sudo bash -s WORDS"* ]]
    run bash "$INSTALL_SH" ha dry-run=
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"'dry-run=' names no directory"* ]]
    run bash "$INSTALL_SH" dry-run=/
    [ "$status" -eq 2 ]
    [[ $output == *"would write to this host itself"* ]]
    [ -z "$(ls -A)" ]
}

# --- the dry-run directory: never / (however spelt), never someone else's files; the same dry run again is fine ---

@test "dry-run=// , /tmp/.. , /. , a link to / and a non-empty directory are refused with exit 2 by install.sh" {
    # as nobody, so that a broken check could not write to this host
    local shared dir
    shared=$(mktemp -d /tmp/kubestead-bats-dry.XXXXXX)
    mkdir "$shared/mine"
    echo keep >"$shared/mine/notes"
    ln -s / "$shared/root-link"
    chmod -R a+rwX "$shared"
    for dir in // /tmp/.. /. "$shared/root-link" "$shared/root-link/tmp/.."; do
        run setpriv --reuid=nobody --regid=nogroup --clear-groups bash -s ha yes "dry-run=$dir" <"$INSTALL_SH"
        echo "$dir: $output"
        [ "$status" -eq 2 ]
        [[ $output == *"[ERROR] dry-run=$dir is / itself, so it would write to this host itself: name another directory"* ]]
    done
    run setpriv --reuid=nobody --regid=nogroup --clear-groups bash -s ha yes "dry-run=$shared/mine" <"$INSTALL_SH"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"[ERROR] dry-run=$shared/mine ($shared/mine) is not empty and holds no earlier dry run (.kubestead-dry-run): name a new or empty directory"* ]]
    [ "$(ls -A "$shared/mine")" = notes ]
    rm -rf "$shared"
}

@test "the agent refuses the same dry-run directories itself, for install, join, reset and set-endpoint" {
    local shared dir
    shared=$(mktemp -d /tmp/kubestead-bats-dry.XXXXXX)
    mkdir "$shared/agent" "$shared/mine"
    tar -xzf "$(real_bundle)" -C "$shared/agent"
    echo keep >"$shared/mine/notes"
    chmod -R a+rwX "$shared"
    local kubestead=$shared/agent/bin/kubestead
    for dir in // /tmp/.. /. "$shared/mine"; do
        for words in "install ha yes" "reset yes" \
            "join endpoint=api.example.internal:6443 endpoint-address=10.0.0.4 token=abcdef.0123456789abcdef ca-hash=sha256:$(printf 'a%.0s' {1..64}) kubernetes-version=1.33" \
            "set-endpoint endpoint=api.example.internal:6443 endpoint-address=10.0.0.4"; do
            # shellcheck disable=SC2086
            run setpriv --reuid=nobody --regid=nogroup --clear-groups "$kubestead" $words "dry-run=$dir"
            echo "$words dry-run=$dir: $output"
            [ "$status" -eq 2 ]
            [[ $output == *"word 'dry-run=$dir'"* ]]
        done
    done
    [ "$(ls -A "$shared/mine")" = notes ]
    rm -rf "$shared"
}

@test "the README's dry run, twice into the same directory, works; its directory is marked" {
    run bash "$INSTALL_SH" ha yes dry-run
    echo "$output"
    [ "$status" -eq 0 ]
    [ -f kubestead-dry-run/.kubestead-dry-run ]
    [ -f kubestead-dry-run/plan.txt ]
    run bash "$INSTALL_SH" ha yes dry-run
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"agent already at $BATS_TEST_TMPDIR/kubestead-dry-run/opt/kubestead from this bundle"* ]]
}

@test "a rerun removes the temporaries a killed run left, only its own kinds" {
    make_echo_bundle b 1.0.0
    local bundle=$BATS_TEST_TMPDIR/b/kubestead-agent-1.0.0-linux-$ARCH.tar.gz
    KUBESTEAD_BUNDLE=$bundle run bash "$INSTALL_SH" dry-run=dr
    [ "$status" -eq 0 ]
    mkdir -p dr/opt/.kubestead-new.AbC123/bin dr/opt/.kubestead-old.dEf456/kubestead dr/.kubestead-tmp.GhI789 dr/opt/other
    touch dr/opt/.kubestead-new.AbC123/bin/kubestead dr/.kubestead-tmp.GhI789/SHA256SUMS dr/opt/.kubestead-keep
    KUBESTEAD_BUNDLE=$bundle run bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"removing $BATS_TEST_TMPDIR/dr/opt/.kubestead-new.AbC123, left by an interrupted run"* ]]
    [ "$(ls -A dr/opt | sort | tr '\n' ' ')" = ".kubestead-keep kubestead other " ]
    [ -z "$(find dr -maxdepth 1 -name '.kubestead-tmp.*')" ]
    # a real run: /opt and TMPDIR (a private /opt and TMPDIR, so this host's are untouched)
    mkdir tmp
    run unshare --mount --propagation private bash -c "
        mount -t tmpfs tmpfs /opt && mkdir -p /opt/.kubestead-new.x1 /opt/.kubestead-old.x2 '$BATS_TEST_TMPDIR/tmp/kubestead-install.x3' /opt/.kubestead-other &&
        TMPDIR='$BATS_TEST_TMPDIR/tmp' KUBESTEAD_BUNDLE='$bundle' bash '$INSTALL_SH' ha && ls -A /opt | sort | tr '\n' ' '"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *".kubestead-other kubestead "* ]]
    [ -z "$(ls -A tmp)" ]
}

@test "a second install.sh on the same tree while one runs is refused" {
    mkdir dr
    touch dr/.kubestead-dry-run
    run flock dr bash "$INSTALL_SH" dry-run=dr
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"[ERROR] another install.sh is running (it holds a lock on $BATS_TEST_TMPDIR/dr): wait for it to finish, then run again"* ]]
}

@test "a word the agent refuses in a dry run leaves nothing behind" {
    run bash "$INSTALL_SH" ha dry-run=new load-balancer-adress=10.0.0.10
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"did you mean 'load-balancer-address'"* ]]
    [ ! -e new ]
    # into an earlier dry run's tree: the agent this run unpacked goes, the tree stays
    mkdir old
    touch old/.kubestead-dry-run
    run bash "$INSTALL_SH" ha dry-run=old load-balancer-adress=10.0.0.10
    [ "$status" -eq 2 ]
    [ "$(ls -A old | tr '\n' ' ')" = ".kubestead-dry-run opt " ]
    [ -z "$(ls -A old/opt)" ]
}
