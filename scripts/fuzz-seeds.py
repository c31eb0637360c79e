#!/usr/bin/env python3
"""Writes libFuzzer seed corpora from the repo's test fixtures: scripts/fuzz-seeds.py TARGET DIR.

Every seed is derived from something the tests already hold (fixture files, the literal inputs of
the table-driven tests), so the fuzzers start from inputs the code is known to accept or reject.
"""
import glob, hashlib, json, os, re, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def swift_literals(path, prefix=""):
    """String literals of a Swift file (optionally only those after `prefix`), escapes decoded."""
    text = open(path, encoding="utf-8").read()
    out = []
    for m in re.finditer(re.escape(prefix) + r'"((?:[^"\\\n]|\\.)*)"', text):
        s = re.sub(r'\\u\{([0-9a-fA-F]+)\}', lambda u: chr(int(u.group(1), 16)), m.group(1))
        s = s.replace('\\r', '\r').replace('\\n', '\n').replace('\\t', '\t').replace('\\0', '\0')
        s = s.replace('\\"', '"').replace('\\\\', '\\')
        out.append(s.encode("utf-8"))
    return out


def files(pattern):
    return [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(ROOT, pattern)))]


def patch_cases():
    seeds = []
    for path in glob.glob(os.path.join(ROOT, "Tests/JSONPatchTests/Fixtures/*.json")):
        for case in json.load(open(path)):
            if "doc" in case and "patch" in case:
                seeds.append(json.dumps({"doc": case["doc"], "patch": case["patch"]}).encode())
    return seeds


def h2_frame(kind, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_literal(name, value):
    # Literal header field without indexing, new name (RFC 7541 §6.2.2), lengths < 127.
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def h2_seeds():
    settings = h2_frame(4, 0, 0, struct.pack(">HI", 3, 100) + struct.pack(">HI", 4, 65535))
    ack = h2_frame(4, 1, 0, b"")
    head = (hpack_literal(b":method", b"POST") + hpack_literal(b":scheme", b"https")
            + hpack_literal(b":path", b"/mutate?timeout=10s") + hpack_literal(b":authority", b"x")
            + hpack_literal(b"content-type", b"application/json"))
    body = b'{"kind":"AdmissionReview"}'
    post = h2_frame(1, 4, 1, head) + h2_frame(0, 1, 1, body)
    split = h2_frame(1, 0, 3, head[:20]) + h2_frame(9, 4, 3, head[20:]) + h2_frame(0, 1, 3, body)
    get = h2_frame(1, 5, 5, hpack_literal(b":method", b"GET") + hpack_literal(b":scheme", b"https")
                   + hpack_literal(b":path", b"/healthz") + hpack_literal(b":authority", b"x"))
    ping = h2_frame(6, 0, 0, b"12345678")
    window = h2_frame(8, 0, 0, struct.pack(">I", 1 << 20))
    reset = h2_frame(1, 4, 7, head) + h2_frame(3, 0, 7, struct.pack(">I", 8))
    prio = h2_frame(2, 0, 9, struct.pack(">IB", 0, 15))
    goaway = h2_frame(7, 0, 0, struct.pack(">II", 0, 0))
    continuation = h2_frame(1, 0, 11, head[:5]) + b"".join(h2_frame(9, 0, 11, b"") for _ in range(8))
    return [settings + ack + x for x in (post, split, get, ping + window, reset, prio, goaway, continuation,
                                          post + split + get + ping + reset)]


def seeds(target):
    if target == "FuzzJSONParser":
        return files("Tests/*/Fixtures/*.json") + [b"[]", b"{}", b'{"a":[1,-2.5e+3,true,null,"\\u00e9\\ud83d\\ude00"]}']
    if target == "FuzzJSONPatch":
        return patch_cases()
    if target == "FuzzAdmissionReview":
        return files("Tests/AdmissionAPITests/Fixtures/*")
    if target == "FuzzQuantity":
        lits = []
        for p in glob.glob(os.path.join(ROOT, "Tests/QuantityTests/*.swift")):
            lits += [s for s in swift_literals(p) if 0 < len(s) < 64]
        return lits
    if target == "FuzzHTTP1Parser":
        return swift_literals(os.path.join(ROOT, "Tests/WebhookServerTests/HTTP1ParserTests.swift"), "raw: ")
    if target == "FuzzHTTP2Session":
        return h2_seeds()
    raise SystemExit("unknown target " + target)


def main():
    target, directory = sys.argv[1], sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    n = 0
    for s in seeds(target):
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(directory, name), "wb") as f:
            f.write(s)
        n += 1
    regressions = os.path.join(ROOT, "Tests/FuzzTargetsTests/Fixtures/regressions", target)
    for p in sorted(glob.glob(os.path.join(regressions, "*"))):
        with open(p, "rb") as src, open(os.path.join(directory, "regression-" + os.path.basename(p)), "wb") as f:
            f.write(src.read())
        n += 1
    print(f"{target}: {n} seeds")


main()
