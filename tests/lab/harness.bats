#!/usr/bin/env bats
# The node lab itself: two nodes boot systemd, differ in what kubeadm tells apart, reach each other over the bridge,
# one is killed without touching the other, and `down` leaves nothing behind. Root only (containers, bridges,
# cgroups); the root filesystem is made once and cached (debootstrap, a few minutes the first time).

setup_file() {
    [ "$(id -u)" -eq 0 ] || skip "the lab needs root"
    export LAB_ROOT=/var/lib/kubestead-lab-selftest LAB_BRIDGE=klabt0 LAB_NET=10.78.0 LAB_CGROUP=kubestead-lab-selftest
    LAB=$BATS_TEST_DIRNAME/lab.sh
    export LAB
    "$LAB" down
    cat /proc/sys/fs/protected_regular >"$BATS_FILE_TMPDIR/protected_regular"
    "$LAB" up n1 n2 >&3 2>&1
}

teardown_file() {
    [ "$(id -u)" -eq 0 ] || return 0
    "$LAB" down
}

@test "systemd runs as PID 1 in each node, with its own hostname, machine-id and address" {
    for n in n1 n2; do
        run "$LAB" exec "$n" systemctl is-system-running
        [ "$output" = running ]
        run "$LAB" exec "$n" hostname
        [ "$output" = "$n" ]
        run "$LAB" exec "$n" cat /proc/1/comm
        [ "$output" = systemd ]
    done
    [ "$("$LAB" exec n1 cat /etc/machine-id)" != "$("$LAB" exec n2 cat /etc/machine-id)" ]
    "$LAB" exec n2 ip -4 -o addr show host0 | grep -q ' 10.78.0.12/24 '
}

@test "the nodes reach each other over the bridge, by name" {
    "$LAB" exec n1 ping -c1 -W2 n2
    "$LAB" exec n2 ping -c1 -W2 10.78.0.11
}

@test "each node has its own writable cgroup in every hierarchy and a writable /proc/sys" {
    for h in memory cpu pids systemd; do
        [ -d "/sys/fs/cgroup/$h/kubestead-lab-selftest/n1" ]
        "$LAB" exec n1 mkdir "/sys/fs/cgroup/$h/lab-probe"
        # (in the systemd hierarchy below the node's payload group, which systemd-nspawn makes)
        [ -n "$(find "/sys/fs/cgroup/$h/kubestead-lab-selftest/n1" -maxdepth 2 -type d -name lab-probe)" ]
        "$LAB" exec n1 rmdir "/sys/fs/cgroup/$h/lab-probe"
    done
    "$LAB" exec n1 sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    [ "$("$LAB" exec n2 cat /proc/sys/net/ipv4/ip_forward)" = 0 ] # per node: the network namespace's own
}

@test "a killed node is gone at once and the other keeps running" {
    "$LAB" stop n1
    run "$LAB" exec n1 true
    [ "$status" -ne 0 ]
    [[ "$output" == *"node n1 is not running"* ]]
    [ -z "$(find /sys/fs/cgroup/memory/kubestead-lab-selftest/n1 -name cgroup.procs -exec cat {} +)" ]
    run "$LAB" exec n2 systemctl is-system-running
    [ "$output" = running ]
}

@test "down removes nodes, bridge, cgroups and files, and restores the host sysctls a node changed" {
    "$LAB" exec n2 sh -c 'echo 2 > /proc/sys/fs/protected_regular' # a node writing a host-wide sysctl
    "$LAB" down
    [ "$(cat /proc/sys/fs/protected_regular)" = "$(cat "$BATS_FILE_TMPDIR/protected_regular")" ]
    ! ip link show klabt0 2>/dev/null
    ! ls -d /sys/fs/cgroup/*/kubestead-lab-selftest 2>/dev/null
    [ ! -e /var/lib/kubestead-lab-selftest ]
    ! pgrep -f 'machine=n[12] ' >/dev/null
}
