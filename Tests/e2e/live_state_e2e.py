#!/usr/bin/env python3
"""End to end: `mpa-admission serve --kubeconfig` against a fake kube-apiserver.

Starts Tests/KubeClientTests/Fixtures/fake_apiserver.py (TLS, bearer token, real list/watch
wire format), writes a kubeconfig for it, starts the real server binary on it and shows:
  1. /readyz fails while the initial MPA list is failing (injected 500s), passes once synced;
  2. a hamster pod is admitted unchanged while no MPA exists;
  3. an MPA added by a watch event a moment later is used for the next pod (patched requests);
  4. owners (ReplicaSet -> Deployment) are fetched with GET from the API server.
usage: live_state_e2e.py path/to/mpa-admission
"""
import base64
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAKE = os.path.join(ROOT, "Tests/KubeClientTests/Fixtures")
SERVE_CERTS = os.path.join(ROOT, "Tests/WebhookServerTests/Fixtures")
EXAMPLES = os.path.join(ROOT, "manifests/examples")
TOKEN = "e2e-token-7f3a"

try:
    import yaml
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyyaml"], check=False)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--break-system-packages", "pyyaml"], check=False)
    import yaml

failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def examples(kind):
    out = []
    for name in sorted(os.listdir(EXAMPLES)):
        if name.endswith(".yaml"):
            with open(os.path.join(EXAMPLES, name)) as f:
                out += [d for d in yaml.safe_load_all(f) if d and d.get("kind") == kind]
    return out


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="mpa-e2e-")
    fake = subprocess.Popen([sys.executable, os.path.join(FAKE, "fake_apiserver.py"),
                             os.path.join(FAKE, "server.pem"), os.path.join(FAKE, "server.key"),
                             os.path.join(FAKE, "ca.pem"), TOKEN],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    server = None
    try:
        api_port = int(fake.stdout.readline().split()[1])
        fake_ctx = ssl.create_default_context(cafile=os.path.join(FAKE, "ca.pem"))

        def control(path, body):
            req = urllib.request.Request(f"https://127.0.0.1:{api_port}{path}", data=json.dumps(body).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, context=fake_ctx, timeout=10) as r:
                return json.loads(r.read())

        # Owners the pod rule GETs; namespaces and LimitRanges listed; MPA list fails 3 times at first.
        for obj in examples("Deployment") + examples("ReplicaSet"):
            group = "apps/v1"
            plural = obj["kind"].lower() + "s"
            ns = obj["metadata"].get("namespace", "default")
            control("/_fake/static", {"path": f"/apis/{group}/namespaces/{ns}/{plural}/{obj['metadata']['name']}",
                                      "object": obj})
        control("/_fake/object", {"resource": "namespace", "type": "ADDED", "objects": examples("Namespace"), "silent": True})
        control("/_fake/object", {"resource": "limitrange", "type": "ADDED", "objects": examples("LimitRange"), "silent": True})
        control("/_fake/fault", {"prefix": "/apis/autoscaling.k8s.io/v1alpha1/multidimpodautoscalers",
                                 "status": 500, "count": 3})

        with open(os.path.join(FAKE, "ca.pem"), "rb") as f:
            ca_data = base64.b64encode(f.read()).decode()
        kubeconfig = os.path.join(work, "kubeconfig")
        with open(kubeconfig, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "Config", "current-context": "fake",
                       "clusters": [{"name": "fake", "cluster": {"server": f"https://127.0.0.1:{api_port}",
                                                                 "certificate-authority-data": ca_data}}],
                       "users": [{"name": "fake", "user": {"token": TOKEN}}],
                       "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}]}, f)

        port, metrics = free_port(), free_port()
        server = subprocess.Popen([binary, "serve", "--bind-address", "127.0.0.1", "--port", str(port),
                                   "--tls-cert-file", os.path.join(SERVE_CERTS, "server.pem"),
                                   "--tls-private-key", os.path.join(SERVE_CERTS, "server.key"),
                                   "--kubeconfig", kubeconfig, "--metrics-address", f"127.0.0.1:{metrics}",
                                   "--log-level", "warning"])

        def readyz():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/readyz", timeout=2) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code
            except OSError:
                return None

        seen = []
        deadline = time.time() + 30
        while time.time() < deadline:
            status = readyz()
            if status is not None and (not seen or seen[-1] != status):
                seen.append(status)
            if status == 200:
                break
            if server.poll() is not None:
                break
            time.sleep(0.05)
        check("readyz fails before the initial lists sync", 503 in seen, f"statuses seen {seen}")
        check("readyz passes after the sync", seen[-1:] == [200], f"statuses seen {seen}")

        serve_ctx = ssl.create_default_context(cafile=os.path.join(SERVE_CERTS, "ca.pem"))
        with open(os.path.join(EXAMPLES, "pod-create-review.json"), "rb") as f:
            review = f.read()

        def admit():
            req = urllib.request.Request(f"https://localhost:{port}/mutate?timeout=10s", data=review, method="POST",
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, context=serve_ctx, timeout=10) as r:
                response = json.loads(r.read())["response"]
            ops = json.loads(base64.b64decode(response["patch"])) if "patch" in response else []
            return response, ops

        response, ops = admit()
        check("pod allowed without patch before any MPA exists", response["allowed"] and not ops, f"{response}")

        control("/_fake/object", {"resource": "mpa", "type": "ADDED", "objects": examples("MultidimPodAutoscaler")})
        patched = []
        deadline = time.time() + 10
        while time.time() < deadline and not patched:
            response, patched = admit()
            if not patched:
                time.sleep(0.05)
        paths = [op["path"] for op in patched]
        check("pod patched from the MPA added by a watch event",
              "/spec/containers/0/resources/requests/cpu" in paths and
              "/metadata/annotations/mpaUpdates" in paths, f"{patched}")
        req = urllib.request.Request(f"https://127.0.0.1:{api_port}/_fake/requests")
        with urllib.request.urlopen(req, context=fake_ctx, timeout=10) as r:
            requests = json.loads(r.read())["requests"]
        gets = {q["path"] for q in requests if q["method"] == "GET" and "/replicasets/" in q["path"]}
        check("owner ReplicaSet fetched from the API server", bool(gets), f"{len(requests)} requests")

        server.terminate()
        check("SIGTERM exits 0", server.wait(timeout=30) == 0)
    finally:
        if server and server.poll() is None:
            server.kill()
        fake.stdin.close()
        fake.wait(timeout=10)

    print(f"live-state e2e: {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
