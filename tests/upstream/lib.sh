# Shared by tests/upstream/build.sh and tools.sh: checks Go, downloads a wrapper module's modules, builds one binary.
# shellcheck shell=bash

fatal() { printf '%s: %s\n' "$(basename "$0")" "$1" >&2; exit "${2:-1}"; }
info() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

require_go() {
    # The official tarball's place, for a root shell whose PATH does not name it.
    if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
        PATH="$PATH:/usr/local/go/bin"
    fi
    local have need
    need="$(sed -n 's/^go \([0-9]*\.[0-9]*\).*/\1/p' "$1/go.mod")"
    command -v go >/dev/null 2>&1 \
        || fatal "go is not in PATH: install Go $need or newer (https://go.dev/dl/) to build the upstream binaries"
    have="$(go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\.[0-9]*\).*/\1/p')"
    [ -n "$have" ] || fatal "cannot tell the version of $(command -v go)"
    if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
        fatal "go $have is too old for $(basename "$1") (needs go $need or newer): install a newer Go"
    fi
}

# Downloads (and checks against go.sum) every module the build needs, so that an unreachable proxy or a changed
# module gives one line instead of a screen of compiler output.
download_modules() {
    local module_dir="$1" log
    log="$(mktemp)"
    if ! (cd "$module_dir" && go mod download -x >/dev/null 2>"$log"); then
        local why
        why="$(grep -v '^#\|^mkdir\|^cd\|^rm\|^mv\|^go: downloading' "$log" | grep . | tail -n1)"
        rm -f "$log"
        fatal "cannot download the modules of $(basename "$module_dir") from GOPROXY=$(go env GOPROXY): ${why:-see go mod download}"
    fi
    rm -f "$log"
}

# build_one MODULE_DIR PACKAGE NAME DEST LDFLAGS [CGO_ENABLED]   (cgo off unless the sixth word is 1)
build_one() {
    local module_dir="$1" package="$2" name="$3" dest="$4" ldflags="$5" cgo="${6:-0}" tmp start
    [ -x "$dest/$name" ] && return 0
    tmp="$dest/.$name.partial.$$"
    start="$(date +%s)"
    info "building $name ($package) into $dest"
    if ! (cd "$module_dir" && CGO_ENABLED="$cgo" GOTOOLCHAIN=local go build -mod=readonly -trimpath -buildvcs=false \
            -ldflags "$ldflags" -o "$tmp" "$package"); then
        rm -f "$tmp"
        fatal "go build of $package failed (see above)"
    fi
    chmod 755 "$tmp"
    mv -f "$tmp" "$dest/$name"
    info "built $name in $(($(date +%s) - start)) s"
}
