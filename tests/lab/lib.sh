#!/usr/bin/env bash
# The node lab: node containers like kind's, made with systemd-nspawn on one machine. Each node has its own copy of
# a Debian root filesystem (debootstrap, cached), systemd as PID 1, its own hostname, machine-id, product_uuid,
# cgroup in every v1 hierarchy and address on a private bridge. Sourced by tests/lab/lab.sh and the lab's tests.
# Everything the lab makes is named in LAB_STATE so `lab.sh down` removes it even after a killed run.

LAB_CACHE=${LAB_CACHE:-/var/cache/kubestead/lab}
LAB_ROOT=${LAB_ROOT:-/var/lib/kubestead-lab}
LAB_STATE=${LAB_STATE:-$LAB_ROOT/state}
LAB_BRIDGE=${LAB_BRIDGE:-klab0}
LAB_NET=${LAB_NET:-10.77.0}
LAB_MIRROR=${LAB_MIRROR:-http://deb.debian.org/debian}
LAB_SUITE=${LAB_SUITE:-bookworm}
LAB_CGROUP=${LAB_CGROUP:-kubestead-lab}
# What a node needs besides the product's air-gap bundle (containerd, runc and the Kubernetes binaries come from it).
LAB_PACKAGES="systemd systemd-sysv dbus iproute2 iptables kmod conntrack socat ethtool ebtables curl openssl
ca-certificates procps util-linux mount iputils-ping zstd gzip tar gawk"
# Host-wide sysctls a node can change (kubelet and systemd-sysctl write some): saved at `up`, restored at `down`.
LAB_HOST_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
kernel.keys.root_maxbytes kernel.pid_max kernel.sysrq kernel.core_pattern kernel.kptr_restrict fs.inotify.max_user_instances
fs.inotify.max_user_watches fs.protected_regular fs.protected_fifos fs.protected_hardlinks fs.protected_symlinks
fs.file-max"

lab_info() { printf 'lab: %s\n' "$*" >&2; }
lab_warn() { printf 'lab: warning: %s\n' "$*" >&2; }
lab_fatal() {
    printf 'lab: %s\n' "$*" >&2
    exit 1
}

lab_need_root() {
    [ "$(id -u)" -eq 0 ] || lab_fatal "the lab makes containers, bridges and cgroups: run it as root"
}

# --- the root filesystem ---------------------------------------------------------------------------------------

# One package a line.
lab_packages() {
    local p
    # shellcheck disable=SC2086 # one word per package
    for p in $LAB_PACKAGES; do printf '%s\n' "$p"; done
}

lab_rootfs_key() {
    printf '%s %s %s\n' "$LAB_SUITE" "$LAB_MIRROR" "$(lab_packages | sort | tr '\n' ' ')" |
        sha256sum | cut -c1-16
}

lab_rootfs_tar() { printf '%s/rootfs-%s.tar\n' "$LAB_CACHE" "$(lab_rootfs_key)"; }

# Makes the cached root filesystem once: debootstrap, then what every node shares (no sysctl defaults that would
# change the host, no getty, journald in memory).
lab_rootfs() {
    local tar dir
    tar=$(lab_rootfs_tar)
    [ -s "$tar" ] && { printf '%s\n' "$tar"; return 0; }
    command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || lab_fatal "debootstrap is missing: apt-get install debootstrap"
    mkdir -p "$LAB_CACHE"
    dir=$(mktemp -d "$LAB_CACHE/rootfs.XXXXXX")
    lab_info "debootstrap $LAB_SUITE into $dir (once; cached as $tar)"
    if ! /usr/sbin/debootstrap --variant=minbase --include="$(lab_packages | paste -sd,)" \
        "$LAB_SUITE" "$dir" "$LAB_MIRROR" >"$dir.log" 2>&1; then
        tail -n 20 "$dir.log" >&2
        rm -rf "$dir" "$dir.log"
        lab_fatal "debootstrap failed (log above): check that $LAB_MIRROR is reachable"
    fi
    lab_rootfs_trim "$dir"
    tar -C "$dir" --numeric-owner -cf "$tar.part" .
    mv "$tar.part" "$tar"
    rm -rf "$dir" "$dir.log"
    printf '%s\n' "$tar"
}

lab_rootfs_trim() {
    local dir=$1 unit
    for unit in getty@tty1.service console-getty.service systemd-timesyncd.service apt-daily.timer \
        apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
        ln -sf /dev/null "$dir/etc/systemd/system/$unit"
    done
    mkdir -p "$dir/etc/systemd/journald.conf.d"
    printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n' >"$dir/etc/systemd/journald.conf.d/lab.conf"
    rm -f "$dir/etc/machine-id" "$dir/var/lib/dbus/machine-id"
    apt_clean "$dir"
}

apt_clean() {
    rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages
}

# --- state: every made thing is recorded so that `down` finds it after a killed run -----------------------------

lab_node_dir() { printf '%s/nodes/%s\n' "$LAB_ROOT" "$1"; }

lab_nodes() {
    local d
    [ -d "$LAB_ROOT/nodes" ] || return 0
    for d in "$LAB_ROOT"/nodes/*/; do
        [ -d "$d" ] && basename "$d"
    done
    return 0
}

lab_hierarchies() {
    local h
    for h in /sys/fs/cgroup/*/; do
        h=${h%/}
        # unified too: on a hybrid host systemd-nspawn places itself and the node by their cgroup there.
        [ -f "$h/cgroup.procs" ] && printf '%s\n' "$h"
    done
    return 0
}

# --- host sysctls ------------------------------------------------------------------------------------------------

lab_sysctls_save() {
    local key
    mkdir -p "$LAB_STATE"
    [ -f "$LAB_STATE/sysctls" ] && return 0
    for key in $LAB_HOST_SYSCTLS; do
        [ -r "/proc/sys/${key//./\/}" ] && printf '%s\t%s\n' "$key" "$(cat "/proc/sys/${key//./\/}")"
    done >"$LAB_STATE/sysctls.part"
    mv "$LAB_STATE/sysctls.part" "$LAB_STATE/sysctls"
}

# Puts back what a node changed (kubelet writes vm.overcommit_memory, kernel.panic and friends, and they are the
# host's: this kernel does not namespace them).
lab_sysctls_restore() {
    local key value path
    [ -f "$LAB_STATE/sysctls" ] || return 0
    while IFS=$'\t' read -r key value; do
        path=/proc/sys/${key//./\/}
        if [ "$(cat "$path")" != "$value" ]; then
            lab_info "restoring host sysctl $key=$value (was $(tr '\t' ' ' <"$path"))"
            printf '%s\n' "$value" >"$path" || lab_warn "could not restore $key"
        fi
    done <"$LAB_STATE/sysctls"
    rm -f "$LAB_STATE/sysctls"
}

# --- the bridge --------------------------------------------------------------------------------------------------

lab_bridge_up() {
    ip link show "$LAB_BRIDGE" >/dev/null 2>&1 && return 0
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
    ip link set "$LAB_BRIDGE" up
}

lab_bridge_down() {
    ip link show "$LAB_BRIDGE" >/dev/null 2>&1 || return 0
    ip link del "$LAB_BRIDGE"
}

# --- cgroups -----------------------------------------------------------------------------------------------------

# One cgroup per node in every v1 hierarchy, so that the nodes' kubelets do not share /kubepods.
lab_cgroup_make() {
    local node=$1 h
    while read -r h; do
        mkdir -p "$h/$LAB_CGROUP/$node"
        if [ -f "$h/cpuset.cpus" ]; then
            cat "$h/cpuset.cpus" >"$h/$LAB_CGROUP/cpuset.cpus"
            cat "$h/cpuset.mems" >"$h/$LAB_CGROUP/cpuset.mems"
            cat "$h/cpuset.cpus" >"$h/$LAB_CGROUP/$node/cpuset.cpus"
            cat "$h/cpuset.mems" >"$h/$LAB_CGROUP/$node/cpuset.mems"
        fi
    done < <(lab_hierarchies)
}

lab_cgroup_enter() {
    local node=$1 pid=$2 h
    while read -r h; do
        printf '%s\n' "$pid" >"$h/$LAB_CGROUP/$node/cgroup.procs"
    done < <(lab_hierarchies)
}

# Every process left in a cgroup tree (a dead node's kubelet or shim would keep it).
lab_cgroup_pids() {
    local top=$1 h
    while read -r h; do
        [ -d "$h/$top" ] && find "$h/$top" -name cgroup.procs -exec cat {} +
    done < <(lab_hierarchies)
    return 0
}

# Removes a cgroup tree in every hierarchy, deepest first.
lab_cgroup_remove() {
    local top=$1 h
    while read -r h; do
        [ -d "$h/$top" ] || continue
        find "$h/$top" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [ -d "$h/$top" ] && lab_warn "cgroup $h/$top is still there"
    done < <(lab_hierarchies)
    return 0
}

# --- nodes -------------------------------------------------------------------------------------------------------

lab_node_addr() { printf '%s.%s\n' "$LAB_NET" "$((10 + $1))"; }

# The node's PID 1 as the host sees it: the process in the node's cgroup whose own pid namespace calls it 1.
lab_node_pid() {
    local node=$1 pid procs
    procs=/sys/fs/cgroup/systemd/$LAB_CGROUP/$node
    [ -d "$procs" ] || return 1
    for pid in $(find "$procs" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -n); do
        if grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$pid/status" 2>/dev/null; then
            printf '%s\n' "$pid"
            return 0
        fi
    done
    return 1
}

lab_node_write_files() {
    local node=$1 index=$2 root=$3 nodes=$4 n i=0
    # systemd's and procps's sysctl defaults set kernel.* and fs.* values, which are the host's: a node keeps only
    # the files the product writes.
    rm -f "$root"/usr/lib/sysctl.d/*.conf "$root"/etc/sysctl.d/*.conf
    printf '%s\n' "$node" >"$root/etc/hostname"
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
    printf '\n' >>"$root/etc/machine-id"
    {
        printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
        for n in $nodes; do
            i=$((i + 1))
            printf '%s %s\n' "$(lab_node_addr "$i")" "$n"
        done
    } >"$root/etc/hosts"
    # No DNS in the lab (it is air-gapped); the bridge's address refuses queries at once.
    printf 'nameserver %s.1\n' "$LAB_NET" >"$root/etc/resolv.conf"
    printf 'LAB_ADDR=%s\nLAB_GATEWAY=%s.1\n' "$(lab_node_addr "$index")" "$LAB_NET" >"$root/etc/lab-node.env"
    install -m 0755 "$(dirname "${BASH_SOURCE[0]}")/node-init" "$root/usr/local/sbin/lab-init"
}

# lab_node_start NODE INDEX "ALL NODES": copies the root filesystem and boots it.
lab_node_start() {
    local node=$1 index=$2 nodes=$3 dir tar
    dir=$(lab_node_dir "$node")
    tar=$(lab_rootfs)
    [ ! -e "$dir" ] || lab_fatal "node $node exists already ($dir): run tests/lab/lab.sh down first"
    mkdir -p "$dir/rootfs"
    tar -C "$dir/rootfs" --numeric-owner -xf "$tar"
    chmod 0755 "$dir/rootfs"
    cat /proc/sys/kernel/random/uuid >"$dir/product_uuid"
    lab_node_write_files "$node" "$index" "$dir/rootfs" "$nodes"
    lab_node_boot "$node"
}

# Boots a node's root filesystem (again, after lab_node_kill: as powering a host on).
lab_node_boot() {
    local node=$1 dir uuid=()
    dir=$(lab_node_dir "$node")
    ! lab_node_pid "$node" >/dev/null || lab_fatal "node $node is running already"
    # kubeadm and the kubelet read it; every node would see the host's. A host without DMI (many VMs) has none to
    # cover, and sysfs cannot make one.
    [ -e /sys/class/dmi/id/product_uuid ] && uuid=(--bind-ro="$dir/product_uuid:/sys/class/dmi/id/product_uuid")
    lab_cgroup_make "$node"
    (
        lab_cgroup_enter "$node" "$BASHPID"
        SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=0 exec systemd-nspawn --quiet \
            --directory="$dir/rootfs" --machine="$node" --hostname="$node" \
            --register=no --keep-unit --capability=all --system-call-filter="@keyring bpf" \
            --bind=/dev/kmsg "${uuid[@]}" \
            --network-bridge="$LAB_BRIDGE" --resolv-conf=off --timezone=off --link-journal=no \
            --kill-signal=SIGRTMIN+3 --console=pipe \
            /usr/local/sbin/lab-init </dev/null >>"$dir/console.log" 2>&1
    ) &
    printf '%s\n' "$!" >"$dir/nspawn.pid"
}

# Waits until systemd in the node has finished starting up (running or degraded).
lab_node_wait() {
    local node=$1 timeout=${2:-120} state i
    for ((i = 0; i < timeout; i++)); do
        state=$(lab_exec "$node" systemctl is-system-running 2>/dev/null || true)
        case $state in
            running | degraded) return 0 ;;
        esac
        sleep 1
    done
    tail -n 30 "$(lab_node_dir "$node")/console.log" >&2 || true
    lab_fatal "node $node did not finish booting in ${timeout}s (state: ${state:-none})"
}

# lab_exec NODE COMMAND...: runs a command inside the node, in all its namespaces and its cgroup.
lab_exec() {
    local node=$1 pid
    shift
    pid=$(lab_node_pid "$node") || {
        echo "lab: node $node is not running" >&2
        return 1
    }
    (
        lab_cgroup_enter "$node" "$BASHPID"
        exec nsenter --target "$pid" --mount --uts --ipc --net --pid --root --wd -- \
            /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb "$@"
    )
}

# Stops a node at once, as pulling its power would: SIGKILL to its PID 1 ends everything in it (SIGKILL to
# systemd-nspawn would leave the node running).
lab_node_kill() {
    local node=$1 dir pid pids i
    dir=$(lab_node_dir "$node")
    if pid=$(lab_node_pid "$node"); then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    if [ -f "$dir/nspawn.pid" ]; then
        pid=$(cat "$dir/nspawn.pid")
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    # Whatever escaped (nothing should: all of it was in the node's pid namespace), then wait for the kernel to
    # reap them, so that their cgroups can go.
    for ((i = 0; i < 100; i++)); do
        pids=$(lab_cgroup_pids "$LAB_CGROUP/$node")
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086 # one word per pid
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    lab_warn "processes of node $node outlived it: $pids"
}

lab_node_remove() {
    local node=$1 dir
    dir=$(lab_node_dir "$node")
    lab_node_kill "$node"
    lab_cgroup_remove "$LAB_CGROUP/$node"
    # A node's mounts live in its own mount namespace; nothing of it should be mounted here, but check.
    if grep -q " $dir/" /proc/self/mounts; then
        awk -v d="$dir/" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r -n1 umount -l
    fi
    rm -rf "$dir"
}

# --- the whole lab -----------------------------------------------------------------------------------------------

# lab_up NODE...: boots the nodes (in parallel) and waits for systemd in each.
lab_up() {
    local nodes="$*" node i=0
    lab_need_root
    lab_rootfs >/dev/null
    lab_sysctls_save
    lab_bridge_up
    for node in $nodes; do
        i=$((i + 1))
        lab_node_start "$node" "$i" "$nodes"
    done
    for node in $nodes; do
        lab_node_wait "$node"
        lab_info "node $node is up at $(lab_node_addr "$(lab_index "$node" "$nodes")")"
    done
}

lab_index() {
    local want=$1 nodes=$2 n i=0
    for n in $nodes; do
        i=$((i + 1))
        [ "$n" = "$want" ] && { printf '%s\n' "$i"; return 0; }
    done
    return 1
}

# Removes everything the lab made, whatever state a run left it in.
lab_down() {
    local node
    for node in $(lab_nodes); do
        lab_node_remove "$node"
    done
    for pid in $(lab_cgroup_pids "$LAB_CGROUP"); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    lab_cgroup_remove "$LAB_CGROUP"
    lab_bridge_down
    lab_sysctls_restore
    rm -rf "$LAB_ROOT/nodes" "$LAB_STATE"
    rmdir "$LAB_ROOT" 2>/dev/null || true
}
