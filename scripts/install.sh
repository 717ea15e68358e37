#!/usr/bin/env bash
# Kubestead bootstrapper: puts the Kubestead agent (with its own Java runtime) at
# /opt/kubestead and hands every word to it. The agent does the real work.
#
# Usage:
#   curl -fsSL URL/install.sh | sudo bash -s WORDS...
#   sudo bash install.sh WORDS...
#   bash install.sh dry-run[=DIR] WORDS...     (no root needed)
#   bash install.sh --help
#
#   Runs `/opt/kubestead/bin/kubestead install WORDS...`, or, if a word is `join`,
#   `/opt/kubestead/bin/kubestead join <the other words>`; words are passed verbatim.
#   Examples:
#     curl -fsSL http://10.0.0.5:8080/install.sh | sudo bash -s ha load-balancer-address=10.0.0.10:6443
#     sudo bash install.sh airgap              (airgap bundle beside this script)
#     bash install.sh dry-run=/tmp/ks ha       (writes only under /tmp/ks)
#
#   dry-run, dry-run=DIR, --dry-run, --dry-run=DIR:
#     write everything under DIR (default ./kubestead-dry-run) at the same paths relative to /,
#     the agent at DIR/opt/kubestead; the agent gets the word dry-run=<absolute DIR>.
#
# Where the agent bundle (kubestead-agent-VERSION-linux-ARCH.tar.gz) comes from, first match:
#   1. $KUBESTEAD_BUNDLE, with SHA256SUMS beside it
#   2. a bundle and SHA256SUMS beside this script (when run as a file)
#   3. an airgap bundle kubestead-airgap-*.tar* (.tar.zst needs zstd, .tar.gz gzip) beside this
#      script, holding the members agent/kubestead-agent-VERSION-linux-ARCH.tar.gz and agent/SHA256SUMS
#   4. a source checkout (this file is REPO/scripts/install.sh): REPO/installer/target/dist,
#      built first with `mvn -q -B -DskipTests package` if no bundle is there
#   5. downloaded, SHA256SUMS first, from $KUBESTEAD_URL or else the URL this script was served
#      from (KUBESTEAD_BASE_URL below; `installer serve` writes it)
#   The bundle's SHA-256 is checked against SHA256SUMS before anything is unpacked. It is
#   unpacked beside /opt/kubestead and renamed into place, so a failure leaves the old agent.
#
# Environment:
#   KUBESTEAD_BUNDLE   path of an agent bundle to use (SHA256SUMS must be in the same directory)
#   KUBESTEAD_URL      base URL to download SHA256SUMS and the bundle from
#
# Exit status: the agent's; or 1 on failure, 2 on a usage error, before the agent runs.
# Everything runs from the last line, so a truncated download of this script runs nothing.

set -euo pipefail

# Set by `installer serve` to the URL it serves this script from.
KUBESTEAD_BASE_URL=""

# All functions are defined in one { ... } block: bash reads a compound command whole before
# running it, so a download cut anywhere in here stops with a syntax error, having run nothing
# (not even a cut-off name that happens to be a command, such as `info` or `w`).
{

# --- logging: info to stdout, warn and fatal to stderr, fatal exits 1 ---
info() {
    printf '[INFO] %s\n' "$*"
}

warn() {
    printf '[WARN] %s\n' "$*" >&2
}

fatal() {
    printf '[ERROR] %s\n' "$*" >&2
    exit 1
}

# --- usage errors exit 2 ---
fatal_usage() {
    printf '[ERROR] %s\n' "$*" >&2
    printf 'Usage: sudo bash install.sh WORDS...  (bash install.sh --help for more)\n' >&2
    exit 2
}

# --- print usage ---
print_usage() {
    cat <<'USAGE'
Kubestead bootstrapper: unpacks the agent to /opt/kubestead and runs it with your words.

  curl -fsSL URL/install.sh | sudo bash -s WORDS...
  sudo bash install.sh WORDS...
  bash install.sh dry-run[=DIR] WORDS...    (no root; writes only under DIR, default ./kubestead-dry-run)

Runs `kubestead install WORDS...`, or `kubestead join WORDS...` if a word is join.
The agent's words: /opt/kubestead/bin/kubestead install --help

Bundle: $KUBESTEAD_BUNDLE, a bundle or airgap bundle beside this script, a source checkout's
build, or a download from $KUBESTEAD_URL (or the URL this script was served from).
USAGE
}

# --- read the words: dry-run directory, help; everything else goes to the agent ---
setup_env() {
    local word dir=""
    WORDS=("$@")
    DRY_RUN_DIR=""
    for word in "$@"; do
        case $word in
            -h | --help)
                print_usage
                exit 0
                ;;
            dry-run | --dry-run) dir=./kubestead-dry-run ;;
            dry-run=* | --dry-run=*)
                dir=${word#*=}
                [ -n "$dir" ] || fatal_usage "'$word' names no directory: write dry-run=DIR, or dry-run for ./kubestead-dry-run"
                ;;
            *) continue ;;
        esac
        if [ -n "$DRY_RUN_DIR" ] && [ "$DRY_RUN_DIR" != "$dir" ]; then
            fatal_usage "two dry-run directories ($DRY_RUN_DIR and $dir): give one dry-run word"
        fi
        DRY_RUN_DIR=$dir
    done
    if [ -n "$DRY_RUN_DIR" ]; then
        case $DRY_RUN_DIR in
            /*) ;;
            *) DRY_RUN_DIR=$PWD/${DRY_RUN_DIR#./} ;;
        esac
        ROOT_DIR=${DRY_RUN_DIR%/}
        [ -n "$ROOT_DIR" ] || fatal_usage "dry-run=/ would write to this host itself: name another directory"
    else
        ROOT_DIR=""
    fi
    AGENT_DIR=$ROOT_DIR/opt/kubestead
    SCRIPT_DIR=""
    if [ -n "${KUBESTEAD_SCRIPT:-}" ] && [ -f "$KUBESTEAD_SCRIPT" ]; then
        SCRIPT_DIR=$(cd -P -- "$(dirname -- "$KUBESTEAD_SCRIPT")" && pwd)
    fi
    TMP_DIR=""
    UNPACK_DIR=""
}

# --- fail fast on what this host cannot do ---
verify_system() {
    [ "$(uname -s)" = Linux ] || fatal "Kubestead installs on Linux, not $(uname -s)"
    case $(uname -m) in
        x86_64 | amd64) ARCH=amd64 ;;
        aarch64 | arm64) ARCH=arm64 ;;
        *) fatal "unsupported architecture $(uname -m): Kubestead runs on amd64 and arm64" ;;
    esac
    if [ -z "$DRY_RUN_DIR" ] && [ "$(id -u)" -ne 0 ]; then
        fatal "installing needs root: run it with sudo (curl -fsSL URL/install.sh | sudo bash -s WORDS), or add the word dry-run to try it without root"
    fi
    local cmd
    for cmd in tar gzip mktemp awk; do
        command -v "$cmd" >/dev/null 2>&1 || fatal "$cmd is missing: install it and run again"
    done
    if command -v sha256sum >/dev/null 2>&1; then
        SHA256=(sha256sum)
    elif command -v shasum >/dev/null 2>&1; then
        SHA256=(shasum -a 256)
    else
        fatal "sha256sum (coreutils) or shasum is needed to check the agent bundle"
    fi
}

# --- temp dir (inside the dry-run dir for dry-run), removed on exit ---
setup_tmp() {
    if [ -n "$DRY_RUN_DIR" ]; then
        mkdir -p -- "$DRY_RUN_DIR" || fatal "cannot create the dry-run directory $DRY_RUN_DIR"
        # Canonical, since the agent gets it as dry-run=DIR and writes below it.
        DRY_RUN_DIR=$(cd -P -- "$DRY_RUN_DIR" && pwd)
        [ "$DRY_RUN_DIR" != / ] || fatal_usage "the dry-run directory is / itself: name another directory"
        ROOT_DIR=$DRY_RUN_DIR
        AGENT_DIR=$ROOT_DIR/opt/kubestead
        TMP_DIR=$(mktemp -d "$DRY_RUN_DIR/.kubestead-tmp.XXXXXX")
    else
        TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kubestead-install.XXXXXX")
    fi
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

cleanup() {
    if [ -n "$UNPACK_DIR" ]; then rm -rf -- "$UNPACK_DIR"; fi
    if [ -n "$TMP_DIR" ]; then rm -rf -- "$TMP_DIR"; fi
    UNPACK_DIR=""
    TMP_DIR=""
}

# --- the newest of the given files by version order (empty if none exist) ---
newest_file() {
    local f
    for f in "$@"; do
        if [ -f "$f" ]; then printf '%s\n' "$f"; fi
    done | sort -V | tail -n 1
}

# --- find BUNDLE and SUMS (see the header for the order); each finder sets them or leaves them empty ---
find_bundle() {
    BUNDLE=""
    SUMS=""
    if [ -n "${KUBESTEAD_BUNDLE:-}" ]; then
        [ -f "$KUBESTEAD_BUNDLE" ] || fatal "KUBESTEAD_BUNDLE=$KUBESTEAD_BUNDLE is not a file"
        use_bundle_in "$(dirname -- "$KUBESTEAD_BUNDLE")" "$KUBESTEAD_BUNDLE" "KUBESTEAD_BUNDLE"
    fi
    if [ -z "$BUNDLE" ] && [ -n "$SCRIPT_DIR" ]; then
        find_bundle_beside "$SCRIPT_DIR"
        if [ -z "$BUNDLE" ]; then find_airgap_beside "$SCRIPT_DIR"; fi
        if [ -z "$BUNDLE" ]; then find_bundle_in_checkout "$SCRIPT_DIR"; fi
    fi
    if [ -z "$BUNDLE" ] && [ -z "$SCRIPT_DIR" ] && has_word airgap; then
        # piped (cat install.sh | bash): the air-gap bundle is looked for in the working directory
        find_airgap_beside "$PWD"
    fi
    if [ -z "$BUNDLE" ] && has_word airgap && has_word join; then fetch_from_master; fi
    if [ -z "$BUNDLE" ]; then download_bundle; fi
}

use_bundle_in() {
    local dir=$1 bundle=$2 from=$3
    [ -f "$dir/SHA256SUMS" ] || fatal "no SHA256SUMS beside $bundle ($from): the bundle cannot be checked without it"
    BUNDLE=$bundle
    SUMS=$dir/SHA256SUMS
    info "using agent bundle $BUNDLE ($from)"
}

find_bundle_beside() {
    local bundle
    bundle=$(newest_file "$1"/kubestead-agent-*-linux-"$ARCH".tar.gz)
    if [ -n "$bundle" ]; then use_bundle_in "$1" "$bundle" "${2:-beside install.sh}"; fi
}

# --- an airgap bundle holds agent/kubestead-agent-*-linux-ARCH.tar.gz and agent/SHA256SUMS ---
# One pass over the (possibly GiB-sized) bundle; its signature and other files are the agent's to check.
find_airgap_beside() {
    local airgap dir
    airgap=$(newest_file "$1"/kubestead-airgap-*.tar*)
    if [ -z "$airgap" ]; then return 0; fi
    if [ "$(magic_of "$airgap")" = 28b52ffd ] && ! command -v zstd >/dev/null 2>&1; then
        fatal "zstd is missing, and $airgap is zstd-compressed: install zstd (apt-get install zstd, or dnf install zstd) and run again, or use the .tar.gz bundle"
    fi
    info "looking for the agent bundle in airgap bundle $airgap"
    # the agent verifies and extracts the rest of it
    export KUBESTEAD_AIRGAP_BUNDLE=$airgap
    dir=$TMP_DIR/airgap
    mkdir -p "$dir"
    airgap_cat "$airgap" | tar -xf - -C "$dir" --no-same-owner --wildcards \
        '*agent/kubestead-agent-*.tar.gz' '*agent/SHA256SUMS' 2>"$TMP_DIR/airgap.err" ||
        fatal "airgap bundle $airgap is unreadable or has no agent/kubestead-agent-*.tar.gz and agent/SHA256SUMS: $(head -n 2 "$TMP_DIR/airgap.err" | tr '\n' ' ')"
    BUNDLE=$(newest_file "$dir"/agent/kubestead-agent-*-linux-"$ARCH".tar.gz)
    SUMS=$dir/agent/SHA256SUMS
    if [ -z "$BUNDLE" ] || [ -L "$BUNDLE" ]; then
        fatal "airgap bundle $airgap has no agent/kubestead-agent-*-linux-$ARCH.tar.gz"
    fi
    if [ ! -f "$SUMS" ] || [ -L "$SUMS" ]; then fatal "airgap bundle $airgap has no agent/SHA256SUMS"; fi
}

# --- the first four bytes of a file, as hex (28b52ffd: zstd, 1f8b...: gzip) ---
magic_of() {
    head -c 4 -- "$1" | od -An -tx1 | tr -d ' \n'
}

# --- an airgap bundle decompressed to stdout: zstd (the default), gzip or plain tar, told by its magic ---
airgap_cat() {
    case $(magic_of "$1") in
        28b52ffd) zstd -dcq -- "$1" ;;
        1f8b*) gzip -dc -- "$1" ;;
        *) cat -- "$1" ;;
    esac
}

has_word() {
    local w
    for w in "${WORDS[@]}"; do
        if [ "$w" = "$1" ]; then return 0; fi
    done
    return 1
}

word_value() {
    local w
    for w in "${WORDS[@]}"; do
        case $w in "$1"=*) printf '%s\n' "${w#*=}"; return 0 ;; esac
    done
    return 1
}

# --- an air-gapped join with no bundle beside: the agent bundle from a master's kubestead-bundle-server ---
# The server's chain carries the cluster CA; the CA whose public-key SHA-256 equals ca-hash (kubeadm's pin) is
# the only one curl trusts, and the join token authorises the download. The agent then fetches the rest itself.
fetch_from_master() {
    local masters token hash port master ca auth name
    masters=$(word_value masters) || fatal "airgap join without an air-gap bundle beside install.sh needs masters=IP,... (copy the join command from 'kubestead join-script'), or put the air-gap bundle beside install.sh"
    token=$(word_value token) || fatal "airgap join needs token=TOKEN"
    hash=$(word_value ca-hash) || fatal "airgap join needs ca-hash=sha256:HEX"
    port=$(word_value bundle-server-port) || port=6446
    command -v openssl >/dev/null 2>&1 || fatal "openssl is needed to check the master's certificate; install it, or put the air-gap bundle beside install.sh"
    command -v curl >/dev/null 2>&1 || fatal "curl is needed to fetch the agent from a master; install it, or put the air-gap bundle beside install.sh"
    auth=$TMP_DIR/auth-header
    (umask 077 && printf 'Authorization: Bearer %s\n' "$token" >"$auth")
    for master in ${masters//,/ }; do
        ca=$TMP_DIR/cluster-ca.crt
        pinned_ca "$master" "$port" "$hash" "$ca" || { warn "no pinned cluster CA from $master:$port"; continue; }
        info "fetching the agent bundle from https://$master:$port (certificate from the pinned cluster CA)"
        if ! curl --fail --silent --show-error --cacert "$ca" --header @"$auth" --connect-timeout 10 \
            -o "$TMP_DIR/SHA256SUMS" -- "https://$master:$port/files/agent/SHA256SUMS"; then
            warn "cannot fetch agent/SHA256SUMS from $master:$port"
            continue
        fi
        name=$(awk '{ f = $2; sub(/^\*/, "", f); print f }' "$TMP_DIR/SHA256SUMS" |
            grep -E "^kubestead-agent-[A-Za-z0-9._+~-]+-linux-$ARCH\.tar\.gz\$" | sort -V | tail -n 1) ||
            fatal "agent/SHA256SUMS on $master lists no kubestead-agent-*-linux-$ARCH.tar.gz"
        curl --fail --silent --show-error --cacert "$ca" --header @"$auth" --connect-timeout 10 \
            -o "$TMP_DIR/$name" -- "https://$master:$port/files/agent/$name" || fatal "cannot fetch agent/$name from $master:$port"
        BUNDLE=$TMP_DIR/$name
        SUMS=$TMP_DIR/SHA256SUMS
        return 0
    done
    fatal "no master in masters=$masters served the agent bundle on port $port; check kubestead-bundle-server on the masters, or put the air-gap bundle beside install.sh"
}

# --- write to $4 the certificate in $1:$2's chain whose public key hashes to $3 (sha256:HEX) ---
pinned_ca() {
    local dir=$TMP_DIR/chain f spki
    rm -rf -- "$dir" && mkdir -p -- "$dir"
    openssl s_client -connect "$1:$2" -showcerts </dev/null 2>/dev/null |
        awk -v d="$dir" '/BEGIN CERTIFICATE/ { n++; in_cert = 1 } in_cert { print > (d "/" n ".pem") } /END CERTIFICATE/ { in_cert = 0; close(d "/" n ".pem") }'
    for f in "$dir"/*.pem; do
        [ -f "$f" ] || continue
        spki=$(openssl x509 -in "$f" -noout -pubkey | openssl pkey -pubin -outform DER | "${SHA256[@]}" | awk '{ print $1 }')
        if [ "sha256:$spki" = "$3" ]; then
            cp -- "$f" "$4"
            return 0
        fi
    done
    return 1
}

# --- REPO/scripts/install.sh: use REPO/installer/target/dist, building it if needed ---
find_bundle_in_checkout() {
    local repo dist
    repo=$(dirname -- "$1")
    if [ "$(basename -- "$1")" != scripts ] || [ ! -f "$repo/pom.xml" ] || [ ! -f "$repo/installer/pom.xml" ]; then
        return 0
    fi
    dist=$repo/installer/target/dist
    if [ -z "$(newest_file "$dist"/kubestead-agent-*-linux-"$ARCH".tar.gz)" ]; then
        command -v mvn >/dev/null 2>&1 || fatal "source checkout $repo has no agent bundle built and mvn is missing: install Maven and a JDK 17, or use a released install.sh"
        info "source checkout without an agent bundle: building it (mvn -q -B -DskipTests package in $repo)"
        (cd -- "$repo" && mvn -q -B -DskipTests package </dev/null) || fatal "building the agent bundle failed (mvn -q -B -DskipTests package in $repo)"
    fi
    find_bundle_beside "$dist" "built in this source checkout"
    [ -n "$BUNDLE" ] || fatal "the build left no kubestead-agent-*-linux-$ARCH.tar.gz in $dist"
}

# --- download SHA256SUMS, then the bundle it names for this arch ---
download_bundle() {
    local base=${KUBESTEAD_URL:-$KUBESTEAD_BASE_URL} name
    base=${base%/}
    if [ -z "$base" ]; then
        fatal "no agent bundle found: put kubestead-agent-*-linux-$ARCH.tar.gz and SHA256SUMS (or an airgap bundle) beside install.sh, or set KUBESTEAD_URL"
    fi
    info "downloading $base/SHA256SUMS"
    download "$base/SHA256SUMS" "$TMP_DIR/SHA256SUMS" ||
        fatal "cannot download $base/SHA256SUMS: no network or wrong URL? Without network, put an airgap bundle (kubestead-airgap-*.tar.gz) beside install.sh and run: sudo bash install.sh airgap WORDS"
    name=$(awk '{ f = $2; sub(/^\*/, "", f); print f }' "$TMP_DIR/SHA256SUMS" |
        grep -E "^kubestead-agent-[A-Za-z0-9._+~-]+-linux-$ARCH\.tar\.gz\$" | sort -V | tail -n 1) ||
        fatal "$base/SHA256SUMS lists no kubestead-agent-*-linux-$ARCH.tar.gz"
    info "downloading $base/$name"
    download "$base/$name" "$TMP_DIR/$name" || fatal "cannot download $base/$name (cut off or no network?)"
    BUNDLE=$TMP_DIR/$name
    SUMS=$TMP_DIR/SHA256SUMS
}

download() {
    if command -v curl >/dev/null 2>&1; then
        curl --fail --silent --show-error --location --retry 3 --retry-delay 1 --connect-timeout 10 -o "$2" -- "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget --quiet --tries=3 --timeout=10 -O "$2" -- "$1"
    else
        fatal "curl or wget is needed to download $1"
    fi
}

# --- compare the bundle's SHA-256 with SHA256SUMS before unpacking anything ---
verify_bundle() {
    local name expected actual
    name=$(basename -- "$BUNDLE")
    expected=$(awk -v n="$name" '{ f = $2; sub(/^\*/, "", f) } f == n { print $1; exit }' "$SUMS")
    [ -n "$expected" ] || fatal "$SUMS has no line for $name: cannot check the bundle"
    actual=$("${SHA256[@]}" "$BUNDLE" | awk '{ print $1 }')
    if [ "$expected" != "$actual" ]; then
        fatal "checksum mismatch for $name: expected $expected (from $SUMS), got $actual; nothing was unpacked"
    fi
    BUNDLE_SHA256=$actual
    info "checksum ok for $name"
}

# --- unpack beside AGENT_DIR, then rename into place; skip if this bundle is already there ---
unpack_bundle() {
    local parent=${AGENT_DIR%/*} old=""
    if [ -x "$AGENT_DIR/bin/kubestead" ] && [ "$(cat -- "$AGENT_DIR/.bundle-sha256" 2>/dev/null)" = "$BUNDLE_SHA256" ]; then
        info "agent already at $AGENT_DIR from this bundle"
        return
    fi
    mkdir -p -- "$parent"
    UNPACK_DIR=$(mktemp -d "$parent/.kubestead-new.XXXXXX")
    tar -xzf "$BUNDLE" -C "$UNPACK_DIR" --no-same-owner || fatal "cannot unpack $BUNDLE"
    # mktemp made it 0700 (and a "./" entry in the tar may set any mode): the agent dir is 0755.
    chmod 0755 "$UNPACK_DIR"
    if [ ! -x "$UNPACK_DIR/bin/kubestead" ] || [ ! -x "$UNPACK_DIR/runtime/bin/java" ]; then
        fatal "$BUNDLE lacks bin/kubestead or runtime/bin/java: not an agent bundle"
    fi
    printf '%s\n' "$BUNDLE_SHA256" >"$UNPACK_DIR/.bundle-sha256"
    if [ -e "$AGENT_DIR" ]; then
        old=$(mktemp -d "$parent/.kubestead-old.XXXXXX")
        mv -- "$AGENT_DIR" "$old/"
    fi
    mv -T -- "$UNPACK_DIR" "$AGENT_DIR"
    UNPACK_DIR=""
    if [ -n "$old" ]; then rm -rf -- "$old"; fi
    info "agent unpacked to $AGENT_DIR"
}

# --- exec the agent: join or install, words verbatim (dry-run made absolute) ---
run_agent() {
    local launcher=$AGENT_DIR/bin/kubestead command=install word
    local -a args=()
    for word in "${WORDS[@]}"; do
        case $word in
            join) command="join" ;;
            dry-run | --dry-run | dry-run=* | --dry-run=*) args+=("dry-run=$ROOT_DIR") ;;
            *) args+=("$word") ;;
        esac
    done
    cleanup
    trap - EXIT INT TERM
    # the agent prints join commands that download install.sh from where this one came from
    export KUBESTEAD_BASE_URL="${KUBESTEAD_URL:-$KUBESTEAD_BASE_URL}"
    info "running $launcher $command"
    # Piped (curl | bash), stdin is the script: give the agent the terminal for its prompts.
    if [ -z "$SCRIPT_DIR" ] && [ ! -t 0 ]; then
        if { : </dev/tty; } 2>/dev/null; then
            exec "$launcher" "$command" "${args[@]}" </dev/tty
        fi
        warn "no terminal: the agent cannot prompt, so every answer must be a word"
    fi
    exec "$launcher" "$command" "${args[@]}"
}

main() {
    setup_env "$@"
    verify_system
    setup_tmp
    find_bundle
    verify_bundle
    unpack_bundle
    run_agent
}

}

{ KUBESTEAD_SCRIPT=${BASH_SOURCE[0]:-}; main "$@"; exit; }
