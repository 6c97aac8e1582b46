"""deploy/validate.py: the real deployment files pass, and each kind of breakage fails with a line
that names the file and what is wrong."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip(
    "kubernetes_validate", reason="pip install -e '.[test]' brings kubernetes-validate"
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "validate.py"
VALUES = Path("deploy/jupyterhub/helm/values.yaml")
STAGING = Path("deploy/jupyterhub/helm/values-staging.yaml")

_spec = importlib.util.spec_from_file_location("deploy_validate", SCRIPT)
validator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validator)


@pytest.fixture
def repo(tmp_path):
    """A copy of the real deploy/ tree, passing as it is; each test breaks one thing."""
    shutil.copytree(
        ROOT / "deploy", tmp_path / "deploy", ignore=shutil.ignore_patterns("__pycache__")
    )
    assert validator.validate(tmp_path) == []
    return tmp_path


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# --- the real files -------------------------------------------------------------------------------


def test_the_repositorys_deployment_files_pass():
    assert validator.validate(ROOT) == []


def test_the_real_manifests_and_values_are_all_checked():
    files = {p.relative_to(ROOT).as_posix() for p in validator.yaml_files(ROOT)}
    assert {
        "deploy/k8s/grader-job.yaml",
        "deploy/k8s/grader-networkpolicy.yaml",
        "deploy/k8s/jupyterhub-secrets.example.yaml",
        "deploy/k8s/base/dasi-web-networkpolicy.yaml",
        VALUES.as_posix(),
        STAGING.as_posix(),
    } <= files
    assert any(f.startswith("lms/skills/data/roles/") for f in files)
    assert not any(f.startswith((".venv/", "node_modules/", ".git/")) for f in files)


def test_command_line_exits_zero_on_the_repository_and_one_per_problem_line(repo):
    ok = subprocess.run(  # noqa: S603 — our own script
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert (ok.returncode, ok.stdout) == (0, "")

    write(repo / "deploy/k8s/broken.yaml", "kind: [unclosed\n")
    write(repo / "notes/also-broken.yml", "a: b: c\n")
    bad = subprocess.run(  # noqa: S603 — our own script
        [sys.executable, str(SCRIPT), "--root", str(repo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("deploy/k8s/broken.yaml: YAML does not parse at line 2")
    assert lines[1].startswith("notes/also-broken.yml: YAML does not parse at line 1")


# --- YAML anywhere --------------------------------------------------------------------------------


def test_unparsable_yaml_outside_deploy_is_reported(repo):
    write(repo / "lms/skills/data/roles/bad.yaml", "title: Analyst\nskills: [sql, excel\n")
    [problem] = validator.validate(repo)
    assert re.match(r"lms/skills/data/roles/bad\.yaml: YAML does not parse at line \d+", problem)


def test_environments_and_caches_are_not_searched(repo):
    for place in (".venv/lib", "node_modules/pkg", "var", "pkg.egg-info", ".git"):
        write(repo / place / "broken.yaml", "a: [\n")
    assert validator.validate(repo) == []


def test_yaml_outside_deploy_is_parsed_but_not_validated_as_kubernetes(repo):
    write(repo / "docs/example.yaml", "apiVersion: v1\nkind: Pod\nspec: {nonsense: true}\n")
    assert validator.validate(repo) == []


# --- Kubernetes manifests under deploy/ -----------------------------------------------------------


def test_an_unknown_field_fails_strict_validation(repo):
    job = repo / "deploy/k8s/grader-job.yaml"
    job.write_text(job.read_text().replace("backoffLimit: 0", "backofLimit: 0"))
    [problem] = validator.validate(repo)
    assert problem.startswith(
        "deploy/k8s/grader-job.yaml: document 1 (Job grade-${SUBMISSION_ID}): spec: "
    )
    assert "'backofLimit' was unexpected" in problem


def test_every_document_of_a_multi_document_file_is_validated(repo):
    write(
        repo / "deploy/k8s/web.yaml",
        """\
apiVersion: v1
kind: ConfigMap
metadata: {name: web-settings}
data: {GUNICORN_WORKERS: "3"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: two
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: dasi:1}]
""",
    )
    [problem] = validator.validate(repo)
    assert problem.startswith("deploy/k8s/web.yaml: document 2 (Deployment web): spec.replicas: ")
    assert "'two' is not of type 'integer'" in problem


def test_a_kind_without_a_schema_fails(repo):
    write(
        repo / "deploy/k8s/widget.yaml",
        "apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w}\n",
    )
    assert validator.validate(repo) == [
        "deploy/k8s/widget.yaml: document 1 (Widget w): no Kubernetes 1.31 schema "
        "for kind 'Widget' in apiVersion 'example.org/v1'"
    ]


def test_half_a_manifest_fails(repo):
    write(repo / "deploy/k8s/half.yaml", "apiVersion: v1\nmetadata: {name: x}\n")
    assert validator.validate(repo) == [
        "deploy/k8s/half.yaml: document 1 has apiVersion but no kind"
    ]


def test_a_secret_with_a_real_value_fails(repo):
    def leak(secret):
        secret["stringData"]["oauth-client-secret"] = "s3cr3t-from-a-laptop"

    edit_yaml(repo / "deploy/k8s/jupyterhub-secrets.example.yaml", leak)
    assert validator.validate(repo) == [
        "deploy/k8s/jupyterhub-secrets.example.yaml: document 1 (Secret dasi-hub-secrets): "
        "stringData.oauth-client-secret must be the placeholder REPLACE-ME"
    ]


def test_an_unsupported_kubernetes_version_is_one_problem(repo):
    [problem] = validator.validate(repo, version="1.9")
    assert problem.startswith("kubernetes-validate has no Kubernetes 1.9 schemas")


# --- Zero to JupyterHub values --------------------------------------------------------------------


def test_the_helm_values_are_not_validated_as_manifests(repo):
    values = yaml.safe_load((repo / VALUES).read_text())
    assert "apiVersion" not in values and "kind" not in values
    assert validator.validate(repo) == []


def test_a_misspelt_chart_key_fails(repo):
    edit_yaml(repo / VALUES, lambda v: v["singleuser"]["cpu"].update(limt=4))
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: singleuser.cpu.limt is not a z2jh 4.x values key"
    ]


def test_a_value_outside_the_chart_enum_fails(repo):
    edit_yaml(repo / STAGING, lambda v: v["proxy"]["https"].update(type="acme"))
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values-staging.yaml: proxy.https.type is 'acme', z2jh 4.x "
        "allows '', 'letsencrypt', 'manual', 'offload', 'secret', None"
    ]


def test_a_secret_in_the_values_fails(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["config"]["GenericOAuthenticator"].update(client_secret="abc"),
    )
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: hub.config.GenericOAuthenticator.client_secret "
        "is a secret; put it in the hub's Secret instead"
    ]


def test_a_database_password_in_the_url_fails(repo):
    def inline(v):
        v["hub"]["db"]["url"] = "postgresql://jupyterhub:hunter2@db:5432/jupyterhub"

    edit_yaml(repo / VALUES, inline)
    problems = validator.validate(repo)
    assert (
        "deploy/jupyterhub/helm/values.yaml: hub.db.url carries a password; "
        "use the Secret's hub.db.password"
    ) in problems


def test_the_dasi_role_is_exactly_the_local_hubs():
    config = (ROOT / "deploy/jupyterhub/jupyterhub_config.py").read_text()
    start = config.index('"name": "dasi-service"')
    role = config[start : config.index("}", start)]
    local = set(re.findall(r'^\s*"([a-z:]+![^"]+)",', role, re.MULTILINE))
    values = yaml.safe_load((ROOT / VALUES).read_text())
    assert local == validator.DASI_SCOPES
    assert set(values["hub"]["loadRoles"]["dasi-service"]["scopes"]) == validator.DASI_SCOPES


def test_listing_every_user_is_no_longer_part_of_the_role(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["loadRoles"]["dasi-service"]["scopes"].append("list:users"),
    )
    [problem] = validator.validate(repo)
    assert "(missing: none; extra: list:users)" in problem


def test_the_token_scope_may_not_be_dropped(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["loadRoles"]["dasi-service"]["scopes"].remove("tokens!group=learners"),
    )
    [problem] = validator.validate(repo)
    assert "(missing: tokens!group=learners; extra: none)" in problem


def test_the_start_api_must_answer_at_once(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["config"]["JupyterHub"]["tornado_settings"].update(
            slow_spawn_timeout=10
        ),
    )
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: "
        "hub.config.JupyterHub.tornado_settings.slow_spawn_timeout must be 0, found 10"
    ]


def test_load_groups_conflicts_with_manage_groups(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["config"]["JupyterHub"].update(load_groups={"learners": []}),
    )
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: "
        "JupyterHub.load_groups conflicts with Authenticator.manage_groups"
    ]


def test_learners_servers_have_no_route_to_dasi():
    values = yaml.safe_load((ROOT / VALUES).read_text())
    assert not values["singleuser"]["networkPolicy"].get("egress")
    [policy] = yaml.safe_load_all(
        (ROOT / "deploy/k8s/base/dasi-web-networkpolicy.yaml").read_text()
    )
    hub_rule = policy["spec"]["ingress"][0]["from"][0]
    assert hub_rule["podSelector"] == {"matchLabels": {"component": "hub"}}
    assert "singleuser-server" not in yaml.safe_dump(policy)


def test_the_dasi_role_may_not_grow(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["hub"]["loadRoles"]["dasi-service"]["scopes"].append("admin:users"),
    )
    problems = validator.validate(repo)
    assert (
        "deploy/jupyterhub/helm/values.yaml: hub.loadRoles.dasi-service gives dasi admin scopes"
        in problems
    )
    assert any("(missing: none; extra: admin:users)" in p for p in problems)


def test_a_jupyterhub_6_only_scope_fails(repo):
    def six_only(v):
        scopes = v["hub"]["loadRoles"]["dasi-service"]["scopes"]
        scopes[scopes.index("servers!group=learners")] = "start:servers!group=learners"

    edit_yaml(repo / VALUES, six_only)
    problems = validator.validate(repo)
    assert (
        "deploy/jupyterhub/helm/values.yaml: hub.loadRoles.dasi-service uses "
        "start:servers!group=learners, unknown to JupyterHub 5.x (servers covers it in 6.x)"
    ) in problems
    assert any("missing: servers!group=learners" in p for p in problems)


def test_an_admin_dasi_service_fails(repo):
    edit_yaml(repo / VALUES, lambda v: v["hub"]["services"]["dasi"].update(admin=True))
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: hub.services.dasi must never be admin"
    ]


def test_private_ranges_must_stay_closed_to_learners(repo):
    edit_yaml(
        repo / VALUES,
        lambda v: v["singleuser"]["networkPolicy"]["egressAllowRules"].update(privateIPs=True),
    )
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: "
        "singleuser.networkPolicy.egressAllowRules.privateIPs must be False, found True"
    ]


def test_endpoints_must_be_dasis_oauth_paths_on_one_host(repo):
    def move(v):
        v["hub"]["config"]["GenericOAuthenticator"]["token_url"] = "https://other.example/o/token/"

    edit_yaml(repo / VALUES, move)
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml: Dasi's OAuth endpoints point at different hosts"
    ]


def test_an_overlay_is_checked_merged_over_the_base_values(repo):
    edit_yaml(repo / STAGING, lambda v: v.update(cull={"timeout": 60}))
    assert validator.validate(repo) == [
        "deploy/jupyterhub/helm/values.yaml + values-staging.yaml: "
        "cull.timeout must be 3600, found 60"
    ]


def test_an_overlay_list_replaces_the_base_list(repo):
    def shrink(v):
        v["hub"]["loadRoles"] = {"dasi-service": {"scopes": ["read:users!group=learners"]}}

    edit_yaml(repo / STAGING, shrink)
    [problem] = validator.validate(repo)
    assert problem.startswith(
        "deploy/jupyterhub/helm/values.yaml + values-staging.yaml: "
        "hub.loadRoles.dasi-service.scopes must be exactly"
    )
    assert "extra: none" in problem


def test_helm_merge_merges_mappings_and_replaces_lists():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert validator.helm_merge(base, {"a": {"c": [3]}, "e": 2}) == {
        "a": {"b": 1, "c": [3]},
        "d": 1,
        "e": 2,
    }


# --- the single-user image ------------------------------------------------------------------------


def test_the_dockerfile_installs_the_learners_requirements_and_dasis_server_settings():
    dockerfile = (ROOT / "deploy/jupyterhub/singleuser/Dockerfile").read_text()
    copies = re.findall(r"^COPY (?:--chown=\S+ )?(\S+) (\S+)$", dockerfile, re.MULTILINE)
    image_tmp = "/tmp"  # noqa: S108 — a path inside the image, not on this machine
    assert copies == [
        (
            "deploy/jupyterhub/singleuser-requirements.txt",
            f"{image_tmp}/singleuser-requirements.txt",
        ),
        (
            "deploy/jupyterhub/jupyter_server_config.json",
            "${CONDA_DIR}/etc/jupyter/jupyter_server_config.json",
        ),
        (
            "deploy/jupyterhub/lab-overrides.json",
            "${CONDA_DIR}/share/jupyter/lab/settings/overrides.json",
        ),
        # JupyterLab's default language per learner, chosen by the spawner's config path.
        ("deploy/jupyterhub/lab-locales", "${CONDA_DIR}/etc/jupyter/lab-locales"),
        # Records the kernel's language_info in its kernelspec (a copied notebook opens clean).
        ("deploy/jupyterhub/kernel_language_info.py", f"{image_tmp}/kernel_language_info.py"),
    ]
    for source, _ in copies:
        assert (ROOT / source).exists()
    assert "--requirement /tmp/singleuser-requirements.txt" in dockerfile
    assert "dasi_lab" not in dockerfile
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", dockerfile, re.MULTILINE)
    assert re.search(
        r"^ARG BASE_IMAGE=quay\.io/jupyter/base-notebook:\S+$", dockerfile, re.MULTILINE
    )
    assert dockerfile.rstrip().splitlines()[-2] == "USER ${NB_UID}"
    assert not re.search(r"^(ARG|ENV) \S*(SECRET|TOKEN|PASSWORD)", dockerfile, re.MULTILINE)


def test_the_image_and_the_local_build_install_the_server_settings_in_the_same_place():
    dockerfile = (ROOT / "deploy/jupyterhub/singleuser/Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for source in ("jupyter_server_config.json", "lab-overrides.json"):
        source = f"deploy/jupyterhub/{source}"
        [image] = re.findall(
            rf"^COPY (?:--chown=\S+ )?{source} \$\{{CONDA_DIR\}}/(\S+)$", dockerfile, re.M
        )
        [local] = re.findall(rf"\bcp {source} \$\(SINGLEUSER_ENV\)/(\S+)$", makefile, re.M)
        assert image == local


def test_the_build_context_sends_only_what_the_dockerfile_copies():
    ignore = (ROOT / "deploy/jupyterhub/singleuser/Dockerfile.dockerignore").read_text()
    rules = [line for line in ignore.splitlines() if line and not line.startswith("#")]
    assert rules[0] == "*"
    assert {r[1:] for r in rules if r.startswith("!")} == {
        "deploy/jupyterhub/singleuser-requirements.txt",
        "deploy/jupyterhub/jupyter_server_config.json",
        "deploy/jupyterhub/lab-overrides.json",
        "deploy/jupyterhub/lab-locales",
        "deploy/jupyterhub/kernel_language_info.py",
    }
