#!/usr/bin/env bash
# Builds the other Go programs the lab's images and air-gap bundle need (CoreDNS, flanneld, the CNI plugins, crictl)
# from their published Go modules, and caches them by version outside the checkout:
#   tests/upstream/tools.sh
#   -> ${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}/tools/NAME-VERSION/OUTPUT
# What to build is in tests/upstream/tools; each source is pinned by its committed wrapper module
# (tests/upstream/modules/NAME-VERSION/go.sum). Only what is missing is built, each binary renamed into place.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tests/upstream/lib.sh
. "$here/lib.sh"
cache="${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}/tools"

mkdir -p "$cache"
# One build at a time per cache: a second run waits, then finds the binaries (worktrees of one machine share it).
exec 9>"$cache/.lock"
flock 9
built_go=""
grep -v '^[[:space:]]*#' "$here/tools" | grep . | while read -r name version output package variable link; do
    module_dir="$here/modules/$name-$version"
    dest="$cache/$name-$version"
    [ -x "$dest/$output" ] && continue
    if [ ! -f "$module_dir/go.mod" ] || [ ! -f "$module_dir/go.sum" ]; then
        fatal "no wrapper module $module_dir: run tests/upstream/wrapper.sh tool for it and commit the result" 2
    fi
    if [ -z "$built_go" ]; then
        built_go=1
        require_go "$module_dir"
    fi
    mkdir -p "$dest"
    rm -f "$dest"/.*.partial.* 2>/dev/null || true
    download_modules "$module_dir"
    ldflags="-s -w"
    [ "$variable" = - ] || ldflags="$ldflags -X $variable=$version"
    case "$link" in
    static) build_one "$module_dir" "$package" "$output" "$dest" "$ldflags" ;;
    cgo-static) build_one "$module_dir" "$package" "$output" "$dest" "$ldflags -linkmode external -extldflags -static" 1 ;;
    *) fatal "$here/tools: $name $output: LINK must be static or cgo-static, not '$link'" 2 ;;
    esac
done
info "tools: every binary is in $cache"
