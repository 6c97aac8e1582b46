"""Dasi's own deployment (deploy/k8s/, Kustomize): every overlay renders with the real kubectl
and validates strictly; a broken copy fails; every README variable reaches the containers;
queues, probes, metrics and security settings are what the code expects."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
import yaml

from lms.monitoring import DEFAULT_QUEUE, GRADING_QUEUE

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ("staging", "production", "production-keda")

_spec = importlib.util.spec_from_file_location("deploy_validate", ROOT / "deploy" / "validate.py")
validator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validator)


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    out = {}
    for overlay in OVERLAYS:
        documents, error = validator.render(ROOT / "deploy/k8s/overlays" / overlay)
        assert documents is not None, error
        out[overlay] = documents
    return out


def of_kind(documents, kind):
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def containers(documents):
    for doc in documents:
        if doc["kind"] in ("Deployment", "Job"):
            spec = doc["spec"]["template"]["spec"]
            for container in [*spec.get("initContainers", []), *spec["containers"]]:
                yield doc, spec, container


def readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("| Variable | Default | Meaning |", 1)[1].split("\n\n", 1)[0]
    names = set()
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first))
    assert len(names) > 30, names
    return names


def test_every_overlay_renders_and_validates_strictly():
    assert validator.check_overlays(ROOT, validator.KUBERNETES_VERSION) == []


def test_a_broken_copy_fails_naming_the_overlay_and_the_field(tmp_path):
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    web = tmp_path / "deploy/k8s/base/web.yaml"
    web.write_text(
        web.read_text().replace("  revisionHistoryLimit: 5\n", "  revisionHistoryLimt: 5\n", 1)
    )
    problems = validator.validate(tmp_path)
    assert problems, "a misspelt field must fail"
    assert all("(rendered)" in p and "Deployment dasi-web" in p for p in problems), problems
    assert {p.split(" (rendered)")[0] for p in problems} == {
        f"deploy/k8s/overlays/{o}" for o in OVERLAYS
    }
    assert any("revisionHistoryLimt" in p for p in problems)


def test_a_kustomization_that_does_not_build_fails(tmp_path):
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / "deploy/k8s/base/pdb.yaml").unlink()
    problems = validator.check_overlays(tmp_path, validator.KUBERNETES_VERSION)
    assert len(problems) == len(OVERLAYS)
    assert all("kubectl kustomize fails" in p for p in problems), problems


def test_an_unknown_keda_field_fails(tmp_path):
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    scaled = tmp_path / "deploy/k8s/components/keda/scaledobject.yaml"
    scaled.write_text(scaled.read_text().replace("  cooldownPeriod:", "  cooldownPeriods:"))
    problems = validator.check_overlays(tmp_path, validator.KUBERNETES_VERSION)
    assert problems == [
        "deploy/k8s/overlays/production-keda (rendered): document "
        + problems[0].split("document ")[1].split(" ")[0]
        + " (ScaledObject dasi-worker-grading): spec.cooldownPeriods is not a KEDA field"
    ]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_readme_variable_reaches_every_dasi_container(rendered, overlay):
    documents = rendered[overlay]
    [config] = of_kind(documents, "ConfigMap").values()
    for doc, _, container in containers(documents):
        if container["name"] == "wait-for-migrations":
            continue
        assert {"configMapRef": {"name": config["metadata"]["name"]}} in container["envFrom"]
        names = set(config["data"]) | {e["name"] for e in container.get("env", [])}
        missing = readme_variables() - names
        assert not missing, f"{doc['metadata']['name']}: {sorted(missing)}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_only_by_reference(rendered, overlay):
    documents = rendered[overlay]
    assert not of_kind(documents, "Secret")
    secret_like = re.compile(
        r"SECRET|TOKEN|PASSWORD|DATABASE_URL|BROKER_URL|CACHE_URL|PRIVATE_KEY|ENCRYPTION"
    )
    [config] = of_kind(documents, "ConfigMap").values()
    assert not [k for k in config["data"] if secret_like.search(k)]
    for _, _, container in containers(documents):
        for entry in container.get("env", []):
            if secret_like.search(entry["name"]):
                assert "value" not in entry and "secretKeyRef" in entry["valueFrom"], entry


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_restricted(rendered, overlay):
    for _, spec, container in containers(rendered[overlay]):
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        ctx = container["securityContext"]
        assert ctx["readOnlyRootFilesystem"] is True
        assert ctx["allowPrivilegeEscalation"] is False
        assert ctx["capabilities"] == {"drop": ["ALL"]}
        assert {"name": "tmp", "mountPath": "/tmp"}  # noqa: S108 — inside the pod in container["volumeMounts"]
        assert "emptyDir" in {v["name"]: v for v in spec["volumes"]}["tmp"]
        assert container["resources"]["requests"] and container["resources"]["limits"]


def test_workers_consume_the_queues_the_settings_route_to(rendered):
    deployments = of_kind(rendered["production"], "Deployment")
    queue_of = {}
    for name, doc in deployments.items():
        args = doc["spec"]["template"]["spec"]["containers"][0]["args"]
        if "worker" in args:
            queue_of[name] = args[args.index("-Q") + 1]
    assert queue_of == {"dasi-worker-grading": GRADING_QUEUE, "dasi-worker-default": DEFAULT_QUEUE}
    beat = deployments["dasi-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "dasi-beat" not in of_kind(rendered["production"], "HorizontalPodAutoscaler")


def test_probes_and_metrics(rendered):
    documents = rendered["production"]
    web = of_kind(documents, "Deployment")["dasi-web"]["spec"]["template"]["spec"]
    container = web["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live/"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready/"
    assert web["initContainers"][0]["name"] == "wait-for-migrations"
    assert "migrate --check" in web["initContainers"][0]["command"][-1]
    [ingress] = of_kind(documents, "Ingress").values()
    ports = {
        path["backend"]["service"]["port"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert ports == {"http"}  # the metrics port is never routed from outside
    assert ingress["spec"]["tls"][0]["hosts"] == [r["host"] for r in ingress["spec"]["rules"]]
    [config] = of_kind(documents, "ConfigMap").values()
    assert config["data"]["DASI_METRICS_PORT"] == "9100"
    assert config["data"]["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")  # noqa: S108
    hpas = of_kind(documents, "HorizontalPodAutoscaler")
    assert hpas["dasi-web"]["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    external = hpas["dasi-worker-grading"]["spec"]["metrics"][0]["external"]["metric"]
    assert external == {
        "name": "dasi_queue_length",
        "selector": {"matchLabels": {"queue": GRADING_QUEUE}},
    }
    keda = rendered["production-keda"]
    assert "dasi-worker-grading" not in of_kind(keda, "HorizontalPodAutoscaler")
    assert (
        of_kind(keda, "ScaledObject")["dasi-worker-grading"]["spec"]["triggers"][0]["metadata"][
            "listName"
        ]
        == GRADING_QUEUE
    )


def test_storage_selection_per_overlay(rendered):
    staging, production = rendered["staging"], rendered["production"]
    [claim] = of_kind(staging, "PersistentVolumeClaim").values()
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert (
        next(iter(of_kind(staging, "ConfigMap").values()))["data"]["DASI_STORAGE"] == "filesystem"
    )
    assert not of_kind(production, "PersistentVolumeClaim")
    assert next(iter(of_kind(production, "ConfigMap").values()))["data"]["DASI_STORAGE"] == "s3"


@pytest.mark.parametrize(
    ("overlay", "ports"), [("staging", {53, 5432, 6379}), ("production", {53, 5432, 6379, 443})]
)
def test_grading_workers_reach_only_the_data_stores(rendered, overlay, ports):
    """No hub, no SMTP; HTTPS only where the files are in a bucket (production)."""
    policies = of_kind(rendered[overlay], "NetworkPolicy")
    labels = {"app.kubernetes.io/name": "dasi", "app.kubernetes.io/component": "worker-grading"}

    def selects(policy):
        selector = policy["spec"]["podSelector"]
        if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
            return False
        return all(
            labels.get(e["key"]) in e["values"] for e in selector.get("matchExpressions", [])
        )

    egress_ports = set()
    for name, policy in policies.items():
        if selects(policy) and "Egress" in policy["spec"]["policyTypes"]:
            for rule in policy["spec"].get("egress", []):
                assert rule.get("to") or name == "dasi-object-storage", name
                egress_ports |= {p["port"] for p in rule.get("ports", [])}
    assert egress_ports == ports


def test_the_example_secret_shows_every_required_key(rendered):
    [example] = yaml.safe_load_all((ROOT / "deploy/k8s/dasi-secrets.example.yaml").read_text())
    required, optional = set(), set()
    for _, _, container in containers(rendered["production"]):
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == example["metadata"]["name"]
                (optional if ref.get("optional") else required).add(ref["key"])
    assert required <= set(example["stringData"])
    assert set(example["stringData"]) <= required | optional
