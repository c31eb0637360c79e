#!/usr/bin/env python3
"""A fake kube-apiserver for KubeClientTests, speaking the real wire format over TLS.

Started by the tests on 127.0.0.1 with an ephemeral port (printed as "PORT <n>" on stdout).
Serves LIST (with limit/continue and metadata.resourceVersion), chunked WATCH streams of
{"type":..., "object":...} lines (bookmarks when asked and allowWatchBookmarks is set),
GET of any object put under /_fake/static, POST/PUT with AlreadyExists/Conflict semantics,
bearer-token auth, and faults the tests switch on through /_fake/* control endpoints
(no auth): drop watches, compact history (410 Gone as an ERROR event or as HTTP 410),
ERROR events, injected statuses with Retry-After, forced update conflicts.

usage: fake_apiserver.py CERT KEY CA TOKEN
"""
import base64
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

LOCK = threading.Condition()
STATE = {
    "token": "",
    "rv": 100,
    "compacted": 0,          # watches from an rv below this get 410
    "gone_mode": "event",    # "event": ERROR event with code 410; "http": HTTP 410
    "objects": {},           # collection key -> {ns/name: object}
    "events": [],            # (rv, collection key, type, object)
    "static": {},            # path -> object (GET/PUT/POST)
    "generation": 0,         # bumped by drop: watches whose generation is older end abruptly
    "error_gen": 0,          # bumped by /_fake/error: watches send an ERROR event and end
    "bookmark_gen": 0,
    "faults": [],            # {"prefix", "status", "retry_after", "count", "method"}
    "conflicts": {},         # path -> count of PUTs to refuse with 409
    "requests": [],          # (method, path, had_client_cert)
    "raw": [],               # {"path", "watch", "data"}: next matching request gets these bytes, then EOF
}

# collection key: (group/version path, resource)
RESOURCES = {
    "mpa": ("/apis/autoscaling.k8s.io/v1alpha1", "multidimpodautoscalers", True, "MultidimPodAutoscaler"),
    "limitrange": ("/api/v1", "limitranges", True, "LimitRange"),
    "namespace": ("/api/v1", "namespaces", False, "Namespace"),
}


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def match_collection(path):
    """(resource key, namespace or None) when path is a watched collection, else None."""
    for key, (gv, res, namespaced, _) in RESOURCES.items():
        if path == f"{gv}/{res}":
            return key, None
        if namespaced and path.startswith(f"{gv}/namespaces/") and path.endswith(f"/{res}"):
            ns = path[len(f"{gv}/namespaces/"):-len(f"/{res}")]
            if ns and "/" not in ns:
                return key, ns
    return None


def obj_ns(obj):
    return obj.get("metadata", {}).get("namespace", "")


def next_rv():
    STATE["rv"] += 1
    return str(STATE["rv"])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    # --- plumbing ---------------------------------------------------------------------
    def body(self):
        return json.loads(self.raw_body) if self.raw_body else None

    def send_json(self, code, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def chunk(self, obj):
        data = json.dumps(obj).encode() + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def handle_one(self, method):
        # Read the body first: an early answer (401, injected fault) must not leave it in the
        # stream, where it would be parsed as the next request on this keep-alive connection.
        n = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(n) if n else b""
        url = urlsplit(self.path)
        path, query = url.path, {k: v[-1] for k, v in parse_qs(url.query).items()}
        if path.startswith("/_fake/"):
            return self.control(method, path, query)
        with LOCK:
            STATE["requests"].append({"method": method, "path": path, "query": query,
                                      "clientCert": self.connection.getpeercert() is not None})
            is_watch = query.get("watch") in ("1", "true")
            raw = next((r for r in STATE["raw"] if r["path"] == path and r.get("watch", False) == is_watch), None)
            if raw is not None:
                STATE["raw"].remove(raw)
        if raw is not None:
            self.wfile.write(base64.b64decode(raw["data"]))
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        with LOCK:
            auth = self.headers.get("Authorization", "")
            if auth != "Bearer " + STATE["token"]:
                return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
            for f in STATE["faults"]:
                if f["count"] > 0 and path.startswith(f["prefix"]) and f.get("method", method) == method:
                    f["count"] -= 1
                    headers = {"Retry-After": str(f["retry_after"])} if f.get("retry_after") is not None else {}
                    return self.send_json(f["status"], status(f["status"], "Injected", "injected fault"), headers)
        coll = match_collection(path)
        if coll and method == "GET":
            if query.get("watch") in ("1", "true"):
                return self.watch(coll, query)
            return self.list(coll, query)
        if method == "GET":
            with LOCK:
                obj = STATE["static"].get(path)
            if obj is None:
                return self.send_json(404, status(404, "NotFound", f"{path} not found"))
            return self.send_json(200, obj)
        if method == "POST":
            obj = self.body()
            name = obj.get("metadata", {}).get("name", "")
            target = f"{path}/{name}"
            with LOCK:
                if target in STATE["static"]:
                    return self.send_json(409, status(409, "AlreadyExists", f"{name} already exists"))
                obj["metadata"]["resourceVersion"] = next_rv()
                STATE["static"][target] = obj
            return self.send_json(201, obj)
        if method == "PUT":
            obj = self.body()
            with LOCK:
                current = STATE["static"].get(path)
                if current is None:
                    return self.send_json(404, status(404, "NotFound", f"{path} not found"))
                if STATE["conflicts"].get(path, 0) > 0:
                    # Another writer got in first: its write bumps the version.
                    STATE["conflicts"][path] -= 1
                    current["metadata"]["resourceVersion"] = next_rv()
                    return self.send_json(409, status(409, "Conflict", "the object has been modified"))
                if obj.get("metadata", {}).get("resourceVersion") != current["metadata"]["resourceVersion"]:
                    return self.send_json(409, status(409, "Conflict", "the object has been modified"))
                obj["metadata"]["resourceVersion"] = next_rv()
                STATE["static"][path] = obj
            return self.send_json(200, obj)
        return self.send_json(405, status(405, "MethodNotAllowed", method))

    def do_GET(self):
        self.handle_one("GET")

    def do_POST(self):
        self.handle_one("POST")

    def do_PUT(self):
        self.handle_one("PUT")

    # --- list and watch ---------------------------------------------------------------
    def list(self, coll, query):
        key, ns = coll
        gv, res, _, kind = RESOURCES[key]
        with LOCK:
            items = sorted(STATE["objects"].get(key, {}).items())
            rv = str(STATE["rv"])
        if ns is not None:
            items = [(k, o) for k, o in items if obj_ns(o) == ns]
        start = int(query.get("continue") or 0)
        limit = int(query.get("limit") or 0) or len(items) or 1
        page = items[start:start + limit]
        meta = {"resourceVersion": rv}
        if start + limit < len(items):
            meta["continue"] = str(start + limit)
        self.send_json(200, {"kind": kind + "List", "apiVersion": gv.split("/", 2)[-1],
                             "metadata": meta, "items": [o for _, o in page]})

    def watch(self, coll, query):
        key, ns = coll
        since = int(query.get("resourceVersion") or 0)
        timeout = float(query.get("timeoutSeconds") or 60)
        bookmarks = query.get("allowWatchBookmarks") == "true"
        with LOCK:
            if since < STATE["compacted"] and STATE["gone_mode"] == "http":
                return self.send_json(410, status(410, "Expired", "too old resource version"))
            gen, error_gen, bookmark_gen = STATE["generation"], STATE["error_gen"], STATE["bookmark_gen"]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        with LOCK:
            if since < STATE["compacted"]:
                gone = status(410, "Expired", f"too old resource version: {since}")
                self.chunk({"type": "ERROR", "object": gone})
                self.wfile.write(b"0\r\n\r\n")
                return
        sent = since
        end = time.monotonic() + timeout
        while True:
            with LOCK:
                pending = [e for e in STATE["events"] if e[0] > sent and e[1] == key
                           and (ns is None or obj_ns(e[3]) == ns)]
                dropped = STATE["generation"] != gen
                errored = STATE["error_gen"] != error_gen
                bookmark = STATE["bookmark_gen"] != bookmark_gen
                bookmark_gen = STATE["bookmark_gen"]
                current = STATE["rv"]
                if not pending and not dropped and not errored and not bookmark:
                    left = end - time.monotonic()
                    if left <= 0:
                        break
                    LOCK.wait(min(left, 0.5))
                    continue
            if dropped:
                # Abrupt end: no terminating chunk, socket shut down mid-stream.
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            for rv, _, typ, obj in pending:
                self.chunk({"type": typ, "object": obj})
                sent = rv
            if errored:
                self.chunk({"type": "ERROR", "object": status(500, "InternalError", "injected watch error")})
                break
            if bookmark and bookmarks:
                gv, _, _, kind = RESOURCES[key]
                self.chunk({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": gv.split("/", 2)[-1],
                                                           "metadata": {"resourceVersion": str(current)}}})
                sent = max(sent, current)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # --- control ----------------------------------------------------------------------
    def control(self, method, path, query):
        body = self.body() if method in ("POST", "PUT") else None
        with LOCK:
            if path == "/_fake/object":
                key, typ = body["resource"], body["type"]
                for obj in body.get("objects") or [body["object"]]:
                    meta = obj.setdefault("metadata", {})
                    meta["resourceVersion"] = next_rv()
                    store = STATE["objects"].setdefault(key, {})
                    name = obj_ns(obj) + "/" + meta["name"]
                    if typ == "DELETED":
                        store.pop(name, None)
                    else:
                        store[name] = obj
                    if not body.get("silent"):
                        STATE["events"].append((STATE["rv"], key, typ, obj))
                LOCK.notify_all()
                reply = {"resourceVersion": meta["resourceVersion"]}
            elif path == "/_fake/token":
                STATE["token"] = body["token"]
                reply = {}
            elif path == "/_fake/drop":
                STATE["generation"] += 1
                LOCK.notify_all()
                reply = {}
            elif path == "/_fake/compact":
                STATE["compacted"] = STATE["rv"] + 1
                STATE["gone_mode"] = body.get("mode", "event")
                STATE["generation"] += 1  # open watches drop and must come back from an old rv
                LOCK.notify_all()
                reply = {}
            elif path == "/_fake/error":
                STATE["error_gen"] += 1
                LOCK.notify_all()
                reply = {}
            elif path == "/_fake/bookmark":
                STATE["rv"] += 1  # progress the server made elsewhere
                STATE["bookmark_gen"] += 1
                LOCK.notify_all()
                reply = {"resourceVersion": str(STATE["rv"])}
            elif path == "/_fake/fault":
                STATE["faults"].append(body)
                reply = {}
            elif path == "/_fake/raw":
                STATE["raw"].append(body)
                reply = {}
            elif path == "/_fake/conflict":
                STATE["conflicts"][body["path"]] = body["count"]
                reply = {}
            elif path == "/_fake/static":
                if body.get("object") is None:
                    STATE["static"].pop(body["path"], None)
                else:
                    obj = body["object"]
                    obj.setdefault("metadata", {})["resourceVersion"] = next_rv()
                    STATE["static"][body["path"]] = obj
                reply = {}
            elif path == "/_fake/requests":
                reply = {"requests": STATE["requests"]}
            elif path == "/_fake/static-get":
                reply = {"object": STATE["static"].get(query.get("path", ""))}
            else:
                reply = None
        if reply is None:
            return self.send_json(404, status(404, "NotFound", path))
        self.send_json(200, reply)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up mid-stream are expected


def main():
    cert, key, ca, token = sys.argv[1:5]
    STATE["token"] = token
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("PORT", server.server_address[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
