#!/usr/bin/env python3
"""scale-snapshot.py BASE_DIR OUT_DIR [--namespaces 100] [--mpas 10000]

Writes OUT_DIR/default-objects.json (the bench snapshot, unchanged: the benchmarked pod's
Deployment/ReplicaSet/MPA/LimitRange in `default`) plus OUT_DIR/scale-objects.json: for
--mpas MPAs spread evenly over --namespaces namespaces (`default` included), each a
Deployment, its ReplicaSet and an MPA targeting it with a recommendation. The pod under test
then shares its namespace with mpas/namespaces - 1 other MPAs, and the rest live elsewhere.
"""
import json, os, sys

args = sys.argv[1:]
if len(args) < 2:
    sys.exit(__doc__)
base, out = args[0], args[1]
opts = dict(zip(args[2::2], args[3::2]))
namespaces = int(opts.get("--namespaces", 100))
mpas = int(opts.get("--mpas", 10000))
os.makedirs(out, exist_ok=True)
for f in os.listdir(base):
    if f.endswith(".json"):
        with open(os.path.join(base, f)) as src, open(os.path.join(out, f), "w") as dst:
            dst.write(src.read())

items = []
for i in range(mpas):
    ns = "default" if i % namespaces == 0 else f"team-{i % namespaces:03d}"
    app = f"app-{i:05d}"
    dep_uid = f"00000000-0000-4000-8000-{i:012d}"
    rs = f"{app}-5c4d3b2a1"
    labels = {"app": app}
    items.append({"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": app, "namespace": ns, "uid": dep_uid, "labels": labels},
                  "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                           "template": {"metadata": {"labels": labels},
                                        "spec": {"containers": [{"name": app, "image": "registry.k8s.io/pause:3.9"}]}}}})
    items.append({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                  "metadata": {"name": rs, "namespace": ns, "uid": f"10000000-0000-4000-8000-{i:012d}",
                               "labels": dict(labels, **{"pod-template-hash": "5c4d3b2a1"}),
                               "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": app,
                                                    "uid": dep_uid, "controller": True, "blockOwnerDeletion": True}]},
                  "spec": {"replicas": 2, "selector": {"matchLabels": dict(labels, **{"pod-template-hash": "5c4d3b2a1"})}}})
    items.append({"apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
                  "metadata": {"name": f"{app}-mpa", "namespace": ns},
                  "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app},
                           "resourcePolicy": {"containerPolicies": [{"containerName": "*", "controlledResources": ["cpu", "memory"]}]},
                           "constraints": {"global": {"minReplicas": 1, "maxReplicas": 6}}},
                  "status": {"recommendation": {"containerRecommendations": [
                      {"containerName": app, "target": {"cpu": "250m", "memory": "128Mi"}}]}}})
with open(os.path.join(out, "scale-objects.json"), "w") as f:
    json.dump({"kind": "List", "apiVersion": "v1", "items": items}, f, separators=(",", ":"))
per = mpas // namespaces
print(f"{out}: {mpas} MPAs (+ Deployments, ReplicaSets) in {namespaces} namespaces, ~{per} per namespace, plus {base}")
