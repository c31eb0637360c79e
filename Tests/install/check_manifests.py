#!/usr/bin/env python3
"""Offline checks of the install manifests, the Dockerfile and gencerts' rendered output.

    check_manifests.py REPO_DIR GENCERTS_OUT_DIR RENDERED_KUSTOMIZE_YAML

Prints one line per check, `ok - NAME` or `FAIL - NAME: why` (scripts/test-install counts them),
and `note - ...` for checks it could not run. Exit status 0 unless it could not run at all.
"""
import base64
import os
import re
import sys

import yaml

results = []


def check(name, ok, why=""):
    results.append(ok)
    print(f"ok - {name}" if ok else f"FAIL - {name}: {why}", flush=True)


def note(text):
    print(f"note - {text}", flush=True)


def load_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def one(docs, kind):
    found = by_kind(docs, kind)
    return found[0] if len(found) == 1 else None


def flag_value(args, flag):
    """The value after `flag` in an argv list, or of `flag=value`."""
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(flag + "="):
            return a[len(flag) + 1:]
    return None


def port_of_address(addr):
    m = re.fullmatch(r"(?:[^:]*|\[[0-9a-fA-F:]+\]):(\d+)", addr or "")
    return int(m.group(1)) if m else None


def container_port(container, port):
    """Resolves a named or numbered port against the container's ports."""
    for p in container.get("ports", []):
        if port == p.get("name") or port == p.get("containerPort"):
            return p.get("containerPort")
    return None


# --- CRD ---------------------------------------------------------------------------------------

def structural_problems(node, path, root=True):
    """The parts of a CRD schema that make it non-structural (every node needs a type unless it
    is int-or-string or preserves unknown fields; metadata may only restrict name/generateName)."""
    problems = []
    if not isinstance(node, dict):
        return [f"{path}: not a schema object"]
    has_type = bool(node.get("type"))
    if not has_type and not node.get("x-kubernetes-int-or-string") and not node.get("x-kubernetes-preserve-unknown-fields"):
        problems.append(f"{path}: no type")
    if node.get("type") == "array" and "items" not in node:
        problems.append(f"{path}: array without items")
    if "properties" in node and isinstance(node.get("additionalProperties"), dict):
        problems.append(f"{path}: both properties and additionalProperties")
    for forbidden in ("$ref", "definitions", "dependencies", "id", "patternProperties", "uniqueItems"):
        if forbidden in node:
            problems.append(f"{path}: {forbidden} is not allowed in a structural schema")
    for key, child in (node.get("properties") or {}).items():
        if root and key == "metadata":
            extra = set((child.get("properties") or {}).keys()) - {"name", "generateName"}
            if extra:
                problems.append(f"{path}.metadata: may only restrict name/generateName, has {sorted(extra)}")
        problems += structural_problems(child, f"{path}.{key}", root=False)
    if isinstance(node.get("items"), dict):
        problems += structural_problems(node["items"], f"{path}[]", root=False)
    if isinstance(node.get("additionalProperties"), dict):
        problems += structural_problems(node["additionalProperties"], f"{path}{{}}", root=False)
    return problems


def schema_has_path(schema, json_path):
    """Whether a printer column's JSONPath (.a.b[0].c, filters allowed) names fields of the schema."""
    steps = re.sub(r"\[[^\]]*\]", "[]", json_path).strip(".").split(".")
    node = schema
    for step in steps:
        arrays = step.count("[]")
        name = step.replace("[]", "")
        props = node.get("properties") or {}
        if name == "metadata" and node is schema:
            return True  # ObjectMeta is not spelled out in a CRD schema
        if name in props:
            node = props[name]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]  # a map, e.g. a ResourceList keyed by cpu/memory
        else:
            return False
        for _ in range(arrays):
            if node.get("type") != "array":
                return False
            node = node.get("items") or {}
    return True


def check_crd(docs):
    crds = {d["metadata"]["name"]: d for d in by_kind(docs, "CustomResourceDefinition")}
    crd = crds.get("multidimpodautoscalers.autoscaling.k8s.io")
    check("CRD multidimpodautoscalers.autoscaling.k8s.io present", crd is not None, f"CRDs: {sorted(crds)}")
    if crd is None:
        return
    spec = crd["spec"]
    names = spec.get("names", {})
    check("CRD names: MultidimPodAutoscaler / multidimpodautoscalers / short name mpa, Namespaced",
          names.get("kind") == "MultidimPodAutoscaler" and names.get("plural") == "multidimpodautoscalers"
          and "mpa" in names.get("shortNames", []) and spec.get("scope") == "Namespaced", f"{names} {spec.get('scope')}")
    versions = {v["name"]: v for v in spec.get("versions", [])}
    v = versions.get("v1alpha1")
    check("CRD serves and stores v1alpha1", v is not None and v.get("served") and v.get("storage"), f"versions {sorted(versions)}")
    if v is None:
        return
    check("CRD v1alpha1 has the status subresource", "status" in (v.get("subresources") or {}), str(v.get("subresources")))
    for name, c in crds.items():
        for ver in c["spec"]["versions"]:
            schema = (ver.get("schema") or {}).get("openAPIV3Schema")
            problems = structural_problems(schema, "openAPIV3Schema") if schema else ["no openAPIV3Schema"]
            check(f"CRD {name} {ver['name']} schema is structural", not problems, "; ".join(problems[:5]))
    schema = v["schema"]["openAPIV3Schema"]
    for col in v.get("additionalPrinterColumns", []):
        check(f"CRD printer column {col['name']} ({col['jsonPath']}) names a field of the schema",
              schema_has_path(schema, col["jsonPath"]), "no such field")
    spec_props = schema["properties"]["spec"]["properties"]
    check("CRD schema has spec.policy.updateMode and spec.scaleTargetRef (what the rules read)",
          "updateMode" in (spec_props.get("policy", {}).get("properties") or {}) and "scaleTargetRef" in spec_props,
          f"spec properties: {sorted(spec_props)}")


# --- workload ------------------------------------------------------------------------------------

def check_workload(docs, dockerfile_text):
    dep = one(docs, "Deployment")
    svc = one(docs, "Service")
    sa = one(docs, "ServiceAccount")
    pdb = one(docs, "PodDisruptionBudget")
    check("one Deployment, Service, ServiceAccount and PodDisruptionBudget",
          None not in (dep, svc, sa, pdb), "missing or duplicated")
    if None in (dep, svc, sa, pdb):
        return None
    ns = dep["metadata"].get("namespace")
    check("Deployment, Service, ServiceAccount, PDB in kube-system",
          {ns, svc["metadata"].get("namespace"), sa["metadata"].get("namespace"), pdb["metadata"].get("namespace")} == {"kube-system"},
          "namespaces differ")
    check("Deployment mpa-admission, ServiceAccount mpa-admission, Service mpa-webhook",
          dep["metadata"]["name"] == "mpa-admission" and sa["metadata"]["name"] == "mpa-admission"
          and svc["metadata"]["name"] == "mpa-webhook", "names")
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"].get("labels", {})
    check("Deployment runs 2 replicas", spec.get("replicas") == 2, str(spec.get("replicas")))
    check("Deployment selector matches the pod labels",
          all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()), "selector/labels")
    check("pods use the mpa-admission ServiceAccount", pod.get("serviceAccountName") == "mpa-admission",
          str(pod.get("serviceAccountName")))
    anti = (pod.get("affinity") or {}).get("podAntiAffinity") or {}
    terms = [t.get("podAffinityTerm", t) for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])
             + anti.get("requiredDuringSchedulingIgnoredDuringExecution", [])]
    check("pod anti-affinity spreads replicas over nodes",
          any(t.get("topologyKey") == "kubernetes.io/hostname"
              and all(labels.get(k) == v for k, v in t["labelSelector"]["matchLabels"].items()) for t in terms),
          str(anti))
    check("terminationGracePeriodSeconds set (≥ webhook timeout)",
          isinstance(pod.get("terminationGracePeriodSeconds"), int) and pod["terminationGracePeriodSeconds"] >= 5,
          str(pod.get("terminationGracePeriodSeconds")))
    psc = pod.get("securityContext") or {}
    check("pod securityContext runAsNonRoot with a numeric non-root user",
          psc.get("runAsNonRoot") is True and isinstance(psc.get("runAsUser"), int) and psc["runAsUser"] > 0, str(psc))
    containers = pod.get("containers", [])
    check("one container", len(containers) == 1, f"{len(containers)} containers")
    c = containers[0]
    check("image mpa-admission:latest", c.get("image") == "mpa-admission:latest", str(c.get("image")))
    csc = c.get("securityContext") or {}
    check("container: readOnlyRootFilesystem, no privilege escalation, drops ALL capabilities",
          csc.get("readOnlyRootFilesystem") is True and csc.get("allowPrivilegeEscalation") is False
          and "ALL" in ((csc.get("capabilities") or {}).get("drop") or []), str(csc))
    res = c.get("resources") or {}
    check("container has cpu/memory requests and a memory limit",
          {"cpu", "memory"} <= set((res.get("requests") or {}).keys()) and "memory" in (res.get("limits") or {}), str(res))
    args = c.get("args") or []
    check("container runs `serve`", args[:1] == ["serve"] and not c.get("command"), str(args))
    port = flag_value(args, "--port")
    metrics_port = port_of_address(flag_value(args, "--metrics-address"))
    check("--port 8000 and --metrics-address :8944", port == "8000" and metrics_port == 8944, str(args))
    port = int(port) if port and port.isdigit() else None
    check("container ports declare the webhook and metrics ports",
          container_port(c, port) == port and container_port(c, metrics_port) == metrics_port and port is not None,
          str(c.get("ports")))
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = (c.get(probe) or {}).get("httpGet") or {}
        check(f"{probe} GET {path} over HTTP on the metrics port",
              get.get("path") == path and container_port(c, get.get("port")) == metrics_port
              and get.get("scheme", "HTTP") == "HTTP", str(get))
    # The TLS files named in the args come from the mpa-tls-certs Secret, mounted read-only.
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = c.get("volumeMounts", [])
    tls_mounts = [m for m in mounts if (volumes.get(m["name"], {}).get("secret") or {}).get("secretName") == "mpa-tls-certs"]
    check("Secret mpa-tls-certs mounted read-only at /etc/mpa-tls-certs",
          len(tls_mounts) == 1 and tls_mounts[0]["mountPath"] == "/etc/mpa-tls-certs" and tls_mounts[0].get("readOnly") is True,
          str(mounts))
    for flag, key in (("--tls-cert-file", "tls.crt"), ("--tls-private-key", "tls.key")):
        check(f"{flag} is {key} in the Secret's mount", flag_value(args, flag) == f"/etc/mpa-tls-certs/{key}",
              str(flag_value(args, flag)))
    # Secret files must be readable by the non-root user: world-readable mode, or group + fsGroup.
    mode = (volumes.get(tls_mounts[0]["name"])["secret"].get("defaultMode", 0o644)) if tls_mounts else 0
    check("the non-root user can read the mounted Secret",
          bool(mode & 0o004) or (bool(mode & 0o040) and psc.get("fsGroup") is not None), f"mode {oct(mode)}")
    # Service -> pod port.
    sports = svc["spec"].get("ports", [])
    check("Service selects the pods", all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "selector")
    check("Service port 443 targets the container's --port",
          len(sports) == 1 and sports[0]["port"] == 443 and container_port(c, sports[0].get("targetPort")) == port,
          str(sports))
    check("PodDisruptionBudget keeps one replica and selects the pods",
          pdb["spec"].get("minAvailable") == 1
          and all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items()), str(pdb["spec"]))
    check_dockerfile(dockerfile_text, args, port, metrics_port, psc.get("runAsUser"))
    return {"namespace": ns, "service": svc["metadata"]["name"], "port": sports[0]["port"] if sports else None}


def check_rbac(docs, sa_namespace):
    role = one(docs, "ClusterRole")
    binding = one(docs, "ClusterRoleBinding")
    check("one ClusterRole and ClusterRoleBinding in the default install", role is not None and binding is not None, "")
    if role is None or binding is None:
        return
    check("binding ties the ClusterRole to ServiceAccount kube-system/mpa-admission",
          binding["roleRef"]["name"] == role["metadata"]["name"] and binding["roleRef"]["kind"] == "ClusterRole"
          and {"kind": "ServiceAccount", "name": "mpa-admission", "namespace": sa_namespace} in binding["subjects"],
          str(binding["subjects"]))
    granted = {}
    for rule in role["rules"]:
        for g in rule["apiGroups"]:
            for r in rule["resources"]:
                granted.setdefault((g, r), set()).update(rule["verbs"])
    writes = {v for verbs in granted.values() for v in verbs} & {"create", "update", "patch", "delete", "deletecollection", "*"}
    check("the default ClusterRole is read-only", not writes, f"write verbs {sorted(writes)}")
    needed = [("autoscaling.k8s.io", "multidimpodautoscalers"), ("", "limitranges"), ("", "replicationcontrollers"),
              ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"),
              ("batch", "jobs"), ("batch", "cronjobs")]
    missing = [f"{g}/{r}" for g, r in needed if not {"get", "list", "watch"} <= granted.get((g, r), set())]
    check("ClusterRole reads MPAs, LimitRanges and every pod owner kind (get/list/watch)", not missing, f"missing {missing}")
    check("ClusterRole gets */scale and lists/watches namespaces",
          "get" in granted.get(("*", "*/scale"), set()) and {"list", "watch"} <= granted.get(("", "namespaces"), set()),
          "")


def check_registration_rbac(path):
    docs = load_docs(path)
    role = one(docs, "ClusterRole")
    binding = one(docs, "ClusterRoleBinding")
    ok = role is not None and binding is not None
    verbs = {}
    for rule in (role or {}).get("rules", []):
        for r in rule["resources"]:
            verbs.setdefault(r, set()).update(rule["verbs"])
    check("registration ClusterRole: create/get/update both webhook configuration kinds, bound to the ServiceAccount",
          ok and all({"create", "get", "update"} <= verbs.get(r, set())
                     for r in ("mutatingwebhookconfigurations", "validatingwebhookconfigurations"))
          and binding["roleRef"]["name"] == role["metadata"]["name"]
          and any(s.get("name") == "mpa-admission" for s in binding["subjects"]), str(verbs))


# --- webhook configurations ----------------------------------------------------------------------

def rule_matches(webhook, group, resource, operations):
    return any(group in r.get("apiGroups", []) and resource in r.get("resources", [])
               and set(operations) <= set(r.get("operations", [])) for r in webhook.get("rules", []))


def excludes_namespace(webhook, ns):
    sel = webhook.get("namespaceSelector") or {}
    return any(e.get("key") == "kubernetes.io/metadata.name" and e.get("operator") == "NotIn" and ns in e.get("values", [])
               for e in sel.get("matchExpressions", []))


def check_webhooks(docs, target, ca_bundle, label):
    """target: {service, namespace, port}; ca_bundle: the expected caBundle ('' for the templates)."""
    mutating = one(docs, "MutatingWebhookConfiguration")
    validating = one(docs, "ValidatingWebhookConfiguration")
    check(f"{label}: one Mutating and one ValidatingWebhookConfiguration", mutating is not None and validating is not None, "")
    if mutating is None or validating is None:
        return
    for cfg, path in ((mutating, "/mutate"), (validating, "/validate")):
        kind = cfg["kind"]
        hooks = cfg.get("webhooks", [])
        names = [w["name"] for w in hooks]
        check(f"{label}: {kind} webhook names are unique and qualified", len(set(names)) == len(names)
              and all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+){2,}", n) for n in names), str(names))
        for w in hooks:
            n = f"{label}: {kind} {w['name']}"
            check(f"{n}: admissionReviewVersions [v1, v1beta1]", w.get("admissionReviewVersions") == ["v1", "v1beta1"],
                  str(w.get("admissionReviewVersions")))
            check(f"{n}: sideEffects None", w.get("sideEffects") == "None", str(w.get("sideEffects")))
            check(f"{n}: timeoutSeconds 5", w.get("timeoutSeconds") == 5, str(w.get("timeoutSeconds")))
            service = (w.get("clientConfig") or {}).get("service") or {}
            check(f"{n}: calls Service {target['namespace']}/{target['service']}:{target['port']}{path}",
                  service == {"name": target["service"], "namespace": target["namespace"], "path": path, "port": target["port"]},
                  str(service))
            check(f"{n}: caBundle {'is the CA' if ca_bundle else 'placeholder is empty'}",
                  w["clientConfig"].get("caBundle") == ca_bundle, "caBundle differs")
            if kind.startswith("Mutating"):
                check(f"{n}: reinvocationPolicy set", w.get("reinvocationPolicy") in ("Never", "IfNeeded"),
                      str(w.get("reinvocationPolicy")))
    pods = [w for w in mutating["webhooks"] if rule_matches(w, "", "pods", ["CREATE"])]
    check(f"{label}: a mutating webhook for pods CREATE", len(pods) == 1, f"{len(pods)} found")
    for w in pods:
        check(f"{label}: pods webhook fails open (failurePolicy Ignore)", w.get("failurePolicy") == "Ignore", str(w.get("failurePolicy")))
        check(f"{label}: pods webhook skips kube-system and its own namespace",
              excludes_namespace(w, "kube-system") and excludes_namespace(w, target["namespace"]), str(w.get("namespaceSelector")))
    mpa_args = ("autoscaling.k8s.io", "multidimpodautoscalers", ["CREATE", "UPDATE"])
    check(f"{label}: a mutating webhook for MPA CREATE/UPDATE",
          sum(rule_matches(w, *mpa_args) for w in mutating["webhooks"]) == 1, "")
    vhooks = [w for w in validating["webhooks"] if rule_matches(w, *mpa_args)]
    check(f"{label}: a validating webhook for MPA CREATE/UPDATE with failurePolicy Fail",
          len(vhooks) == 1 and vhooks[0].get("failurePolicy") == "Fail", str(vhooks))


# --- Dockerfile ----------------------------------------------------------------------------------

def check_dockerfile(text, deploy_args, port, metrics_port, run_as_user):
    lines = re.sub(r"\\\n", " ", text).splitlines()
    instr = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if len(l.split(None, 1)) > 1 else "")
             for l in lines if l.strip() and not l.lstrip().startswith("#")]
    froms = [a for i, a in instr if i == "FROM"]
    check("Dockerfile: builds on swift:6.3-bookworm, runs on debian:bookworm-slim",
          len(froms) == 2 and froms[0].split()[0] == "swift:6.3-bookworm" and froms[1].split()[0] == "debian:bookworm-slim",
          str(froms))
    stage_at = [k for k, (i, _) in enumerate(instr) if i == "FROM"]
    build = " ".join(a for i, a in instr[stage_at[0]:stage_at[-1]] if i == "RUN") if len(stage_at) == 2 else ""
    runtime = instr[stage_at[-1]:] if stage_at else []
    check("Dockerfile: build stage installs libssl-dev and libnghttp2-dev",
          "libssl-dev" in build and "libnghttp2-dev" in build, "")
    check("Dockerfile: release build of the mpa-admission product with the static Swift stdlib",
          re.search(r"swift build -c release --product mpa-admission --static-swift-stdlib", build) is not None, "")
    runtime_run = " ".join(a for i, a in runtime if i == "RUN")
    installed = set(re.findall(r"--no-install-recommends\s+([^&]*)", runtime_run)[0].split()) if "--no-install-recommends" in runtime_run else set()
    # OpenSSL, nghttp2 and libstdc++ are linked into the binary (Package.swift); the trust store
    # stays for the Kubernetes client's default verify paths.
    check("Dockerfile: runtime installs only ca-certificates (OpenSSL and nghttp2 are linked in)",
          installed == {"ca-certificates"}, str(sorted(installed)))
    users = [a.strip() for i, a in runtime if i == "USER"]
    uid = users[-1].split(":")[0] if users else ""
    check("Dockerfile: runs as a numeric non-root user, the Deployment's runAsUser",
          uid.isdigit() and int(uid) != 0 and int(uid) == run_as_user, f"USER {users} vs runAsUser {run_as_user}")
    exposed = {int(p.split("/")[0]) for i, a in runtime if i == "EXPOSE" for p in a.split()}
    check("Dockerfile: EXPOSEs the webhook and metrics ports", {port, metrics_port} <= exposed, str(exposed))
    import json
    entry = [json.loads(a) for i, a in runtime if i == "ENTRYPOINT"]
    cmd = [json.loads(a) for i, a in runtime if i == "CMD"]
    copied = [a for i, a in runtime if i == "COPY"]
    binary = entry[-1][0] if entry and entry[-1] else ""
    check("Dockerfile: ENTRYPOINT is the copied mpa-admission binary",
          binary.endswith("/mpa-admission") and any(a.split()[-1] == binary for a in copied), f"{entry} {copied}")
    # The image carries no rules file: the Deployment adds `--config` for its ConfigMap.
    check("Dockerfile: CMD is the Deployment's serve arguments (less the ConfigMap's --config)",
          cmd and cmd[-1] + ["--config", "/etc/mpa-admission/rules.yaml"] == deploy_args, f"{cmd} vs {deploy_args}")


# --- gencerts' output ------------------------------------------------------------------------------

def check_secret(out_dir):
    docs = load_docs(os.path.join(out_dir, "secret.yaml"))
    s = docs[0] if len(docs) == 1 else {}
    check("Secret: kubernetes.io/tls named mpa-tls-certs in kube-system",
          s.get("kind") == "Secret" and s.get("type") == "kubernetes.io/tls"
          and s.get("metadata", {}).get("name") == "mpa-tls-certs" and s["metadata"].get("namespace") == "kube-system", str(s.get("metadata")))
    data = s.get("data", {})
    check("Secret holds exactly tls.crt, tls.key, ca.crt", set(data) == {"tls.crt", "tls.key", "ca.crt"}, str(sorted(data)))
    for key in ("tls.crt", "tls.key", "ca.crt"):
        with open(os.path.join(out_dir, key), "rb") as f:
            want = f.read()
        try:
            got = base64.b64decode(data.get(key, ""), validate=True)
        except Exception as e:  # noqa: BLE001 - any decoding error is the failure
            got = f"not base64: {e}".encode()
        check(f"Secret {key} decodes to {key}", got == want, "differs")
    with open(os.path.join(out_dir, "ca.key"), "rb") as f:
        ca_key = f.read()
    decoded = b"".join(base64.b64decode(v) for v in data.values() if isinstance(v, str))
    raw = open(os.path.join(out_dir, "secret.yaml"), "rb").read()
    check("Secret does not contain the CA key", ca_key not in decoded and base64.b64encode(ca_key) not in raw
          and decoded.count(b"PRIVATE KEY-----") == 2, "the CA key leaked into the Secret")


def main():
    repo, out_dir, rendered = sys.argv[1:4]
    install = os.path.join(repo, "manifests", "install")
    all_docs = []
    for name in sorted(os.listdir(install)):
        path = os.path.join(install, name)
        try:
            docs = load_docs(path)
            ok = bool(docs) and all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind")
                                    and (d.get("metadata") or {}).get("name") for d in docs)
            check(f"manifests/install/{name} parses; every object has apiVersion, kind, name", ok, "missing fields")
        except yaml.YAMLError as e:
            check(f"manifests/install/{name} parses", False, str(e).splitlines()[0])
            continue
        if name != "webhook-registration-rbac.yaml":
            all_docs += docs
    kust = load_docs(os.path.join(repo, "manifests", "kustomization.yaml"))[0]
    listed = {os.path.basename(r) for r in kust.get("resources", [])}
    files = set(os.listdir(install)) - {"webhook-registration-rbac.yaml"}
    check("kustomization lists every install manifest (registration RBAC is opt-in)", listed == files,
          f"not listed {sorted(files - listed)}, extra {sorted(listed - files)}")
    rendered_docs = load_docs(rendered)
    kinds = sorted(d["kind"] for d in rendered_docs)
    check("`kubectl kustomize manifests` renders every install object and the rules ConfigMap",
          kinds == sorted([d["kind"] for d in all_docs] + ["ConfigMap"]), f"{kinds}")

    check_crd(all_docs)
    with open(os.path.join(repo, "Dockerfile")) as f:
        dockerfile = f.read()
    target = check_workload(all_docs, dockerfile)
    check_rbac(all_docs, "kube-system")
    check_registration_rbac(os.path.join(install, "webhook-registration-rbac.yaml"))
    if target:
        check_webhooks(all_docs, target, "", "template")
        with open(os.path.join(out_dir, "ca.crt"), "rb") as f:
            bundle = base64.b64encode(f.read()).decode()
        gen = load_docs(os.path.join(out_dir, "mutatingwebhookconfiguration.yaml")) + \
            load_docs(os.path.join(out_dir, "validatingwebhookconfiguration.yaml"))
        check_webhooks(gen, target, bundle, "gencerts copy")
        # Apart from caBundle the rendered copies are the templates.
        strip = lambda d: [{**w, "clientConfig": {**w["clientConfig"], "caBundle": None}} for w in d["webhooks"]]
        templ = {d["kind"]: d for d in all_docs if d["kind"].endswith("WebhookConfiguration")}
        check("gencerts copies differ from the templates only in caBundle",
              all(strip(d) == strip(templ[d["kind"]]) for d in gen), "other fields differ")
    check_secret(out_dir)

    # Full schema validation against the Kubernetes OpenAPI (kubernetes-validate, if installed).
    try:
        import kubernetes_validate  # noqa: PLC0415
    except ImportError:
        note("kubernetes-validate is not installed: OpenAPI schema validation skipped")
        return
    version = kubernetes_validate.latest_version()
    objects = all_docs + load_docs(os.path.join(install, "webhook-registration-rbac.yaml")) + gen + \
        load_docs(os.path.join(out_dir, "secret.yaml"))
    for d in objects:
        try:
            kubernetes_validate.validate(d, version, strict=True)
            check(f"{d['kind']} {d['metadata']['name']} valid against the Kubernetes {version} OpenAPI (strict)", True)
        except Exception as e:  # noqa: BLE001 - ValidationError and unknown-kind errors alike
            msg = str(e).splitlines()[0][:300]
            check(f"{d['kind']} {d['metadata']['name']} valid against the Kubernetes {version} OpenAPI (strict)", False, msg)


if __name__ == "__main__":
    main()
    sys.exit(0)
