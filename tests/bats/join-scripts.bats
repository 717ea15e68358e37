#!/usr/bin/env bats
# The join scripts the first master writes: shellcheck-clean, mode 0600, the right words per role, and runnable:
# the worker script, run on a "new host", pipes the served install.sh into bash, which runs the agent's join.
# Run: bats tests/bats

load helpers

setup_file() {
    ensure_bundle
    export RELEASE_DIR=$BATS_FILE_TMPDIR/release
    make_release_dir "$RELEASE_DIR"
    start_server "$RELEASE_DIR" "$BATS_FILE_TMPDIR/serve.log"
    export SERVE_PID SERVE_URL
    # The first master, as a dry-run: its join scripts land under MASTER/var/lib/kubestead.
    export MASTER=$BATS_FILE_TMPDIR/master
    curl -fsSL "$SERVE_URL/install.sh" | bash -s ha yes taint-control-plane dry-run="$MASTER" >"$BATS_FILE_TMPDIR/install.log" 2>&1
}

teardown_file() {
    stop_server
}

setup() {
    cd "$BATS_TEST_TMPDIR"
}

@test "both join scripts exist, are mode 0600 and shellcheck-clean" {
    for role in master worker; do
        script=$MASTER/var/lib/kubestead/join-$role.sh
        [ -f "$script" ]
        [ "$(stat -c %a "$script")" = 600 ]
        run shellcheck -s bash "$script"
        echo "$output"
        [ "$status" -eq 0 ]
    done
}

@test "only the master script carries control-plane and the certificate key; both pin the CA and download install.sh" {
    master=$(tail -n 1 "$MASTER/var/lib/kubestead/join-master.sh")
    worker=$(tail -n 1 "$MASTER/var/lib/kubestead/join-worker.sh")
    [[ $master == "curl -fsSL $SERVE_URL/install.sh | bash -s join control-plane "*' "$@"' ]]
    [[ $master == *" cert-key="* ]]
    [[ $master == *" taint-control-plane"* ]]
    [[ $worker == "curl -fsSL $SERVE_URL/install.sh | bash -s join "*' "$@"' ]]
    [[ $worker != *"cert-key="* ]]
    [[ $worker != *"control-plane"* ]]
    hash=$("$MASTER/opt/kubestead/bin/kubestead" certs ca-hash --root "$MASTER")
    [[ $master == *" ca-hash=$hash"* ]]
    [[ $worker == *" ca-hash=$hash"* ]]
    grep -q "Valid until" "$MASTER/var/lib/kubestead/join-worker.sh"
}

@test "the install output names the scripts but prints no secret when not on a terminal" {
    token=$(sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' "$MASTER/var/lib/kubestead/join-secrets.json")
    [ -n "$token" ]
    grep -q "join-worker.sh" "$BATS_FILE_TMPDIR/install.log"
    ! grep -q "$token" "$BATS_FILE_TMPDIR/install.log"
    ! grep -q "$token" "$MASTER/plan.txt"
}

@test "the worker script runs end to end on a new host: install.sh from the server, then the agent's join" {
    # Run as root, the script must not call sudo (a minimal host may have none): this one fails loudly.
    [ "$(id -u)" -eq 0 ] || skip "needs root: the script re-executes itself with sudo otherwise"
    mkdir bin
    printf '#!/usr/bin/env bash\necho "sudo was called" >&2; exit 99\n' >bin/sudo
    chmod 755 bin/sudo
    # words given to the script reach install.sh: dry-run keeps this test off the host
    PATH=$BATS_TEST_TMPDIR/bin:$PATH run bash "$MASTER/var/lib/kubestead/join-worker.sh" dry-run="$BATS_TEST_TMPDIR/worker"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"running $BATS_TEST_TMPDIR/worker/opt/kubestead/bin/kubestead join"* ]]
    [[ $output == *"joined the cluster as a worker"* ]]
    [[ $output != *"sudo was called"* ]]
    grep -q "kubeadm join --config /etc/kubestead/kubeadm-join.yaml" worker/plan.txt
    [ "$(stat -c %a worker/etc/kubestead/kubeadm-join.yaml)" = 600 ]
    grep -q "api.kubernetes.kubestead.internal" worker/etc/hosts
    [ -f worker/etc/kubestead/haproxy/haproxy.cfg ]
}

@test "run by a user who is not root, the script re-executes itself through sudo with its words" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to run the script as another user"
    id nobody >/dev/null 2>&1 || skip "no user nobody to run as"
    # a directory the user nobody can reach (bats' own temporary directories are root's alone)
    dir=$(mktemp -d /tmp/kubestead-sudo.XXXXXX)
    chmod 1777 "$dir"
    mkdir "$dir/bin"
    printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@" >%s/sudo-args\n' "$dir" >"$dir/bin/sudo"
    chmod 755 "$dir/bin" "$dir/bin/sudo"
    cp "$MASTER/var/lib/kubestead/join-worker.sh" "$dir/join-worker.sh"
    chmod 755 "$dir/join-worker.sh"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups env PATH="$dir/bin:$PATH" bash "$dir/join-worker.sh" dry-run=x
    echo "$output"
    args=$(cat "$dir/sudo-args")
    rm -rf "$dir"
    [ "$status" -eq 0 ]
    [ "$args" = "$(printf 'bash\n%s\ndry-run=x' "$dir/join-worker.sh")" ]
}

@test "a join with a malformed token fails with exit 2 and says where to get a new command" {
    run "$MASTER/opt/kubestead/bin/kubestead" join endpoint=api.example.internal:6443 token=abc \
        ca-hash=sha256:0000000000000000000000000000000000000000000000000000000000000000 kubernetes-version=1.33 dry-run=x
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *"join-script"* ]]
    [ ! -e x ]
}
