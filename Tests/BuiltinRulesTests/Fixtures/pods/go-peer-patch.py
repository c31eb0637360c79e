#!/usr/bin/env python3
"""Development tool: ask ../shared/tools/go-peer for its patch on our pod fixtures.

usage: go-peer-patch.py GO_PEER_BINARY CERT_DIR CASE.json...
Writes each case's objects (common/*.json it includes plus its own "state") as a snapshot
directory, starts go-peer on it, sends the pod as a CREATE AdmissionReview and prints the
decoded patch and warnings as JSON. The tests never run this; it only helps to compare.
"""
import base64, json, os, socket, ssl, subprocess, sys, tempfile, time, urllib.request

here = os.path.dirname(os.path.abspath(__file__))

def objects(case):
    out = []
    for inc in case.get("include", []):
        with open(os.path.join(here, inc)) as f:
            v = json.load(f)
        if isinstance(v, dict) and v.get("kind", "").endswith("List"):
            v = v.get("items", [])
        out += v if isinstance(v, list) else [v]
    return out + case.get("state", [])

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def main():
    binary, certs, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    ctx.check_hostname = False
    results = {}
    for path in files:
        with open(path) as f:
            case = json.load(f)
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "objects.json"), "w") as f:
            json.dump({"kind": "List", "items": objects(case)}, f)
        port = free_port()
        p = subprocess.Popen([binary, "-addr", f"127.0.0.1:{port}", "-cert", os.path.join(certs, "server.pem"),
                              "-key", os.path.join(certs, "server.key"), "-snapshot", d],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
                "uid": "u", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                "resource": {"group": "", "version": "v1", "resource": "pods"},
                "namespace": case.get("namespace", "default"), "operation": "CREATE", "object": case["pod"]}}
            body = json.dumps(review).encode()
            for _ in range(50):
                try:
                    req = urllib.request.Request(f"https://127.0.0.1:{port}/mutate", data=body,
                                                 headers={"Content-Type": "application/json"})
                    resp = json.load(urllib.request.urlopen(req, context=ctx))["response"]
                    break
                except OSError:
                    time.sleep(0.05)
            patch = json.loads(base64.b64decode(resp["patch"])) if "patch" in resp else None
            results[os.path.basename(path)] = {"patch": patch, "warnings": resp.get("warnings", [])}
        finally:
            p.terminate(); p.wait()
    print(json.dumps(results, indent=1))

main()
