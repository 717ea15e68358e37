#!/usr/bin/env python3
"""Just enough of a Kubernetes API for the lb-sync benchmark, on loopback only.

Serves, over TLS with the bench CA: discovery (/api, /apis, /api/v1) and /api/v1/nodes listing the masters
given on the command line, on API_ADDR:API_PORT; and /readyz (200) on each master's ADDR:6443, so a real
HAProxy's health checks have something to check. Each node list it serves is one line in REQUEST_LOG.

Usage: standin-api.py API_ADDR API_PORT CERT KEY CA REQUEST_LOG NAME=ADDR [NAME=ADDR...]
"""
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

api_addr, api_port, cert, key, ca, request_log = sys.argv[1:7]
masters = [m.split("=", 1) for m in sys.argv[7:]]
for _, addr in masters:
    if not addr.startswith("127."):
        sys.exit("masters must be loopback addresses: " + addr)


def node(name, addr):
    return {"metadata": {"name": name, "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "status": {"addresses": [{"type": "InternalIP", "address": addr}, {"type": "Hostname", "address": name}]}}


DOCS = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": f"{api_addr}:{api_port}"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node",
         "verbs": ["get", "list", "watch"], "shortNames": ["no"]}]},
    "/version": {"major": "1", "minor": "33", "gitVersion": "v1.33.6"},
    "/api/v1/nodes": {"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
                      "items": [node(n, a) for n, a in masters]},
    "/readyz": "ok",
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        doc = DOCS.get(path)
        if path == "/api/v1/nodes":
            with open(request_log, "a") as f:
                f.write(self.path + "\n")
        body = (doc if isinstance(doc, str) else json.dumps(doc)).encode() if doc is not None else b"{}"
        self.send_response(200 if doc is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(addr, port):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL  # as kube-apiserver: client certificates are asked for, checked if given
    server = ThreadingHTTPServer((addr, port), Handler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


threads = [threading.Thread(target=serve, args=(api_addr, int(api_port)), daemon=True)]
threads += [threading.Thread(target=serve, args=(a, 6443), daemon=True) for _, a in masters]
for t in threads:
    t.start()
print("ready", flush=True)
threading.Event().wait()
