#!/usr/bin/env python3
"""Parses a Prometheus text exposition (0.0.4) with the reference client's parser and checks it.

    check_exposition.py [FILE]        (default: standard input)

Checks, beyond what the parser rejects: every histogram's buckets are cumulative (non-decreasing
in `le`), its `+Inf` bucket equals `_count`, and counters are never negative. On success prints
one JSON object: {"families": {name: type}, "samples": [{"name", "labels", "value"}]}, so callers
assert on parsed values rather than on text. On failure prints one line on stderr and exits 1.
"""
import json
import math
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("check_exposition: python module prometheus_client is missing "
          "(apt-get install python3-prometheus-client, or pip install prometheus_client)", file=sys.stderr)
    sys.exit(3)


def fail(message):
    print(f"check_exposition: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and friends
        fail(f"not valid Prometheus text format: {e}")
    if not families:
        fail("no metric families")
    out = {"families": {}, "samples": []}
    for fam in families:
        out["families"][fam.name] = fam.type
        if fam.type == "histogram":
            series = {}
            for s in fam.samples:
                key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                entry = series.setdefault(key, {"buckets": [], "count": None})
                if s.name.endswith("_bucket"):
                    entry["buckets"].append((float(s.labels["le"]), s.value))
                elif s.name.endswith("_count"):
                    entry["count"] = s.value
            for key, entry in series.items():
                buckets = sorted(entry["buckets"])
                if not buckets or not math.isinf(buckets[-1][0]):
                    fail(f"{fam.name}{dict(key)}: no +Inf bucket")
                values = [v for _, v in buckets]
                if any(b < a for a, b in zip(values, values[1:])):
                    fail(f"{fam.name}{dict(key)}: buckets are not cumulative: {values}")
                if entry["count"] is None or entry["count"] != values[-1]:
                    fail(f"{fam.name}{dict(key)}: _count {entry['count']} != +Inf bucket {values[-1]}")
        for s in fam.samples:
            if fam.type == "counter" and s.value < 0:
                fail(f"{s.name}{s.labels}: negative counter {s.value}")
            out["samples"].append({"name": s.name, "labels": s.labels, "value": s.value})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
