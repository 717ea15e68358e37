#!/usr/bin/env bash
# kubeadm making the same PKI and kubeconfigs as the agent and openssl-pki.sh: `init phase certs all` and
# `init phase kubeconfig all` into DIR (nothing outside DIR is written).
#   bench/pki/kubeadm-pki.sh DIR rsa-2048|ecdsa-p256 [KUBEADM]
# KUBEADM defaults to the v1.34.4 binary tests/upstream/build.sh caches.
set -euo pipefail

dir=$1
case $2 in
  rsa-2048) algorithm=RSA-2048 ;;
  ecdsa-p256) algorithm=ECDSA-P256 ;;
  *) echo "kubeadm-pki.sh: algorithm '$2': give rsa-2048 or ecdsa-p256" >&2; exit 2 ;;
esac
kubeadm=${3:-${KUBESTEAD_UPSTREAM_CACHE:-/var/cache/kubestead/upstream}/v1.34.4/kubeadm}
mkdir -p "$dir"
cat >"$dir/kubeadm.yaml" <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 10.0.0.5
nodeRegistration:
  name: node-1
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.4
certificatesDir: $dir/pki
controlPlaneEndpoint: api.kubernetes.kubestead.internal:6443
encryptionAlgorithm: $algorithm
YAML
"$kubeadm" init phase certs all --config "$dir/kubeadm.yaml" >/dev/null
"$kubeadm" init phase kubeconfig all --config "$dir/kubeadm.yaml" --kubeconfig-dir "$dir" >/dev/null
