"""Synthetic knowledge bases of any size, valid under the same schemas and graph rules as graph_data/.

The stack is a chain with a second edge every few layers and some free-standing
layers (like IAM or data in the real one). Each service cuts the chain at its
own height: AWS owns what is below the cut, shares the cut, the team owns the
rest, so AWS's part is closed downward as the loader demands.
"""
from __future__ import annotations

from datetime import date

from advisor import GraphDocuments, KnowledgeBase, build_knowledge_base
from schemas.graph_data import IncidentsFileSchema, LayersFileSchema, MetaFileSchema, ServiceFileSchema

__all__ = ["synthetic_documents", "synthetic_knowledge_base"]

SOURCE = "seed"
LEVELS = {
    "customisation_levels": ["none", "low", "medium", "high"],
    "isolation_levels": ["standard", "strong", "dedicated"],
}
LIMIT_SETS = [
    [],
    [{"field": "max_duration_minutes", "kind": "max", "value": 15, "label": "15-minute maximum",
      "source": SOURCE, "unblock": "runs fit in 15 minutes"},
     {"field": "always_on", "kind": "not_supported", "label": "runs nothing always on",
      "source": SOURCE, "unblock": "the work is driven by events"},
     {"field": "memory_gb", "kind": "max", "value": 10, "label": "10 GB memory maximum",
      "source": SOURCE, "unblock": "a run needs at most 10 GB"}],
    [{"field": "gpu", "kind": "not_supported", "label": "offers no GPU", "source": SOURCE,
      "unblock": "the workload runs without a GPU"},
     {"field": "os", "kind": "allowed", "values": ["linux"], "label": "runs Linux only", "source": SOURCE,
      "unblock": "the workload runs on Linux"}],
]


def _layers(count: int) -> tuple[list[dict], int]:
    """`count` layers: a chain of about four fifths of them, the rest free-standing."""
    chain = max(3, count * 4 // 5)
    layers = []
    for i in range(count):
        runs_on = [] if i == 0 or i >= chain else [f"l{i - 1:03d}"] + ([f"l{i - 2:03d}"] if i % 5 == 0 and i >= 2 else [])
        layers.append({
            "id": f"l{i:03d}", "name": f"Layer {i}", "description": f"Synthetic layer number {i}.",
            "skills": [f"skill {i}"], "runs_on": runs_on, "hours_per_month": float(1 + (i * 7) % 13),
            "hours_basis": "assumption: synthetic figure", "patching_staff_needed": 0.5 if i % 7 == 3 else 0.0,
            "incidents": [f"inc{i % 3}"] if i % 4 == 1 else [],
        })
    return layers, chain


def _service(index: int, layers: list[dict], chain: int) -> dict:
    cut = 1 + (index * 5) % (chain - 1)
    ownership = {}
    for position, layer in enumerate(layers):
        if position >= chain or position > cut:
            ownership[layer["id"]] = {"owner": "customer", "source": SOURCE}
        elif position < cut:
            ownership[layer["id"]] = {"owner": "aws", "source": SOURCE, "note": "AWS runs it."}
        else:
            ownership[layer["id"]] = {"owner": "shared", "source": SOURCE, "note": "AWS runs it; the team sets it up.",
                                      "team_share": 0.5, "team_share_basis": "assumption: half"}
    dedicated = ["yes", "with_effort", "no"][index % 3]
    isolation = {
        "standard": {"support": "yes", "note": "Separate accounts.", "source": SOURCE},
        "strong": {"support": "yes" if index % 2 else "with_effort", "note": "Own virtual machine.", "source": SOURCE},
        "dedicated": {"support": dedicated, "note": "Dedicated hosts.", "source": SOURCE,
                      **({"unblock": "shared hardware is acceptable"} if dedicated == "no" else {})},
    }
    return {
        "id": f"s{index:03d}", "name": f"Service {index}", "model": "Synthetic", "summary": f"Synthetic service {index}.",
        "default": True,
        "customisation": {"level": LEVELS["customisation_levels"][index % 4], "note": "Synthetic.", "source": SOURCE},
        "isolation": isolation, "ownership": ownership, "limits": LIMIT_SETS[index % len(LIMIT_SETS)],
    }


def synthetic_documents(services: int, layers: int) -> GraphDocuments:
    """Validated documents for a knowledge base of `services` services over `layers` layers."""
    raw_layers, chain = _layers(layers)
    meta = {"version": f"synthetic-{services}x{layers}", "reviewed_on": date(2026, 1, 1).isoformat(),
            "title": "Synthetic knowledge base",
            **{key: [{"id": i, "name": i.title(), "description": f"The {i} level."} for i in ids]
               for key, ids in LEVELS.items()}}
    incidents = [{"id": f"inc{i}", "name": f"Incident {i}", "kind": "synthetic", "description": "Synthetic.",
                  "source": SOURCE} for i in range(3)]
    return GraphDocuments(
        meta=("knowledge_base.toml", MetaFileSchema().load(meta)),
        layers=("layers.toml", LayersFileSchema().load({"layers": raw_layers})["layers"]),
        incidents=("incidents.toml", IncidentsFileSchema().load({"incidents": incidents})["incidents"]),
        services=[(f"services/s{i:03d}.toml", ServiceFileSchema().load(_service(i, raw_layers, chain)))
                  for i in range(services)],
    )


def synthetic_knowledge_base(services: int, layers: int) -> KnowledgeBase:
    """Build and check a synthetic knowledge base through the same core as graph_data/."""
    return build_knowledge_base(synthetic_documents(services, layers))
