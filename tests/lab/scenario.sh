#!/usr/bin/env bash
# The product on real hosts: an air-gapped HA cluster from install.sh on four lab nodes (tests/lab/lib.sh), each
# step asserted, with its figures (bench/README.md). Root; the signed 1.34.4 air-gap bundle with its install.sh from
# tests/lab/airgap-bundle.sh (or KUBESTEAD_LAB_BUNDLE=DIR holding both).
#   1. node1: install.sh airgap ha taint-control-plane (internal balancer): Ready, Flannel and CoreDNS running
#   2. node2 and node3 run the master join script at the same moment: both join, etcd has 3 voting members
#   3. node4 runs the worker join script: a test Deployment lands only on node4, a pod resolves a Service through
#      CoreDNS and reaches a pod on a master through Flannel
#   4. node1 stops: kubectl through node4's local balancer keeps working (its gap measured), etcd keeps quorum;
#      node1 boots again and comes back
#   5. kubestead reset on node3 removes its etcd member first: 2 masters, etcd healthy with 2 members; kubestead
#      status says that losing one more master stops the API
#   6. install.sh ha again on node2 (a joined master) says it joined and changes nothing
#   7. the online path (curl .../install.sh | bash -s ha kubernetes-version=1.34 yes from installer serve) on a fresh node5: the agent
#      bundle comes from the server and is checked, the agent runs, and the install stops at the first package
#      download (the lab has no route out); nothing of Kubernetes is left half-made
# LAB_KEEP=1 leaves the nodes running at the end (tests/lab/lab.sh down removes them); LAB_RESULTS=FILE is where the
# figures go (default: $LAB_CACHE/results/scenario-TIME.txt). LAB_STEPS=N stops after step N; LAB_FROM_STEP=N
# starts at step N on the nodes a LAB_KEEP=1 run left (for working on one step).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lab/lib.sh
. "$here/lib.sh"

NODES="node1 node2 node3 node4"
ADMIN=/etc/kubernetes/admin.conf
WORK=/root/kubestead
STEP=0
STEP_TITLE="setting up"
LAB_STEPS=${LAB_STEPS:-7}
LAB_FROM_STEP=${LAB_FROM_STEP:-1}
RESULTS=${LAB_RESULTS:-$LAB_CACHE/results/scenario-$(date -u +%Y%m%dT%H%M%SZ).txt}
LOGS=${RESULTS%.txt}.logs

info() { printf 'scenario: %s\n' "$*" >&2; }

fail() {
    printf 'scenario: FAILED at step %s (%s): %s\n' "$STEP" "$STEP_TITLE" "$*" >&2
    exit 1
}

step() {
    STEP=$1
    STEP_TITLE=$2
    [ "$STEP" -le "$LAB_STEPS" ] || {
        info "stopping before step $STEP (LAB_STEPS=$LAB_STEPS)"
        exit 0
    }
    info "--- step $STEP: $STEP_TITLE"
}

now() { date +%s.%N; }

# seconds SINCE [UNTIL]: elapsed seconds with one decimal.
seconds() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f\n", b - a }'; }

record() {
    printf '%s=%s\n' "$1" "$2" >>"$RESULTS"
    info "figure: $1=$2"
}

# wait_for SECONDS WHAT COMMAND...: until the command succeeds.
wait_for() {
    local limit=$1 what=$2 start
    shift 2
    start=$(date +%s)
    until "$@" >/dev/null 2>&1; do
        [ $(($(date +%s) - start)) -lt "$limit" ] || fail "$what: not after ${limit}s"
        sleep 2
    done
}

kctl() {
    local node=$1
    shift
    lab_exec "$node" kubectl --kubeconfig "$ADMIN" "$@"
}

# copy_in NODE FILE DEST-DIR: puts a file into a node's filesystem (the node sees it at once).
copy_in() {
    local dest
    dest=$(lab_node_dir "$1")/rootfs$3
    mkdir -p "$dest"
    cp "$2" "$dest/"
}

node_file() { printf '%s/rootfs%s\n' "$(lab_node_dir "$1")" "$2"; }

node_ready() {
    kctl "$1" get node "$2" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True
}

pods_running() {
    local node=$1 selector=$2 want=$3 phases
    phases=$(kctl "$node" get pods -A -l "$selector" -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}')
    [ "$(printf '%s\n' "$phases" | grep -c '^Running$')" -ge "$want" ]
}

etcdctl_on() {
    local node=$1
    shift
    lab_exec "$node" lab-etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt \
        --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key \
        --command-timeout=5s "$@"
}

voting_members() {
    etcdctl_on "$1" member list -w json | tr ',' '\n' | grep -c '"name"' || true
}

learners() {
    etcdctl_on "$1" member list -w json | grep -o '"isLearner":true' | wc -l
}

# The peak of each node's memory cgroup so far (the node and everything in it, page cache included: the extracted
# bundle and the images count), and its resident memory without page cache now.
record_memory() {
    local node dir
    for node in $NODES; do
        dir=/sys/fs/cgroup/memory/$LAB_CGROUP/$node
        [ -r "$dir/memory.max_usage_in_bytes" ] || continue
        record "peak_memory_with_cache_mib_$node" "$(($(cat "$dir/memory.max_usage_in_bytes") / 1048576))"
        record "rss_mib_$node" "$(awk '$1 == "total_rss" { print int($2 / 1048576) }' "$dir/memory.stat")"
    done
    return 0
}

diagnose() {
    local node
    info "diagnostics in $LOGS"
    for node in $NODES; do
        lab_node_pid "$node" >/dev/null 2>&1 || continue
        lab_exec "$node" journalctl --no-pager -n 300 >"$LOGS/$node-journal.txt" 2>&1 || true
        lab_exec "$node" sh -c 'crictl ps -a 2>&1; tail -n 100 /var/log/kubestead/*.log' >"$LOGS/$node-state.txt" 2>&1 || true
    done
    kctl node2 get pods -A -o wide >"$LOGS/pods.txt" 2>&1 || kctl node1 get pods -A -o wide >"$LOGS/pods.txt" 2>&1 || true
}

finish() {
    local rc=$?
    trap - EXIT
    [ "$rc" -eq 0 ] || diagnose
    if [ -f "$RESULTS" ]; then
        record_memory
        info "figures in $RESULTS:"
        cat "$RESULTS" >&2
    fi
    if [ "${LAB_KEEP:-0}" = 1 ]; then
        info "LAB_KEEP=1: the nodes keep running; tests/lab/lab.sh down removes them"
    else
        lab_down
    fi
    exit "$rc"
}

bundle_dir() {
    if [ -n "${KUBESTEAD_LAB_BUNDLE:-}" ]; then
        printf '%s\n' "$KUBESTEAD_LAB_BUNDLE"
    elif [ -x "$here/airgap-bundle.sh" ]; then
        "$here/airgap-bundle.sh"
    else
        lab_fatal "no air-gap bundle: set KUBESTEAD_LAB_BUNDLE=DIR (the bundle and its install.sh) or add tests/lab/airgap-bundle.sh"
    fi
}

# --- the steps -----------------------------------------------------------------------------------------------------

# install.sh, the bundle and the test tools on every node; the bundle only on node1 (the others fetch it from a master).
prepare() {
    local bundle=$1 node archive
    for node in $NODES; do
        copy_in "$node" "$bundle/install.sh" "$WORK"
        install -m 0755 "/var/cache/kubestead/upstream/v1.34.4/etcdctl" "$(node_file "$node" /usr/local/bin)/lab-etcdctl"
        copy_in "$node" "$TEST_IMAGE" /root
    done
    for archive in "$bundle"/kubestead-airgap-*.tar*; do
        [ -f "$archive" ] || lab_fatal "$bundle has no kubestead-airgap-*.tar* bundle"
        copy_in node1 "$archive" "$WORK"
    done
}

# in_work NODE SCRIPT WORDS...: runs a script of the node's work directory there, as a user does (bash SCRIPT).
in_work() {
    local node=$1
    shift
    lab_exec "$node" bash -c "cd $WORK && exec bash \"\$@\"" in-work "$@"
}

# install_on NODE LOG WORDS...
install_on() {
    local node=$1 log=$2
    shift 2
    in_work "$node" install.sh "$@" >"$log" 2>&1
}

step1() {
    local start
    step 1 "node1: install.sh airgap ha taint-control-plane, internal balancer"
    start=$(now)
    install_on node1 "$LOGS/node1-install.log" airgap ha taint-control-plane yes ||
        fail "install.sh exited $? on node1: $(tail -n 3 "$LOGS/node1-install.log" | tr '\n' ' ')"
    record install_node1_s "$(seconds "$start")"
    wait_for 300 "node1 Ready" node_ready node1 node1
    record first_ready_master_s "$(seconds "$start")"
    wait_for 300 "Flannel running on node1" pods_running node1 app=flannel 1
    wait_for 300 "CoreDNS running" pods_running node1 k8s-app=kube-dns 2
    record flannel_coredns_running_s "$(seconds "$start")"
    [ -s "$(node_file node1 /var/lib/kubestead/join-master.sh)" ] || fail "node1 wrote no join-master.sh"
}

join_master() {
    local node=$1 start
    start=$(now)
    in_work "$node" join-master.sh yes >"$LOGS/$node-join.log" 2>&1 || {
        echo "exit $?" >"$LOGS/$node-join.rc"
        return 1
    }
    seconds "$start" >"$LOGS/$node-join.seconds"
}

step2() {
    local start node pids=""
    step 2 "node2 and node3 run the master join script at the same moment"
    for node in node2 node3; do
        copy_in "$node" "$(node_file node1 /var/lib/kubestead/join-master.sh)" "$WORK"
    done
    start=$(now)
    for node in node2 node3; do
        join_master "$node" &
        pids="$pids $!"
    done
    for node in node2 node3; do
        # shellcheck disable=SC2086 # one pid a word
        set -- $pids
        wait "$1" || fail "the master join on $node failed: $(tail -n 3 "$LOGS/$node-join.log" | tr '\n' ' ')"
        pids=${pids#* "$1"}
        record "join_master_${node}_s" "$(cat "$LOGS/$node-join.seconds")"
    done
    record join_two_racing_masters_s "$(seconds "$start")"
    for node in node2 node3; do
        wait_for 300 "$node Ready" node_ready node1 "$node"
    done
    [ "$(voting_members node1)" -eq 3 ] || fail "etcd has $(voting_members node1) members, not 3"
    [ "$(learners node1)" -eq 0 ] || fail "etcd still has a learner"
    etcdctl_on node1 endpoint health --cluster >>"$LOGS/etcd.txt" 2>&1 || fail "etcd is not healthy: $(tail -n 3 "$LOGS/etcd.txt")"
}

test_manifests() {
    cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: $TEST_IMAGE_REF, imagePullPolicy: Never, command: [/bin/busybox, httpd, -f, -p, "8080", -h, /www]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: on-master, namespace: default, labels: {app: on-master}}
spec:
  nodeName: node2
  tolerations: [{operator: Exists}]
  containers:
  - {name: web, image: $TEST_IMAGE_REF, imagePullPolicy: Never, command: [/bin/busybox, httpd, -f, -p, "8080", -h, /www]}
EOF
}

import_test_image() {
    lab_exec "$1" ctr -n k8s.io images import "/root/$(basename "$TEST_IMAGE")" >>"$LOGS/test-image.log" 2>&1 ||
        fail "the test image did not import on $1: $(tail -n 2 "$LOGS/test-image.log")"
}

# http_get POD ADDRESS PORT: the test page, fetched from inside the pod.
http_get() {
    # shellcheck disable=SC2016 # expanded by the pod's shell
    kctl node1 exec "$1" -- /bin/busybox sh -c 'printf "GET /index.html HTTP/1.0\r\n\r\n" | /bin/busybox timeout 10 /bin/busybox nc "$0" "$1"' "$2" "$3" |
        tr -d '\r'
}

step3() {
    local start nodes web master_ip service_ip
    step 3 "node4 joins as a worker; a Deployment lands only there; DNS through CoreDNS, pod to pod through Flannel"
    copy_in node4 "$(node_file node1 /var/lib/kubestead/join-worker.sh)" "$WORK"
    start=$(now)
    in_work node4 join-worker.sh yes >"$LOGS/node4-join.log" 2>&1 ||
        fail "the worker join on node4 failed: $(tail -n 3 "$LOGS/node4-join.log" | tr '\n' ' ')"
    record join_worker_node4_s "$(seconds "$start")"
    wait_for 300 "node4 Ready" node_ready node1 node4
    import_test_image node4
    import_test_image node2
    test_manifests >"$(node_file node1 /root)/lab-test.yaml"
    kctl node1 apply -f /root/lab-test.yaml >>"$LOGS/test-pods.log" 2>&1 || fail "kubectl apply failed: $(tail -n 2 "$LOGS/test-pods.log")"
    wait_for 240 "the test Deployment running" pods_running node1 app=web 2
    wait_for 240 "the test pod on node2 running" pods_running node1 app=on-master 1
    nodes=$(kctl node1 get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u)
    [ "$nodes" = node4 ] || fail "the Deployment's pods run on $(echo "$nodes" | tr '\n' ' ') (the masters are tainted: node4 only)"
    web=$(kctl node1 get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
    kctl node1 exec "$web" -- /bin/busybox nslookup web.default.svc.cluster.local >"$LOGS/dns.txt" 2>&1 ||
        fail "a pod could not resolve web.default.svc.cluster.local through CoreDNS: $(tr '\n' ' ' <"$LOGS/dns.txt")"
    service_ip=$(kctl node1 get svc web -o jsonpath='{.spec.clusterIP}')
    grep -q "Address: $service_ip\$" "$LOGS/dns.txt" || fail "CoreDNS answered $(tr '\n' ' ' <"$LOGS/dns.txt"), not $service_ip"
    # (busybox's own HTTP client crashes in a static build resolving names: nc with the addresses DNS gave)
    http_get "$web" "$service_ip" 80 >"$LOGS/svc.txt" 2>&1 ||
        fail "a pod could not reach the Service web at $service_ip: $(tr '\n' ' ' <"$LOGS/svc.txt")"
    grep -qx lab "$LOGS/svc.txt" || fail "the Service web answered '$(tr '\n' ' ' <"$LOGS/svc.txt")'"
    master_ip=$(kctl node1 get pod on-master -o jsonpath='{.status.podIP}')
    http_get "$web" "$master_ip" 8080 >"$LOGS/flannel.txt" 2>&1 ||
        fail "a pod on node4 could not reach the pod $master_ip on node2 through Flannel: $(tr '\n' ' ' <"$LOGS/flannel.txt")"
    grep -qx lab "$LOGS/flannel.txt" || fail "the pod on node2 answered '$(tr '\n' ' ' <"$LOGS/flannel.txt")'"
}

# Asks the API through node4's local balancer twice a second, one line per answer: TIME ok|fail.
# probe_api END [NODE KUBECONFIG]: kubectl get nodes every half second until END, through NODE's local balancer
# (node4's by default), one "TIME ok|fail" line each.
probe_api() {
    local end=$1 node=${2:-node4} kubeconfig=${3:-/root/admin.conf}
    while [ "$(date +%s)" -lt "$end" ]; do
        if lab_exec "$node" timeout 3 kubectl --kubeconfig "$kubeconfig" --request-timeout=2s get nodes >/dev/null 2>&1; then
            printf '%s ok\n' "$(now)"
        else
            printf '%s fail\n' "$(now)"
        fi
        sleep 0.5
    done
}

# The longest run of failed answers, from the first failure to the next success, in seconds.
longest_gap() {
    awk '$2 == "fail" && !start { start = $1 } $2 == "ok" && start { if ($1 - start > max) max = $1 - start; start = 0 }
        END { if (start) max = -1; printf "%.1f\n", max }' "$1"
}

step4() {
    local stopped probe gap
    step 4 "node1 stops: kubectl through node4's local balancer keeps working, etcd keeps quorum"
    cp "$(node_file node1 "$ADMIN")" "$(node_file node4 /root)/admin.conf"
    grep -q 'server: https://api\.' "$(node_file node4 /root/admin.conf)" || fail "admin.conf does not name the stable API name"
    lab_exec node4 kubectl --kubeconfig /root/admin.conf get nodes >/dev/null 2>&1 || fail "node4's local balancer does not answer before node1 stops"
    probe_api $(($(date +%s) + 90)) >"$LOGS/api-probe.txt" &
    probe=$!
    sleep 5
    stopped=$(now)
    lab_node_kill node1
    info "node1 stopped"
    wait "$probe"
    gap=$(longest_gap "$LOGS/api-probe.txt")
    [ "$gap" != "-1.0" ] || fail "the API through node4's balancer did not answer again within 85 s of node1 stopping"
    record api_unavailable_after_node1_stop_s "$gap"
    tail -n 1 "$LOGS/api-probe.txt" | grep -q ' ok$' || fail "the API through node4's balancer fails at the end of the probe"
    lab_exec node4 kubectl --kubeconfig /root/admin.conf get nodes >"$LOGS/nodes-without-node1.txt" 2>&1 || fail "kubectl get nodes fails on node4"
    etcdctl_on node2 endpoint health >>"$LOGS/etcd.txt" 2>&1 || fail "etcd on node2 has no quorum: $(tail -n 2 "$LOGS/etcd.txt")"
    etcdctl_on node3 endpoint health >>"$LOGS/etcd.txt" 2>&1 || fail "etcd on node3 has no quorum: $(tail -n 2 "$LOGS/etcd.txt")"
    info "node1 boots again (step 5 would lose quorum with node1 down and node3 removed)"
    record_memory
    lab_node_boot node1
    lab_node_wait node1
    wait_for 300 "node1 Ready again" node_ready node2 node1
    wait_for 120 "etcd healthy on all 3 members" etcdctl_on node2 endpoint health --cluster
    record node1_back_after_stop_s "$(seconds "$stopped")"
}

step5() {
    local start probe2 probe4 n
    step 5 "kubestead reset on node3 removes its etcd member first"
    # the API through node2's and node4's balancers while node3 leaves and lb-sync drops it from every HAProxy
    probe_api $(($(date +%s) + 75)) node2 "$ADMIN" >"$LOGS/api-probe-node2-reset.txt" &
    probe2=$!
    probe_api $(($(date +%s) + 75)) >"$LOGS/api-probe-node4-reset.txt" &
    probe4=$!
    start=$(now)
    lab_exec node3 kubestead reset yes >"$LOGS/node3-reset.log" 2>&1 || fail "kubestead reset failed on node3: $(tail -n 3 "$LOGS/node3-reset.log" | tr '\n' ' ')"
    record reset_node3_s "$(seconds "$start")"
    for n in node2 node4; do
        wait_for 90 "lb-sync on $n drops node3 from HAProxy" sh -c "! grep -q 'server node3 ' '$(node_file "$n" /etc/kubestead/haproxy/haproxy.cfg)'"
    done
    wait "$probe2" "$probe4"
    for n in node2 node4; do
        grep -q ' ok$' "$LOGS/api-probe-$n-reset.txt" || fail "no answer through $n's balancer while node3 left"
        ! grep -q ' fail$' "$LOGS/api-probe-$n-reset.txt" ||
            fail "the API through $n's balancer failed $(grep -c ' fail$' "$LOGS/api-probe-$n-reset.txt") times while node3 left and its HAProxy was updated"
    done
    record api_failures_while_node3_leaves "0 of $(cat "$LOGS"/api-probe-node[24]-reset.txt | wc -l)"
    [ "$(voting_members node2)" -eq 2 ] || fail "etcd has $(voting_members node2) members after the reset of node3, not 2"
    etcdctl_on node2 member list >"$LOGS/etcd-after-reset.txt" 2>&1
    ! grep -q node3 "$LOGS/etcd-after-reset.txt" || fail "node3 is still an etcd member: $(cat "$LOGS/etcd-after-reset.txt")"
    etcdctl_on node2 endpoint health --cluster >>"$LOGS/etcd.txt" 2>&1 || fail "etcd is not healthy with 2 members"
    kctl node2 delete node node3 --ignore-not-found >/dev/null 2>&1 || true
    [ "$(kctl node2 get nodes -l node-role.kubernetes.io/control-plane -o name | wc -l)" -eq 2 ] || fail "not 2 masters left"
    kctl node2 get --raw /readyz >/dev/null 2>&1 || fail "the API is not ready with 2 masters"
    # status says what a second loss would do: exit 1 (advice), 2 voters that tolerate no failure
    local code=0
    lab_exec node2 kubestead status -o json >"$LOGS/status-two-masters.json" 2>"$LOGS/status-two-masters.err" || code=$?
    [ "$code" -eq 1 ] || fail "kubestead status with 2 masters exited $code, not 1 (findings): $(head -c 300 "$LOGS/status-two-masters.err")"
    [ "$(jq -r '.etcd.voters, .etcd.failuresTolerable' "$LOGS/status-two-masters.json" | tr '\n' ' ')" = "2 0 " ] ||
        fail "status does not show 2 voters tolerating 0 failures: $(jq -c .etcd "$LOGS/status-two-masters.json")"
    jq -r '.advice[] | select(.kind == "MASTER_COUNT") | .reason' "$LOGS/status-two-masters.json" |
        grep -q 'Losing 1 master stops the API' ||
        fail "status does not say what losing a second master would do: $(jq -c .advice "$LOGS/status-two-masters.json")"
    lab_exec node2 kubestead status >"$LOGS/status-two-masters.txt" 2>&1 || true
}

step6() {
    local before after archive
    step 6 "install.sh ha again on node2 (a joined master) says it joined and changes nothing"
    # install.sh needs the agent beside it: the air-gap bundle, as on the first master
    for archive in "$BUNDLE"/kubestead-airgap-*.tar*; do
        copy_in node2 "$archive" "$WORK"
    done
    # lb-sync follows node3's departure within 30 s: let it finish first, so only the rerun is measured
    lab_exec node2 systemctl start kubestead-lb-sync.service >/dev/null 2>&1 || true
    before=$(lab_exec node2 sh -c 'find /etc/kubernetes /etc/kubestead /var/lib/kubestead /etc/containerd -type f -exec sha256sum {} + 2>/dev/null | sort')
    install_on node2 "$LOGS/node2-rerun.log" airgap ha yes ||
        fail "install.sh ha again on node2 exited $?: $(tail -n 3 "$LOGS/node2-rerun.log" | tr '\n' ' ')"
    grep -q 'node2 already joined the cluster at .* as a master.*changed nothing' "$LOGS/node2-rerun.log" ||
        fail "the rerun on node2 does not say it joined as a master: $(tail -n 3 "$LOGS/node2-rerun.log" | tr '\n' ' ')"
    after=$(lab_exec node2 sh -c 'find /etc/kubernetes /etc/kubestead /var/lib/kubestead /etc/containerd -type f -exec sha256sum {} + 2>/dev/null | sort')
    [ "$before" = "$after" ] || fail "the rerun changed files: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
    kctl node2 get --raw /readyz >/dev/null 2>&1 || fail "the API is not ready after the rerun"
}

# The online path (no airgap word) on a fresh node5: install.sh from `installer serve` on the bridge, as from a
# deploy host. The lab has no route out, so it can get only as far as the first download from the internet.
step7() {
    local serve port=18088 code=0 log="$LOGS/node5-online.log"
    step 7 "the online path on a fresh node5, as far as a lab without package mirrors gets"
    lab_bridge_up # when run alone (LAB_FROM_STEP=7)
    lab_node_start node5 5 "$NODES node5"
    lab_node_wait node5
    "$repo/installer/target/bin/installer" serve "$repo/installer/target/dist" --bind "$LAB_NET.1" --port "$port" \
        >"$LOGS/installer-serve.log" 2>&1 &
    serve=$!
    wait_for 30 "installer serve on $LAB_NET.1:$port" curl -fsS -o /dev/null "http://$LAB_NET.1:$port/install.sh"
    # 1.34 as the air-gapped steps: this host's cgroup v1 stops 1.35+ in preflight
    lab_exec node5 bash -c "curl -fsSL http://$LAB_NET.1:$port/install.sh | bash -s ha kubernetes-version=1.34 yes" \
        >"$log" 2>&1 || code=$?
    kill "$serve" 2>/dev/null || true
    wait "$serve" 2>/dev/null || true
    [ "$code" -ne 0 ] || fail "the online install succeeded on node5, which has no package mirror: $(tail -n 3 "$log" | tr '\n' ' ')"
    grep -q 'GET /kubestead-agent-' "$LOGS/installer-serve.log" || fail "node5 did not fetch the agent bundle from installer serve"
    grep -q '\[preflight\]' "$log" || fail "the agent did not start on node5: $(tail -n 3 "$log" | tr '\n' ' ')"
    grep -q '\[host/containerd\]' "$log" || fail "the online install stopped before host/containerd: $(tail -n 3 "$log" | tr '\n' ' ')"
    ! grep -q '\[kubeadm/init\]' "$log" || fail "the online install reached kubeadm init on node5"
    lab_exec node5 test ! -e /etc/kubernetes/admin.conf || fail "node5 has an admin.conf"
    record online_path_stops_at "host/containerd ($(grep -m1 -o 'apt-get[^;]*' "$log" | head -c 80))"
}

main() {
    local bundle
    lab_need_root
    mkdir -p "$(dirname "$RESULTS")" "$LOGS"
    : >"$RESULTS"
    bundle=$(bundle_dir)
    BUNDLE=$bundle
    [ -f "$bundle/install.sh" ] || lab_fatal "$bundle has no install.sh"
    TEST_IMAGE=$("$here/testimage.sh")
    TEST_IMAGE_REF=kubestead.test/lab-busybox:1
    trap finish EXIT
    if [ "$LAB_FROM_STEP" -eq 1 ]; then
        lab_down
        # shellcheck disable=SC2086 # one node a word
        lab_up $NODES
        prepare "$bundle"
    fi
    local n
    for n in 1 2 3 4 5 6 7; do
        [ "$n" -lt "$LAB_FROM_STEP" ] || "step$n"
    done
    info "all steps passed"
}

main "$@"
