"""A small knowledge base built in code, for tests of the ranking model that must not depend on AWS facts.

Five layers and five services, with figures chosen so that each rule of the model has a case:
services of different burden and patching need, a tie on score settled by the number of
team-owned layers (with ids in the opposite alphabetical order), a service offering less control,
and isolation given outright, with extra work, or not at all.
"""
from __future__ import annotations

from advisor import GraphDocuments, KnowledgeBase, build_knowledge_base
from schemas.graph_data import IncidentsFileSchema, LayersFileSchema, MetaFileSchema, ServiceFileSchema

SOURCE = "seed"
LEVELS = {"customisation_levels": ["none", "low", "medium", "high"],
          "isolation_levels": ["standard", "strong", "dedicated"]}
LAYERS = [
    ("host", [], 20.0, 0.0, "platform"),
    ("os", ["host"], 10.0, 1.0, "platform"),
    ("runtime", ["os"], 5.0, 0.5, "platform"),
    ("code", ["runtime"], 10.0, 0.0, "application"),
    ("config", [], 4.0, 0.0, "application"),
]


def _owner(owner: str, share: float | None = None) -> dict:
    entry = {"owner": owner, "source": SOURCE}
    if owner == "shared":
        entry.update(team_share=share, team_share_basis="assumption: a test figure", note="Split for the test.")
    return entry


def _isolation(strong: str, dedicated: str) -> dict:
    def level(support):
        return {"support": support, "note": "A test fact.", "source": SOURCE,
                **({"unblock": "shared hardware is acceptable"} if support == "no" else {})}
    return {"standard": level("yes"), "strong": level(strong), "dedicated": level(dedicated)}


SERVICES = {
    # id: (name, customisation, strong, dedicated, owners by layer, limits)
    "heavy": ("Heavy Instances", "high", "yes", "yes",
              {"host": _owner("aws"), "os": _owner("customer"), "runtime": _owner("customer"),
               "code": _owner("customer"), "config": _owner("customer")}, []),
    "middle": ("Middle Orchestrator", "medium", "with_effort", "yes",
               {"host": _owner("aws"), "os": _owner("shared", 0.5), "runtime": _owner("customer"),
                "code": _owner("customer"), "config": _owner("customer")}, []),
    "zulu": ("Zulu Functions", "low", "yes", "no",
             {"host": _owner("aws"), "os": _owner("aws"), "runtime": _owner("aws"),
              "code": _owner("customer"), "config": _owner("customer")},
             [{"field": "max_duration_minutes", "kind": "max", "value": 15, "label": "15-minute maximum",
               "source": SOURCE, "unblock": "runs fit in 15 minutes"},
              {"field": "memory_gb", "kind": "max", "value": 10, "label": "10 GB memory maximum",
               "source": SOURCE, "unblock": "a run needs at most 10 GB"}]),
    # Lighter than Zulu Functions but with some patching of its own: the trade-off that gives what-ifs on
    # hours, patching staff and weights something to find.
    "patchy": ("Patchy Platform", "low", "yes", "no",
               {"host": _owner("aws"), "os": _owner("shared", 0.2), "runtime": _owner("shared", 0.0),
                "code": _owner("customer"), "config": _owner("shared", 0.0)}, []),
    # The same burden as Zulu Functions with one more team-owned layer (at no hours): on a tie it must
    # rank below, although its id sorts first.
    "alpha": ("Alpha Containers", "low", "yes", "no",
              {"host": _owner("aws"), "os": _owner("aws"), "runtime": _owner("shared", 0.0),
               "code": _owner("customer"), "config": _owner("customer")}, []),
}


def model_documents() -> GraphDocuments:
    meta = {"version": "model-test", "reviewed_on": "2026-12-01", "title": "Model test knowledge base",
            **{key: [{"id": i, "name": i.title(), "description": f"The {i} level."} for i in ids]
               for key, ids in LEVELS.items()}}
    layers = [{"id": lid, "name": lid.title(), "description": f"The {lid} layer.", "skills": [], "runs_on": runs_on,
               "hours_per_month": hours, "hours_basis": "assumption: a test figure", "patching_staff_needed": patch,
               "work": work} for lid, runs_on, hours, patch, work in LAYERS]
    services = []
    for sid, (name, custom, strong, dedicated, owners, limits) in SERVICES.items():
        raw = {"id": sid, "name": name, "model": "Test", "summary": f"{name} for tests.", "default": True,
               "customisation": {"level": custom, "note": "A test fact.", "source": SOURCE},
               "isolation": _isolation(strong, dedicated), "ownership": owners, "limits": limits}
        services.append((f"services/{sid}.toml", ServiceFileSchema().load(raw)))
    return GraphDocuments(
        meta=("knowledge_base.toml", MetaFileSchema().load(meta)),
        layers=("layers.toml", LayersFileSchema().load({"layers": layers})["layers"]),
        incidents=("incidents.toml", IncidentsFileSchema().load({"incidents": []})["incidents"]),
        services=services)


def model_knowledge_base() -> KnowledgeBase:
    return build_knowledge_base(model_documents())
