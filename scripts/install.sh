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
#      script (or, piped, in the working directory): only its manifest.json and manifest.sig are read
#      first; the signature is checked with the trusted key, then the agent bundle it lists is taken
#      out and checked against the manifest's SHA-256 and size
#   4. a source checkout (this file is REPO/scripts/install.sh): REPO/installer/target/dist,
#      built first with `mvn -q -B -DskipTests package` if no bundle is there
#   5. downloaded, SHA256SUMS first, from $KUBESTEAD_URL or else the URL this script was served
#      from (KUBESTEAD_BASE_URL below; `installer serve` writes it)
#   The bundle's SHA-256 is checked against SHA256SUMS (or the air-gap manifest) before anything is
#   unpacked. It is unpacked beside /opt/kubestead and renamed into place, so a failure leaves the old agent.
#
# Trusted key (Ed25519 public key): the word bundle-public-key=FILE, else the key pinned below.
#   With a key, SHA256SUMS (2 and 5) must come with SHA256SUMS.sig made with it, and an air-gap
#   bundle's manifest.sig must verify with it. Without one, 2 and 5 are checked for integrity only
#   (a warning names what is trusted) and an air-gap bundle is refused unless the word
#   insecure-skip-bundle-signature is given. 1 and 4 are your own files; a node fetching from a
#   master (air-gapped join) trusts the cluster CA pinned by ca-hash.
#
# Environment:
#   KUBESTEAD_BUNDLE   path of an agent bundle to use (SHA256SUMS must be in the same directory)
#   KUBESTEAD_URL      base URL to download SHA256SUMS and the bundle from
#
# Exit status: the agent's; or, before the agent runs, 1 on failure (also a bundle that fails its checks),
# 2 on a usage error (also no key for an air-gap bundle, or an unusable dry-run directory).
# Everything runs from the last line, so a truncated download of this script runs nothing.

set -euo pipefail

# Set by `installer serve` to the URL it serves this script from.
KUBESTEAD_BASE_URL=""
# Set by `installer serve --bundle-public-key` and `installer airgap build --signing-key`: the base64 body
# of the Ed25519 public key (PEM) that signs SHA256SUMS and air-gap bundles.
KUBESTEAD_BUNDLE_PUBLIC_KEY=""

# All functions are defined in one { ... } block: bash reads a compound command whole before
# running it, so a download cut anywhere in here stops with a syntax error, having run nothing
# (not even a cut-off name that happens to be a command, such as `info` or `w`).
{

# A dry run writes this into its directory; a directory holding it is an earlier dry run's, used again.
DRY_RUN_MARKER=.kubestead-dry-run
# manifest.json of an air-gap bundle: a few KiB for a real one; more than this is refused unread.
MANIFEST_MAX=$((4 << 20))

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
Key: bundle-public-key=FILE, else the one pinned in this script; with it, SHA256SUMS.sig and an
airgap bundle's manifest.sig must verify. An airgap bundle needs one (or insecure-skip-bundle-signature).
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
    DRY_RUN_CREATED=""
    if [ -n "$DRY_RUN_DIR" ]; then check_dry_run_dir; fi
    ROOT_DIR=$DRY_RUN_DIR
    AGENT_DIR=$ROOT_DIR/opt/kubestead
    SCRIPT_DIR=""
    if [ -n "${KUBESTEAD_SCRIPT:-}" ] && [ -f "$KUBESTEAD_SCRIPT" ]; then
        SCRIPT_DIR=$(cd -P -- "$(dirname -- "$KUBESTEAD_SCRIPT")" && pwd)
    fi
    TMP_DIR=""
    UNPACK_DIR=""
    FRESH_AGENT=""
}

# --- the dry-run directory, resolved (symlinks, .., //): not /, and new, empty or an earlier dry run's ---
check_dry_run_dir() {
    local given=$DRY_RUN_DIR dir entries
    command -v realpath >/dev/null 2>&1 || fatal "realpath (coreutils) is missing: install it and run again"
    dir=$(realpath -m -- "$given") || fatal_usage "dry-run=$given: cannot resolve this directory"
    [ "$dir" != / ] || fatal_usage "dry-run=$given is / itself, so it would write to this host itself: name another directory"
    if [ -e "$dir" ] || [ -L "$dir" ]; then
        [ -d "$dir" ] || fatal_usage "dry-run=$given ($dir) is not a directory: name a new or empty directory"
        entries=$(ls -A -- "$dir") || fatal_usage "dry-run=$given ($dir) cannot be read: name a new or empty directory"
        if [ -n "$entries" ] && ! is_dry_run_tree "$dir"; then
            fatal_usage "dry-run=$given ($dir) is not empty and holds no earlier dry run ($DRY_RUN_MARKER): name a new or empty directory"
        fi
    else
        DRY_RUN_CREATED=yes
    fi
    DRY_RUN_DIR=$dir
}

is_dry_run_tree() {
    [ -f "$1/$DRY_RUN_MARKER" ] && [ ! -L "$1/$DRY_RUN_MARKER" ]
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
    for cmd in tar gzip mktemp awk flock head od; do
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

# --- lock, clear what killed runs left, make the temp dir (inside the dry-run dir for dry-run), removed on exit ---
setup_tmp() {
    local lock
    if [ -n "$DRY_RUN_DIR" ]; then
        mkdir -p -- "$DRY_RUN_DIR" || fatal "cannot create the dry-run directory $DRY_RUN_DIR"
        if ! is_dry_run_tree "$DRY_RUN_DIR"; then
            printf 'Kubestead dry-run tree: what a run would write on a host, at the same paths.\n' >"$DRY_RUN_DIR/$DRY_RUN_MARKER"
        fi
        lock=$DRY_RUN_DIR
    else
        lock=${AGENT_DIR%/*}
        mkdir -p -- "$lock"
    fi
    # One install.sh at a time per host (or dry-run tree): then any temporary of ours is a killed run's.
    exec 9<"$lock"
    flock -n 9 || fatal "another install.sh is running (it holds a lock on $lock): wait for it to finish, then run again"
    remove_stale
    if [ -n "$DRY_RUN_DIR" ]; then
        TMP_DIR=$(mktemp -d "$DRY_RUN_DIR/.kubestead-tmp.XXXXXX")
    else
        TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kubestead-install.XXXXXX")
    fi
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# --- temporaries of install.sh's own kinds, where it makes them, left by a killed run ---
remove_stale() {
    local d parent=${AGENT_DIR%/*}
    local -a stale=("$parent"/.kubestead-new.* "$parent"/.kubestead-old.*)
    if [ -n "$DRY_RUN_DIR" ]; then
        stale+=("$DRY_RUN_DIR"/.kubestead-tmp.*)
    else
        stale+=("${TMPDIR:-/tmp}"/kubestead-install.*)
    fi
    for d in "${stale[@]}"; do
        if [ -d "$d" ] && [ ! -L "$d" ] && [ -O "$d" ]; then
            info "removing $d, left by an interrupted run"
            rm -rf -- "$d"
        fi
    done
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
        use_bundle_in "$(dirname -- "$KUBESTEAD_BUNDLE")" "$KUBESTEAD_BUNDLE" "KUBESTEAD_BUNDLE" local
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

# --- BUNDLE and SUMS from a directory; $4: local (your own files, not checked for origin) or served ---
use_bundle_in() {
    local dir=$1 bundle=$2 from=$3
    [ -f "$dir/SHA256SUMS" ] || fatal "no SHA256SUMS beside $bundle ($from): the bundle cannot be checked without it"
    BUNDLE=$bundle
    SUMS=$dir/SHA256SUMS
    info "using agent bundle $BUNDLE ($from)"
    if [ "$4" != local ]; then check_sums_origin "$SUMS" "$SUMS" "whoever wrote $dir"; fi
}

find_bundle_beside() {
    local bundle
    bundle=$(newest_file "$1"/kubestead-agent-*-linux-"$ARCH".tar.gz)
    if [ -n "$bundle" ]; then use_bundle_in "$1" "$bundle" "${2:-beside install.sh}" "${3:-served}"; fi
}

# --- the trusted key: the word bundle-public-key=FILE, else the one pinned in this script (TRUST_KEY, a PEM file) ---
# Not the agent's built-in key: the agent is what is being checked.
setup_trust() {
    local file key=$TMP_DIR/trusted-bundle-key.pub
    TRUST_KEY=""
    KEY_SOURCE=""
    PINNED_KEY=""
    if file=$(word_value bundle-public-key); then
        if [ ! -f "$file" ] || [ ! -r "$file" ] || [ "$(wc -c <"$file")" -gt 16384 ]; then
            fatal_usage "word 'bundle-public-key=$file': no readable key file there (a PEM Ed25519 public key: the bundle-signing.pub of 'installer keygen')"
        fi
        KEY_SOURCE="bundle-public-key=$file"
        cp -- "$file" "$key"
    elif [ -n "$KUBESTEAD_BUNDLE_PUBLIC_KEY" ]; then
        case $KUBESTEAD_BUNDLE_PUBLIC_KEY in
            *[!A-Za-z0-9+/=]*) fatal "the key pinned in this install.sh is not base64: get install.sh again" ;;
        esac
        KEY_SOURCE="the key pinned in install.sh"
        PINNED_KEY=yes
        printf '%s\n' '-----BEGIN PUBLIC KEY-----' "$KUBESTEAD_BUNDLE_PUBLIC_KEY" '-----END PUBLIC KEY-----' >"$key"
    else
        return 0
    fi
    command -v openssl >/dev/null 2>&1 || fatal "openssl is needed to check signatures with $KEY_SOURCE: install it (apt-get install openssl) and run again"
    if [ "$(openssl pkey -pubin -in "$key" -noout -text 2>/dev/null | head -n 1)" != "ED25519 Public-Key:" ]; then
        fatal_usage "$KEY_SOURCE is not an Ed25519 public key in PEM (BEGIN PUBLIC KEY): give the bundle-signing.pub of 'installer keygen'"
    fi
    TRUST_KEY=$key
}

# --- whether signature file $2 (64 bytes, Ed25519) over file $1 verifies with TRUST_KEY ---
signed_by_key() {
    [ -f "$2" ] && [ "$(wc -c <"$2")" -eq 64 ] &&
        openssl pkeyutl -verify -pubin -inkey "$TRUST_KEY" -rawin -in "$1" -sigfile "$2" >/dev/null 2>&1
}

# --- SHA256SUMS $1 (shown as $2) from elsewhere: with a key, $1.sig must verify; without, it is trusted as $3 is ---
check_sums_origin() {
    if [ -z "$TRUST_KEY" ]; then
        warn "no bundle key (bundle-public-key=FILE, or one pinned in install.sh): the agent is checked against $2 for integrity only, trusting $3"
        return 0
    fi
    signed_by_key "$1" "$1.sig" ||
        fatal "$2.sig is missing or does not verify with $KEY_SOURCE: the agent bundle's origin cannot be checked (sign it with 'installer sign-sums DIR --key FILE')"
    info "SHA256SUMS signature ok ($KEY_SOURCE)"
}

# --- an airgap bundle: manifest.json and manifest.sig (its first two entries), the signature checked with the
# trusted key, then the agent bundle the manifest lists, checked against its SHA-256 and size there ---
# The rest is the agent's to check; the archive (possibly GiB) is read only as far as these entries.
find_airgap_beside() {
    local airgap dir entry path sha size actual
    airgap=$(newest_file "$1"/kubestead-airgap-*.tar*)
    if [ -z "$airgap" ]; then return 0; fi
    if [ "$(magic_of "$airgap")" = 28b52ffd ] && ! command -v zstd >/dev/null 2>&1; then
        fatal "zstd is missing, and $airgap is zstd-compressed: install zstd (apt-get install zstd, or dnf install zstd) and run again, or use the .tar.gz bundle"
    fi
    if [ -z "$TRUST_KEY" ] && ! has_word insecure-skip-bundle-signature; then
        fatal_usage "no key to check air-gap bundle $airgap with: give the word bundle-public-key=FILE (the signing key's .pub), or run the install.sh that 'installer airgap build --signing-key' wrote beside the bundle (the key is pinned in it)"
    fi
    info "looking for the agent bundle in airgap bundle $airgap"
    # the agent verifies and extracts the rest of it
    export KUBESTEAD_AIRGAP_BUNDLE=$airgap
    dir=$TMP_DIR/airgap
    mkdir -p "$dir"
    airgap_member "$airgap" manifest.json $((MANIFEST_MAX + 1)) $((MANIFEST_MAX + 65536)) >"$dir/manifest.json"
    airgap_member "$airgap" manifest.sig 65 $((MANIFEST_MAX + 65536)) >"$dir/manifest.sig"
    [ -s "$dir/manifest.json" ] || fatal "airgap bundle $airgap is unreadable or has no manifest.json first (not a Kubestead air-gap bundle?)"
    [ "$(wc -c <"$dir/manifest.json")" -le "$MANIFEST_MAX" ] || fatal "airgap bundle $airgap: manifest.json is larger than $MANIFEST_MAX bytes"
    if has_word insecure-skip-bundle-signature; then
        warn "NOT checking the signature of air-gap bundle $airgap (insecure-skip-bundle-signature): whoever could change it runs code as root here"
    else
        signed_by_key "$dir/manifest.json" "$dir/manifest.sig" ||
            fatal "airgap bundle $airgap: manifest.sig is missing or does not verify with $KEY_SOURCE (wrong key, or an altered bundle); nothing was unpacked"
        info "air-gap manifest signature ok ($KEY_SOURCE)"
    fi
    # the manifest is canonical JSON (keys sorted, no spaces) from BundleWriter: each file is one {...} object
    entry=$(grep -oE '\{"path":"agent/kubestead-agent-[A-Za-z0-9._+~-]+-linux-'"$ARCH"'\.tar\.gz","sha256":"[0-9a-f]{64}","size":[0-9]{1,15}\}' \
        "$dir/manifest.json" | sort -V | tail -n 1) || entry=""
    [ -n "$entry" ] || fatal "airgap bundle $airgap: its manifest lists no agent/kubestead-agent-*-linux-$ARCH.tar.gz"
    path=${entry#*'"path":"'}
    path=${path%%'"'*}
    sha=${entry#*'"sha256":"'}
    sha=${sha%%'"'*}
    size=${entry##*'"size":'}
    size=${size%'}'}
    BUNDLE=$dir/${path#agent/}
    airgap_member "$airgap" "$path" $((size + 1)) >"$BUNDLE"
    actual=$(wc -c <"$BUNDLE")
    [ "$actual" -eq "$size" ] || fatal "airgap bundle $airgap: $path is $actual bytes, its manifest says $size; nothing was unpacked"
    actual=$("${SHA256[@]}" "$BUNDLE" | awk '{ print $1 }')
    [ "$actual" = "$sha" ] || fatal "checksum mismatch for $path in airgap bundle $airgap: the manifest says $sha, got $actual; nothing was unpacked"
    SUMS=""
    BUNDLE_SHA256=$actual
    info "checksum ok for $path (the air-gap manifest's)"
}

# --- stdout: at most $3 bytes of the first entry named $2 in airgap bundle $1, reading at most $4 bytes of tar
# (all if empty); failures show as missing or short output, which the caller checks ---
airgap_member() {
    # tar stops once it has the entry, so the stages before it may fail writing: only the output counts
    airgap_cat "$1" 2>/dev/null | { if [ -n "${4:-}" ]; then head -c "$4"; else cat; fi; } |
        tar -xOf - --occurrence "$2" 2>/dev/null | head -c "$3" || true
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

# --- a secret join word's value: from the words, else from the file secrets-file=FILE names (token= and cert-key=
# lines, mode 0600: how `kubestead node add` sends them, so they are on no command line) ---
secret_word() {
    local file line
    if word_value "$1"; then return 0; fi
    file=$(word_value secrets-file) || return 1
    if [ ! -f "$file" ] || [ ! -r "$file" ]; then
        fatal_usage "word 'secrets-file=$file': no readable file there"
    fi
    while IFS= read -r line; do
        case $line in "$1"=*) printf '%s\n' "${line#*=}"; return 0 ;; esac
    done < <(head -c 4096 -- "$file")
    return 1
}

# --- an air-gapped join with no bundle beside: the agent bundle from a master's kubestead-bundle-server ---
# The server's chain carries the cluster CA; the CA whose public-key SHA-256 equals ca-hash (kubeadm's pin) is
# the only one curl trusts, and the join token authorises the download. The agent then fetches the rest itself.
fetch_from_master() {
    local masters token hash port master ca auth name
    masters=$(word_value masters) || fatal "airgap join without an air-gap bundle beside install.sh needs masters=IP,... (copy the join command from 'kubestead join-script'), or put the air-gap bundle beside install.sh"
    token=$(secret_word token) || fatal "airgap join needs token=TOKEN (or a secrets-file=FILE holding it)"
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
        # Maven 3.8 writes colour resets even in batch mode: strip escape sequences so a log or pipe stays plain.
        (cd -- "$repo" && mvn -q -B -Dstyle.color=never -DskipTests package </dev/null 2>&1) | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' \
            || fatal "building the agent bundle failed (mvn -q -B -DskipTests package in $repo)"
    fi
    find_bundle_beside "$dist" "built in this source checkout" local
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
    if [ -n "$TRUST_KEY" ]; then
        download "$base/SHA256SUMS.sig" "$TMP_DIR/SHA256SUMS.sig" || fatal "cannot download $base/SHA256SUMS.sig: with a bundle key, SHA256SUMS must be signed (installer sign-sums DIR --key FILE on the server's directory)"
    fi
    check_sums_origin "$TMP_DIR/SHA256SUMS" "$base/SHA256SUMS" "the server at $base"
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
    if [ -z "$SUMS" ]; then return 0; fi # checked against the signed air-gap manifest already
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
    if [ -z "$old" ]; then FRESH_AGENT=yes; fi
    if [ -n "$old" ]; then rm -rf -- "$old"; fi
    info "agent unpacked to $AGENT_DIR"
}

# --- exec the agent: join or install, words verbatim (dry-run made absolute) ---
run_agent() {
    local launcher=$AGENT_DIR/bin/kubestead command=install word rc=0
    local -a args=()
    for word in "${WORDS[@]}"; do
        case $word in
            join) command="join" ;;
            dry-run | --dry-run | dry-run=* | --dry-run=*) args+=("dry-run=$ROOT_DIR") ;;
            *) args+=("$word") ;;
        esac
    done
    # the agent checks the air-gap bundle again: with the key this script checked it with
    if [ -n "$PINNED_KEY" ] && has_word airgap; then
        cp -- "$TRUST_KEY" "$AGENT_DIR/.trusted-bundle-key.pub.tmp"
        mv -f -- "$AGENT_DIR/.trusted-bundle-key.pub.tmp" "$AGENT_DIR/trusted-bundle-key.pub"
        args+=("bundle-public-key=$AGENT_DIR/trusted-bundle-key.pub")
    fi
    cleanup
    trap - EXIT INT TERM
    # the agent prints join commands that download install.sh from where this one came from
    export KUBESTEAD_BASE_URL="${KUBESTEAD_URL:-$KUBESTEAD_BASE_URL}"
    info "running $launcher $command"
    # Piped (curl | bash), stdin is the script, read whole by now: give the agent the terminal for its prompts.
    if [ -z "$SCRIPT_DIR" ] && [ ! -t 0 ]; then
        if { : </dev/tty; } 2>/dev/null; then
            exec </dev/tty
        else
            warn "no terminal: the agent cannot prompt, so every answer must be a word"
        fi
    fi
    if [ -z "$DRY_RUN_DIR" ]; then
        exec 9<&-
        exec "$launcher" "$command" "${args[@]}"
    fi
    # A dry run keeps its lock and waits: if the agent refuses the words (exit 2), what this run made goes.
    "$launcher" "$command" "${args[@]}" 9<&- || rc=$?
    if [ "$rc" -eq 2 ]; then
        if [ -n "$DRY_RUN_CREATED" ]; then
            rm -rf -- "$DRY_RUN_DIR"
        elif [ -n "$FRESH_AGENT" ]; then
            rm -rf -- "$AGENT_DIR"
        fi
    fi
    return "$rc"
}

main() {
    setup_env "$@"
    verify_system
    setup_tmp
    setup_trust
    find_bundle
    verify_bundle
    unpack_bundle
    run_agent
}

}

{ KUBESTEAD_SCRIPT=${BASH_SOURCE[0]:-}; main "$@"; exit; }
