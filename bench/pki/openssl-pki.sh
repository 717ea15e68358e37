#!/usr/bin/env bash
# The same PKI and kubeconfigs as the agent makes for one host (kubeadm's set), with the openssl command line.
# Usage: openssl-pki.sh ROOT [rsa-2048|ecdsa-p256]. Sequential, one openssl process per step, as a hand-written
# script would do it. Node cp1 / 10.0.0.11, control-plane endpoint 10.0.0.10:6443, Kubernetes 1.33 subjects.
set -euo pipefail

ROOT=${1:?usage: openssl-pki.sh ROOT [rsa-2048|ecdsa-p256]}
ALG=${2:-rsa-2048}
PKI=$ROOT/etc/kubernetes/pki
ETC=$ROOT/etc/kubernetes
NODE=node1
ADVERTISE=10.0.0.11
ENDPOINT=10.0.0.10:6443
mkdir -p "$PKI/etcd"
umask 077

gen_key() { # FILE: PKCS#1 RSA or SEC1 EC key, as kubeadm writes them
  case $ALG in
    rsa-*) openssl genrsa -traditional -out "$1" "${ALG#rsa-}" 2>/dev/null ;;
    ecdsa-p256) openssl ecparam -name prime256v1 -genkey -noout -out "$1" ;;
    *) echo "unknown algorithm $ALG" >&2; exit 2 ;;
  esac
}

make_ca() { # BASE CN
  gen_key "$PKI/$1.key"
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
    -addext "subjectAltName=DNS:$2" -out "$PKI/$1.crt"
  chmod 0644 "$PKI/$1.crt"
}

make_leaf() { # OUT_BASE(path without suffix) CA_BASE SUBJECT EKU [SAN]
  local out=$1 ca=$2 subj=$3 eku=$4 san=${5:-}
  gen_key "$out.key"
  local ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$eku
authorityKeyIdentifier=keyid"
  [ -n "$san" ] && ext="$ext
subjectAltName=$san"
  openssl req -new -key "$out.key" -subj "$subj" \
    | openssl x509 -req -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -days 365 -sha256 \
        -extfile <(printf '%s\n' "$ext") -out "$out.crt" 2>/dev/null
  chmod 0644 "$out.crt"
}

make_kubeconfig() { # FILE CN O SERVER
  local file=$1 cn=$2 org=$3 server=$4 tmp
  tmp=$(mktemp -d)
  local subj="/CN=$cn"
  [ -n "$org" ] && subj="/O=$org/CN=$cn"
  make_leaf "$tmp/client" ca "$subj" clientAuth
  cat > "$ETC/$file" <<YAML
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
    server: $server
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $cn
  name: $cn@kubernetes
current-context: $cn@kubernetes
kind: Config
preferences: {}
users:
- name: $cn
  user:
    client-certificate-data: $(base64 -w0 "$tmp/client.crt")
    client-key-data: $(base64 -w0 "$tmp/client.key")
YAML
  rm -rf "$tmp"
}

make_ca ca kubernetes
make_ca front-proxy-ca front-proxy-ca
make_ca etcd/ca etcd-ca

ETCD_SAN="DNS:$NODE,DNS:localhost,IP:$ADVERTISE,IP:127.0.0.1,IP:::1"
make_leaf "$PKI/apiserver" ca "/CN=kube-apiserver" serverAuth \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:$NODE,IP:10.96.0.1,IP:$ADVERTISE,IP:${ENDPOINT%:*}"
make_leaf "$PKI/apiserver-kubelet-client" ca "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" clientAuth
make_leaf "$PKI/front-proxy-client" front-proxy-ca "/CN=front-proxy-client" clientAuth
make_leaf "$PKI/etcd/server" etcd/ca "/CN=$NODE" serverAuth,clientAuth "$ETCD_SAN"
make_leaf "$PKI/etcd/peer" etcd/ca "/CN=$NODE" serverAuth,clientAuth "$ETCD_SAN"
make_leaf "$PKI/etcd/healthcheck-client" etcd/ca "/CN=kube-etcd-healthcheck-client" clientAuth
make_leaf "$PKI/apiserver-etcd-client" etcd/ca "/CN=kube-apiserver-etcd-client" clientAuth

gen_key "$PKI/sa.key"
openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"

make_kubeconfig admin.conf kubernetes-admin kubeadm:cluster-admins "https://$ENDPOINT"
make_kubeconfig super-admin.conf kubernetes-super-admin system:masters "https://$ENDPOINT"
make_kubeconfig controller-manager.conf system:kube-controller-manager "" "https://$ADVERTISE:6443"
make_kubeconfig scheduler.conf system:kube-scheduler "" "https://$ADVERTISE:6443"
make_kubeconfig kubelet.conf system:node:$NODE system:nodes "https://$ADVERTISE:6443"
