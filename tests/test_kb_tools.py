"""Knowledge-base tools: `flask kb check`, `flask kb export`, and GET /api/v1/graph."""
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from advisor.export import dot_text, graph_from_node_link, graphml_text, node_link

ROOT = Path(__file__).resolve().parent.parent


def every_cited_source(kb) -> set[str]:
    sources = {i.source for i in kb.incidents.values()}
    for service in kb.services.values():
        sources |= {o.source for o in service.ownership.values()} | {l.source for l in service.limits}
        sources |= {i.source for i in service.isolation.values()} | {service.customisation_source}
    return sources


def sources_in(data: dict) -> set[str]:
    return {item["source"] for item in data["nodes"] + data["edges"] if "source" in item}


def break_ecs(folder):
    path = folder / "services" / "ecs.toml"
    path.write_text(path.read_text().replace("[ownership.logging]", "[ownership.logs]"))


def test_node_link_json_reads_back_into_the_same_graph(kb):
    back = graph_from_node_link(json.loads(json.dumps(node_link(kb))))
    assert nx.is_isomorphic(back, kb.graph, node_match=dict.__eq__, edge_match=dict.__eq__)
    assert nx.utils.graphs_equal(back, kb.graph)
    assert back.graph["version"] == kb.version


def test_every_fact_in_the_export_carries_its_source(kb):
    data = node_link(kb)
    assert every_cited_source(kb) <= sources_in(data)
    for edge in data["edges"]:
        if edge["kind"] in ("responsibility", "isolation", "customisation"):
            assert edge["source"]
    assert all(node["source"] for node in data["nodes"] if node["kind"] in ("limit", "incident"))


def test_graphml_is_readable_by_networkx_with_the_same_facts(kb):
    back = nx.read_graphml(io.BytesIO(graphml_text(kb).encode()))
    assert set(back.nodes) == set(kb.graph.nodes) and set(back.edges) == set(kb.graph.edges)
    edge = back.edges["service:fargate", "layer:guest_os"]
    assert edge["owner"] == "aws" and edge["source"].startswith("https://docs.aws.amazon.com/")
    assert back.nodes["service:ec2"]["default"] is True
    assert back.nodes["layer:guest_os"]["hours_per_month"] == kb.layers["guest_os"].hours_per_month


def test_dot_names_every_service_and_links_its_sources(kb):
    text = dot_text(kb)
    assert text.startswith("digraph knowledge_base {") and text.rstrip().endswith("}")
    body = text.strip().splitlines()[1:-1]
    assert all(line.rstrip().endswith("];") for line in body)
    for sid, service in kb.services.items():
        assert f'"service:{sid}" ["label"="{service.name}"' in text
    assert '"URL"="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html"' in text
    assert len(re.findall(r'^  "service:[a-z0-9_]+" -> "layer:', text, re.M)) == len(kb.services) * len(kb.layers)


def test_get_graph_returns_node_link_json_that_reads_back(client, kb):
    response = client.get("/api/v1/graph")
    assert response.status_code == 200
    data = response.get_json()
    assert data["graph"]["version"] == kb.version
    assert nx.utils.graphs_equal(graph_from_node_link(data), kb.graph)
    assert every_cited_source(kb) <= sources_in(data)


def test_kb_check_prints_version_counts_and_every_burden(fixture_runner, fixture_kb):
    result = fixture_runner.invoke(args=["kb", "check"])
    assert result.exit_code == 0, result.output
    assert f"Version {fixture_kb.version}, reviewed on {fixture_kb.reviewed_on.isoformat()}" in result.output
    assert "7 layers, 4 services (3 ranked by default)" in result.output
    assert re.search(r"^  machines\s+28\.0 h  1\.50  default  services/machines\.toml$", result.output, re.M)
    assert "on cluster, Platform team takes guest_os, runtime (15 team hours a month)" in result.output


def test_kb_check_as_json_gives_the_summary(runner, kb):
    result = runner.invoke(args=["kb", "check", "--json"])
    facts = json.loads(result.output)
    assert facts["counts"]["services"] == len(kb.services)
    assert {s["id"]: s["burden_hours_per_month"] for s in facts["services"]}["lambda"] == kb.views["lambda"].burden_hours


def test_kb_check_on_a_broken_copy_exits_non_zero_naming_file_and_field(runner, graph_copy):
    break_ecs(graph_copy)
    result = runner.invoke(args=["kb", "check", "--path", str(graph_copy)])
    assert result.exit_code == 1
    assert "services/ecs.toml: ownership.logs: unknown layer 'logs'" in result.output


@pytest.mark.slow  # starts the real `flask` command in a new process
def test_kb_check_honours_advisor_graph_data_from_the_flask_command_line(graph_copy, tmp_path):
    env = {**os.environ, "ADVISOR_INSTANCE_PATH": str(tmp_path / "instance"), "ADVISOR_GRAPH_DATA": str(graph_copy)}
    command = [sys.executable, "-m", "flask", "--app", "app", "kb", "check"]
    good = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0 and f"The knowledge base in {graph_copy} is valid." in good.stdout
    break_ecs(graph_copy)
    broken = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1
    assert "services/ecs.toml: ownership.logs: unknown layer 'logs'" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_a_broken_knowledge_base_still_stops_the_server(graph_copy, make_app):
    from advisor import KnowledgeBaseError
    break_ecs(graph_copy)
    with pytest.raises(KnowledgeBaseError):
        make_app(GRAPH_DATA=str(graph_copy))


def test_kb_check_can_fail_a_ci_run_on_a_stale_knowledge_base(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}", TODAY="2027-12-01", KB_MAX_AGE_DAYS=180)
    runner = app.test_cli_runner()
    lenient = runner.invoke(args=["kb", "check"])
    assert lenient.exit_code == 0 and "warning: The AWS facts behind this answer were last checked against AWS's documentation on 2026-12-01" in lenient.output
    assert runner.invoke(args=["kb", "check", "--fail-if-stale"]).exit_code == 1


@pytest.mark.parametrize("fmt, check", [
    ("json", lambda text, kb: nx.utils.graphs_equal(graph_from_node_link(json.loads(text)), kb.graph)),
    ("graphml", lambda text, kb: set(nx.read_graphml(io.BytesIO(text.encode())).nodes) == set(kb.graph.nodes)),
    ("dot", lambda text, kb: all(f'"service:{sid}"' in text for sid in kb.services)),
])
def test_kb_export_writes_each_format_to_stdout_or_a_file(runner, kb, tmp_path, fmt, check):
    printed = runner.invoke(args=["kb", "export", "--format", fmt])
    assert printed.exit_code == 0 and check(printed.stdout, kb)
    target = tmp_path / f"kb.{fmt}"
    written = runner.invoke(args=["kb", "export", "--format", fmt, "--output", str(target)])
    assert written.exit_code == 0 and target.read_text() == printed.stdout


def test_kb_export_refuses_an_unknown_format(runner):
    result = runner.invoke(args=["kb", "export", "--format", "png"])
    assert result.exit_code == 2 and "png" in result.output
