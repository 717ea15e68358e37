# Shared setup for the bootstrapper's bats tests (tests/bats/*.bats).
# The real agent bundle is built once (mvn -q -B -DskipTests package) if installer/target/dist lacks it.

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
DIST=$REPO_ROOT/installer/target/dist
INSTALL_SH=$REPO_ROOT/scripts/install.sh
INSTALLER=$REPO_ROOT/installer/target/bin/installer

case $(uname -m) in
    x86_64 | amd64) ARCH=amd64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    *) ARCH=unsupported ;;
esac

# --- build the real bundle once per checkout, if missing ---
ensure_bundle() {
    if [ -z "$(real_bundle)" ] || [ ! -x "$INSTALLER" ]; then
        echo "# building the agent bundle (mvn -q -B -DskipTests package)" >&3
        (cd "$REPO_ROOT" && mvn -q -B -DskipTests package </dev/null) >&3 2>&1
    fi
    [ -n "$(real_bundle)" ] || { echo "no agent bundle in $DIST after the build" >&2; return 1; }
    command -v shellcheck >/dev/null || { echo "shellcheck is missing (apt-get install shellcheck)" >&2; return 1; }
}

real_bundle() {
    local f
    for f in "$DIST"/kubestead-agent-*-linux-"$ARCH".tar.gz; do
        if [ -f "$f" ]; then printf '%s\n' "$f"; fi
    done | sort -V | tail -n 1
}

# --- a directory as a release: current install.sh, the real bundle and SHA256SUMS ---
# Hard links where possible: cheap, and the server refuses symlinks leading out of its directory.
make_release_dir() {
    local dir=$1 bundle
    bundle=$(real_bundle)
    mkdir -p "$dir"
    cp "$INSTALL_SH" "$dir/install.sh"
    cp -l "$bundle" "$dir/" 2>/dev/null || cp "$bundle" "$dir/"
    cp "$DIST/SHA256SUMS" "$dir/SHA256SUMS"
}

# --- a small bundle whose launcher prints its arguments, one "arg:WORD" per line ---
make_echo_bundle() {
    local dir=$1 version=${2:-9.9.9} stage
    stage=$(mktemp -d)
    mkdir -p "$stage/bin" "$stage/runtime/bin" "$dir"
    printf '#!/usr/bin/env bash\nprintf "arg:%%s\\n" "$@"\n' >"$stage/bin/kubestead"
    printf '#!/bin/sh\n' >"$stage/runtime/bin/java"
    printf '%s\n' "$version" >"$stage/VERSION"
    chmod 755 "$stage/bin/kubestead" "$stage/runtime/bin/java"
    tar -czf "$dir/kubestead-agent-$version-linux-$ARCH.tar.gz" -C "$stage" .
    rm -rf "$stage"
    (cd "$dir" && sha256sum "kubestead-agent-$version-linux-$ARCH.tar.gz" >SHA256SUMS)
}

# --- installer serve DIR on a free loopback port (more options after LOG); sets SERVE_PID and SERVE_URL ---
start_server() {
    local dir=$1 log=$2 i
    shift 2
    : >"$log"
    "$INSTALLER" serve "$dir" --bind 127.0.0.1 --port 0 "$@" >"$log" 2>&1 3>&- &
    SERVE_PID=$!
    for i in $(seq 1 100); do
        SERVE_URL=$(sed -n 's/^\[INFO\] listening on \(http[^ ]*\) .*/\1/p' "$log")
        if [ -n "$SERVE_URL" ]; then return 0; fi
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "installer serve did not start:" >&2
    cat "$log" >&2
    return 1
}

stop_server() {
    if [ -n "${SERVE_PID:-}" ]; then
        kill "$SERVE_PID" 2>/dev/null || true
        { wait "$SERVE_PID" || true; } 2>/dev/null
    fi
}

# --- nothing of the agent unpacked under a root dir, and no half-unpacked leftovers ---
assert_nothing_unpacked() {
    local root=$1
    [ ! -e "$root/opt/kubestead" ] || { echo "$root/opt/kubestead exists" >&2; return 1; }
    if [ -d "$root/opt" ] && [ -n "$(ls -A "$root/opt")" ]; then
        echo "leftovers in $root/opt: $(ls -A "$root/opt")" >&2
        return 1
    fi
}

# --- install.sh exec'd the real agent: it got as far as exec, and exited as the agent itself does ---
# Holds for the placeholder CLI and for the real one: compares with a direct launcher run of the
# same words instead of assuming what the agent prints or returns. Call right after `run`.
assert_agent_ran() {
    local st=$status root=$1 launcher=$1/opt/kubestead/bin/kubestead
    shift
    [[ $output == *"[INFO] running $launcher $1"* ]] || { echo "install.sh did not reach exec of $launcher $1" >&2; return 1; }
    [[ $output != *"[ERROR]"* ]] || { echo "install.sh reported an error" >&2; return 1; }
    # install.sh hands the agent the air-gap archive it found; the direct run gets the same
    local archive
    archive=$(sed -n 's/^\[INFO\] looking for the agent bundle in airgap bundle //p' <<<"$output" | head -n 1)
    KUBESTEAD_AIRGAP_BUNDLE=$archive run "$launcher" "$@"
    [ "$status" -eq "$st" ] || { echo "via install.sh: exit $st; $launcher $* directly: exit $status" >&2; return 1; }
    run "$launcher" --help
    [ "$status" -eq 0 ] || { echo "$launcher --help: exit $status" >&2; return 1; }
}

# --- an agent bundle whose launcher (and java) only create the file $2: proof that it ran ---
make_marker_agent() {
    local out=$1 marker=$2 stage
    stage=$(mktemp -d)
    mkdir -p "$stage/bin" "$stage/runtime/bin"
    printf '#!/bin/sh\ntouch %s\n' "$marker" >"$stage/bin/kubestead"
    cp "$stage/bin/kubestead" "$stage/runtime/bin/java"
    chmod 755 "$stage/bin/kubestead" "$stage/runtime/bin/java"
    tar -czf "$out" -C "$stage" .
    rm -rf "$stage"
}
