#!/usr/bin/env bash
# The node lab by hand (run as root):
#   tests/lab/lab.sh rootfs              makes the cached node root filesystem (debootstrap, once)
#   tests/lab/lab.sh up NODE...          boots the nodes on the lab bridge and waits for systemd in each
#   tests/lab/lab.sh exec NODE CMD...    runs a command in a node
#   tests/lab/lab.sh stop NODE           kills a node at once (its PID 1), keeping its files
#   tests/lab/lab.sh down                removes every node, the bridge, the cgroups and restores host sysctls,
#                                        also after a killed run
set -eu
# shellcheck source=tests/lab/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
    echo "usage: lab.sh rootfs | up NODE... | exec NODE CMD... | stop NODE | down" >&2
    exit 2
}

main() {
    [ $# -gt 0 ] || usage
    local cmd=$1
    shift
    lab_need_root
    case $cmd in
        rootfs) lab_rootfs ;;
        up)
            [ $# -gt 0 ] || usage
            lab_up "$@"
            ;;
        exec)
            [ $# -gt 1 ] || usage
            lab_exec "$@"
            ;;
        stop)
            [ $# -eq 1 ] || usage
            lab_node_kill "$1"
            ;;
        down) lab_down ;;
        *) usage ;;
    esac
}

main "$@"
