"""The Dagster webserver on loopback: its GraphQL asset graph has the whole lineage, and the UI renders it."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS
from infrathesis.settings import ROOT

QUERY = "{ assetNodes { assetKey { path } groupName dependencyKeys { path } } }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    port = _free_port()
    exe = Path(sys.executable).with_name("dagster-webserver")
    log = open(home / "webserver.log", "w")
    proc = subprocess.Popen([str(exe), "-w", str(ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
                            cwd=ROOT, env={**os.environ, "DAGSTER_HOME": str(home)}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/server_info", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        proc.terminate()
        pytest.fail(f"webserver did not start: {(home / 'webserver.log').read_text()[-2000:]}")
    yield base
    proc.terminate()
    proc.wait(20)
    log.close()


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())["data"]


def test_graphql_lineage_from_sources_to_report(webserver):
    nodes = graphql(webserver, QUERY)["assetNodes"]
    deps = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in nodes}
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    for source in ("calls_documents", "mdna_documents", "events_documents"):
        assert source in deps["topic_mentions"] and groups[source] == "ingest"
    assert "topic_mentions" in deps["stg_topic_mentions"]
    assert "stg_topic_mentions" in deps["int_document_topic_flags"]
    assert "int_document_topic_flags" in deps["layer_topic_matrix"]
    assert {"layer_topic_matrix", "quarterly_capex", "claim_verdicts"} <= deps["research_report"]
    assert groups["research_report"] == "report" and groups["claim_verdicts"] == "guard"
    checks = graphql(webserver, '{ assetNodeOrError(assetKey: {path: ["quarterly_capex"]}) { ... on AssetNode '
                                '{ assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } } }')
    found = {c["name"]: c["blocking"] for c in checks["assetNodeOrError"]["assetChecksOrError"]["checks"]}
    assert found.get("gx_quarterly_capex") is True


def test_lineage_view_screenshot(webserver):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{webserver}/asset-groups", wait_until="networkidle", timeout=90_000)
        skip = page.get_by_role("button", name="Skip")  # the first-visit community dialog
        if skip.count():
            skip.first.click()
        for group in ("ingest", "tagging", "transform", "guard", "report"):  # stage order in the graph
            page.get_by_text(group, exact=True).last.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lineage.png"))
        browser.close()
    assert (ARTIFACTS / "lineage.png").stat().st_size > 20_000
