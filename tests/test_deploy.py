"""The deployment files say the same as the configuration `make cluster` tests: the proxy's
config and its variables, the cookie secret on every replica, the health path, the affinity
cookie, a non-root image whose root filesystem may be read-only. (This machine has no Docker:
the image and the compose file are not built or run here.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from helpers import ROOT

DEPLOY = ROOT / "deploy"
HAPROXY = (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8")
COOKIE = re.search(r"^\s*cookie (\S+) insert", HAPROXY, re.M)[1]
VARIABLES = set(re.findall(r"\$\{(\w+)-?\}", HAPROXY))  # ${NAME}, or ${NAME-} where it may be unset


def test_the_proxy_config_is_valid_haproxy():
    if not shutil.which("haproxy") and not os.path.exists("/usr/sbin/haproxy"):
        pytest.skip("haproxy is not installed (make test installs it)")
    env = {**os.environ, **{name: "127.0.0.1:1" for name in VARIABLES}}
    checked = subprocess.run([shutil.which("haproxy") or "/usr/sbin/haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")],
                             env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_runs_the_tested_proxy_config_in_front_of_replicas_that_share_a_secret():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]
    proxy = compose["proxy"]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in proxy["volumes"]
    assert set(proxy["environment"]) == VARIABLES == {"PROXY_BIND", "APP1", "APP2", "BASE_PATH"}
    # one sub-path for the proxy's health checks and the replicas' server.baseUrlPath
    assert proxy["environment"]["BASE_PATH"] == compose["app1"]["environment"]["STREAMLIT_SERVER_BASE_URL_PATH"]
    replicas = [name for name in compose if name != "proxy"]
    assert replicas == ["app1", "app2"] and proxy["environment"]["APP2"].startswith("app2:")
    for name in replicas:
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in compose[name]["environment"]
        assert compose[name]["read_only"] is True and "/tmp" in compose[name]["tmpfs"]
    # one definition: the same image, secret and limits; each with its name, for the logs
    assert [compose[name].pop("hostname") for name in replicas] == replicas
    assert compose["app1"] == compose["app2"]


def test_kubernetes_probes_the_health_path_and_keeps_a_visitor_on_one_pod():
    documents = {doc["kind"]: doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "dashboard.yaml").read_text())}
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert container["livenessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert container["securityContext"]["readOnlyRootFilesystem"] and pod["securityContext"]["runAsNonRoot"]
    assert [e["name"] for e in container["env"]] == ["STREAMLIT_SERVER_COOKIE_SECRET"]
    annotations = documents["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-name"] == COOKIE
    assert documents["Deployment"]["spec"]["replicas"] >= 2


def test_the_image_runs_as_a_user_with_a_health_check_and_leaves_the_build_out():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert re.search(r"^USER 10001$", dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile and "_stcore/health" in dockerfile
    assert "python -m scripts.make_basemap" in dockerfile and "python -m dashboard.assets" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".cache", "static/basemap"} <= set(ignored)
