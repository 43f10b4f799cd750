"""Build the responsibility graph from validated data and check its rules.

Schema-level checks (types, required fields, allowed owners) happen before,
where the files are read; this module checks what only the whole graph can
show: references between files, cycles, gaps and the closure rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from .errors import KnowledgeBaseError
from itertools import product

from .model import (
    Calibration, Incident, IsolationSupport, KnowledgeBase, Layer, LayerEffort, Level, Limit, Overlay, Ownership,
    Party, Reassignment, Service, ServiceView, Variant,
)
from .profile import CHOICE_DEFAULTS, WORKLOAD_CHOICES
from .ranking import fixed_sentences
from .scoring import isolation_blockers, limit_words

__all__ = ["GraphDocuments", "build_knowledge_base", "layer_node", "service_node", "incident_node", "level_node",
           "limit_node"]

RUNS_ON = "runs_on"
RESPONSIBILITY = "responsibility"
LANDS_ON = "lands_on"
CUSTOMISATION = "customisation"
ISOLATION = "isolation"
HAS_LIMIT = "has_limit"


@dataclass
class GraphDocuments:
    """The knowledge-base files after schema validation, each with its file name."""

    meta: tuple[str, dict]
    layers: tuple[str, list[dict]]
    incidents: tuple[str, list[dict]]
    services: list[tuple[str, dict]]
    digest: str = ""
    files: dict[str, str] = field(default_factory=dict)
    overlays: list[tuple[str, dict]] = field(default_factory=list)
    calibrations: list[tuple[str, dict]] = field(default_factory=list)


def layer_node(layer_id: str) -> str:
    return f"layer:{layer_id}"


def service_node(service_id: str) -> str:
    return f"service:{service_id}"


def incident_node(incident_id: str) -> str:
    return f"incident:{incident_id}"


def level_node(scale: str, level_id: str) -> str:
    return f"{scale}:{level_id}"


def limit_node(service_id: str, index: int) -> str:
    return f"limit:{service_id}:{index}"


def build_knowledge_base(docs: GraphDocuments) -> KnowledgeBase:
    """Turn validated documents into a checked graph with every derived figure precomputed."""
    graph = nx.DiGraph()
    layers_file, raw_layers = docs.layers
    layers = _add_layers(graph, layers_file, raw_layers)
    incidents = _add_incidents(graph, docs.incidents, layers)
    services = {}
    for file, raw in docs.services:
        if raw["id"] in services:
            raise KnowledgeBaseError(file, "id", f"service id {raw['id']!r} is already used by {services[raw['id']].file}")
        services[raw["id"]] = _add_service(graph, file, raw, layers)
    if not services:
        raise KnowledgeBaseError("services/", "services", "the knowledge base holds no service")
    _, meta = docs.meta
    customisation = _levels(meta["customisation_levels"])
    isolation = _levels(meta["isolation_levels"])
    for service in services.values():
        _check_levels(service, customisation, isolation)
    full_stack = sum(layer.hours_per_month for layer in layers.values())
    overlays: dict[str, Overlay] = {}
    for file, raw in docs.overlays:
        if raw["id"] in overlays:
            raise KnowledgeBaseError(file, "id", f"overlay id {raw['id']!r} is already used by {overlays[raw['id']].file}")
        overlays[raw["id"]] = _overlay(graph, file, raw, services, layers)
    calibrations: dict[str, Calibration] = {}
    for file, raw in docs.calibrations:
        if raw["id"] in calibrations:
            raise KnowledgeBaseError(file, "id",
                                     f"calibration id {raw['id']!r} is already used by {calibrations[raw['id']].file}")
        calibrations[raw["id"]] = _calibration(file, raw, layers)
    all_views = {}
    for overlay_id, calibration_id, service in product([None, *overlays], [None, *calibrations], services.values()):
        overlay = overlays.get(overlay_id) if overlay_id else None
        calibration = calibrations.get(calibration_id) if calibration_id else None
        for choices in _choice_combinations(service):
            all_views[overlay_id, calibration_id, service.id, choices] = _view(
                service, layers, customisation, dict(choices), overlay, calibration)
    default_choices = {sid: tuple((f, CHOICE_DEFAULTS[f]) for f in s.variant_fields) for sid, s in services.items()}
    views = {sid: all_views[None, None, sid, default_choices[sid]] for sid in services}
    overlay_views = {oid: {sid: all_views[oid, None, sid, default_choices[sid]] for sid in services}
                     for oid in overlays}
    heaviest_burden, heaviest_patching = {}, {}
    for (_, calibration_id, _, _), view in all_views.items():
        heaviest_burden[calibration_id] = max(heaviest_burden.get(calibration_id, 0.0), view.burden_hours)
        heaviest_patching[calibration_id] = max(heaviest_patching.get(calibration_id, 0.0),
                                                view.patching_staff_needed)
    defaults = tuple(sid for sid, s in services.items() if s.default) or tuple(services)
    version = f"{meta['version']}+{docs.digest[:10]}" if docs.digest else meta["version"]
    graph.graph.update(version=version, reviewed_on=meta["reviewed_on"].isoformat(), title=meta["title"])
    _describe(graph, layers, incidents, services, customisation, isolation)
    kb = KnowledgeBase(
        graph=graph, version=version, reviewed_on=meta["reviewed_on"], title=meta["title"],
        layers=layers, services=services, incidents=incidents,
        customisation_levels=customisation, isolation_levels=isolation, views=views,
        default_services=defaults, full_stack_hours=full_stack, files=dict(docs.files),
        overlays=overlays, overlay_views=overlay_views, calibrations=calibrations, all_views=all_views,
        heaviest_burden=heaviest_burden, heaviest_patching=heaviest_patching,
        workload_bounds={k: v for k, v in meta.get("workload_bounds", {}).items() if k != "source"},
    )
    return replace(kb, fixed_sentences=fixed_sentences(kb), isolation_blockers=isolation_blockers(kb),
                   limit_words=limit_words(kb))


def _describe(graph: nx.DiGraph, layers: dict[str, Layer], incidents: dict[str, Incident],
              services: dict[str, Service], customisation: dict[str, Level], isolation: dict[str, Level]) -> None:
    """Put every fact, with its source, on the graph's nodes and edges, so an export carries the whole base.

    Attribute values are plain scalars (str, int, float, bool), which JSON and GraphML both hold.
    """
    for layer in layers.values():
        graph.nodes[layer_node(layer.id)].update(
            description=layer.description, skills="; ".join(layer.skills), position=layer.position,
            patching_staff_needed=layer.patching_staff_needed, work=layer.work)
    for incident in incidents.values():
        graph.nodes[incident_node(incident.id)].update(incident_kind=incident.kind, description=incident.description,
                                                       note=incident.note)
    for scale, levels in (("customisation", customisation), ("isolation", isolation)):
        for level in levels.values():
            graph.add_node(level_node(scale, level.id), kind=f"{scale}_level", id=level.id, name=level.name,
                           description=level.description, rank=level.rank)
    for service in services.values():
        node = service_node(service.id)
        graph.nodes[node].update(model=service.model, summary=service.summary, default=service.default)
        for layer_id, own in service.ownership.items():
            edge = graph.edges[node, layer_node(layer_id)]
            edge["note"] = own.note
            if own.team_share_basis:
                edge["team_share_basis"] = own.team_share_basis
        for variant in service.variants:
            condition = "_".join(f"{k}_{v}" for k, v in variant.when)
            for layer_id, own in variant.ownership.items():
                edge = graph.edges[node, layer_node(layer_id)]
                edge[f"owner_when_{condition}"] = own.owner
                edge[f"source_when_{condition}"] = own.source
        graph.add_edge(node, level_node("customisation", service.customisation), kind=CUSTOMISATION,
                       note=service.customisation_note, source=service.customisation_source)
        for level, support in service.isolation.items():
            extra = {"unblock": support.unblock} if support.unblock else {}
            graph.add_edge(node, level_node("isolation", level), kind=ISOLATION, support=support.support,
                           note=support.note, source=support.source, **extra)
        for index, limit in enumerate(service.limits):
            extra: dict = {}
            if limit.value is not None:
                extra["value"] = float(limit.value)
            if limit.values:
                extra["values"] = ",".join(limit.values)
            if limit.when:
                extra["when"] = ",".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in limit.when)
            limit_id = limit_node(service.id, index)
            graph.add_node(limit_id, kind="limit", service=service.id, field=limit.field, limit_kind=limit.kind,
                           label=limit.label, unblock=limit.unblock, source=limit.source, **extra)
            graph.add_edge(node, limit_id, kind=HAS_LIMIT)


def _levels(raw: list[dict]) -> dict[str, Level]:
    return {item["id"]: Level(item["id"], item["name"], item["description"], rank) for rank, item in enumerate(raw)}


def _add_layers(graph: nx.DiGraph, file: str, raw_layers: list[dict]) -> dict[str, Layer]:
    order = {}
    for index, raw in enumerate(raw_layers):
        if raw["id"] in order:
            raise KnowledgeBaseError(file, f"layers[{index}].id", f"layer id {raw['id']!r} appears twice")
        order[raw["id"]] = index
        graph.add_node(layer_node(raw["id"]), kind="layer", id=raw["id"], name=raw["name"],
                       hours_per_month=raw["hours_per_month"], hours_basis=raw["hours_basis"])
    for index, raw in enumerate(raw_layers):
        for below in raw["runs_on"]:
            if below not in order:
                raise KnowledgeBaseError(file, f"layers[{index}].runs_on", f"unknown layer {below!r}")
            graph.add_edge(layer_node(raw["id"]), layer_node(below), kind=RUNS_ON)
    stack = _stack_graph(graph)
    try:
        cycle = nx.find_cycle(stack)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        names = " -> ".join(graph.nodes[u]["id"] for u, _ in cycle) + f" -> {graph.nodes[cycle[0][0]]['id']}"
        first = graph.nodes[cycle[0][0]]["id"]
        raise KnowledgeBaseError(file, f"layers[{order[first]}].runs_on", f"the stack has a cycle: {names}")
    # Bottom-up order: whatever a layer runs on comes before it; file order breaks ties.
    bottom_up = nx.lexicographical_topological_sort(stack.reverse(copy=False), key=lambda n: f"{order[graph.nodes[n]['id']]:06d}")
    layers = {}
    for position, node in enumerate(bottom_up):
        raw = raw_layers[order[graph.nodes[node]["id"]]]
        layers[raw["id"]] = Layer(
            id=raw["id"], name=raw["name"], description=raw["description"], skills=tuple(raw["skills"]),
            runs_on=tuple(raw["runs_on"]), hours_per_month=raw["hours_per_month"], hours_basis=raw["hours_basis"],
            patching_staff_needed=raw.get("patching_staff_needed", 0.0), incidents=tuple(raw["incidents"]),
            position=position, work=raw.get("work", "platform"),
        )
    return layers


def _stack_graph(graph: nx.DiGraph) -> nx.DiGraph:
    return nx.subgraph_view(graph, filter_edge=lambda u, v: graph.edges[u, v]["kind"] == RUNS_ON,
                            filter_node=lambda n: graph.nodes[n]["kind"] == "layer")


def _add_incidents(graph: nx.DiGraph, docs: tuple[str, list[dict]], layers: dict[str, Layer]) -> dict[str, Incident]:
    file, raw_incidents = docs
    known = {raw["id"] for raw in raw_incidents}
    landing: dict[str, list[str]] = {raw["id"]: [] for raw in raw_incidents}
    for layer in layers.values():
        for incident_id in layer.incidents:
            if incident_id not in known:
                raise KnowledgeBaseError("layers.toml", f"layers[{layer.id}].incidents", f"unknown incident {incident_id!r}")
            landing[incident_id].append(layer.id)
    incidents = {}
    for raw in raw_incidents:
        incident = Incident(id=raw["id"], name=raw["name"], kind=raw["kind"], description=raw["description"],
                            source=raw["source"], note=raw.get("note", ""), layers=tuple(landing[raw["id"]]))
        graph.add_node(incident_node(incident.id), kind="incident", id=incident.id, name=incident.name, source=incident.source)
        for layer_id in incident.layers:
            graph.add_edge(incident_node(incident.id), layer_node(layer_id), kind=LANDS_ON)
        incidents[incident.id] = incident
    return incidents


def _add_service(graph: nx.DiGraph, file: str, raw: dict, layers: dict[str, Layer]) -> Service:
    node = service_node(raw["id"])
    graph.add_node(node, kind="service", id=raw["id"], name=raw["name"], file=file)
    ownership = _ownership(file, "ownership", raw["ownership"], layers)
    for layer_id, own in ownership.items():
        graph.add_edge(node, layer_node(layer_id), kind=RESPONSIBILITY, owner=own.owner, source=own.source,
                       team_share=own.team_share)
    missing = [layer_id for layer_id in layers if layer_id not in ownership]
    if missing:
        raise KnowledgeBaseError(file, f"ownership.{missing[0]}",
                                 f"the service skips layer {missing[0]!r}: every layer needs an owner")
    variants = tuple(
        Variant(when=tuple(sorted(item["when"].items())), note=item.get("note", ""),
                ownership=_ownership(file, f"variants[{index}].ownership", item["ownership"], layers))
        for index, item in enumerate(raw.get("variants", []))
    )
    limits = tuple(
        Limit(field=item["field"], kind=item["kind"], label=item["label"], source=item["source"],
              unblock=item["unblock"], value=item.get("value"), values=tuple(item.get("values", ())),
              when=tuple(sorted(item.get("when", {}).items())))
        for item in raw.get("limits", [])
    )
    isolation = {level: IsolationSupport(level=level, support=entry["support"], note=entry["note"],
                                         source=entry["source"], unblock=entry.get("unblock", ""))
                 for level, entry in raw["isolation"].items()}
    service = Service(
        id=raw["id"], name=raw["name"], model=raw["model"], summary=raw["summary"], default=raw.get("default", False),
        customisation=raw["customisation"]["level"], customisation_note=raw["customisation"]["note"],
        customisation_source=raw["customisation"]["source"], isolation=isolation, ownership=ownership,
        limits=limits, file=file, variants=variants,
    )
    stack = _stack_graph(graph)
    for choices in _choice_combinations(service):
        _check_closure(stack, file, service.ownership_for(dict(choices)), choices)
    return service


def _ownership(file: str, where: str, raw: dict, layers: dict[str, Layer]) -> dict[str, Ownership]:
    ownership = {}
    for layer_id, entry in raw.items():
        if layer_id not in layers:
            raise KnowledgeBaseError(file, f"{where}.{layer_id}", f"unknown layer {layer_id!r}")
        share = {"aws": 0.0, "customer": 1.0, "none": 0.0}.get(entry["owner"], entry.get("team_share"))
        if share is None:
            raise KnowledgeBaseError(file, f"{where}.{layer_id}.team_share", "a shared layer needs the team's share (0 to 1)")
        ownership[layer_id] = Ownership(layer=layer_id, owner=entry["owner"], source=entry["source"],
                                        note=entry.get("note", ""), team_share=share,
                                        team_share_basis=entry.get("team_share_basis", ""))
    return ownership


def _choice_combinations(service: Service) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of the workload choices that change this service's ownership."""
    fields = service.variant_fields
    return [tuple(zip(fields, values)) for values in product(*(WORKLOAD_CHOICES[f] for f in fields))]


_BELOW_ALLOWED = {"aws": {"aws", "none"}, "shared": {"aws", "shared", "none"}}


def _check_closure(stack: nx.DiGraph, file: str, owner_of: dict[str, Ownership], choices: tuple) -> None:
    """AWS's part of a stack is closed downward: what AWS (partly) owns rests only on what AWS (partly) owns."""
    for layer_id, own in owner_of.items():
        allowed = _BELOW_ALLOWED.get(own.owner)
        if allowed is None:
            continue
        for below in nx.descendants(stack, layer_node(layer_id)):
            below_id = stack.nodes[below]["id"]
            if owner_of[below_id].owner not in allowed:
                when = f" (when {', '.join(f'{k} is {v!r}' for k, v in choices)})" if choices else ""
                raise KnowledgeBaseError(
                    file, f"ownership.{layer_id}.owner",
                    f"{own.owner!r} owns {layer_id!r} but {owner_of[below_id].owner!r} owns {below_id!r} beneath "
                    f"it{when}; AWS's part of the stack must include everything beneath what it owns",
                )


def _calibration(file: str, raw: dict, layers: dict[str, Layer]) -> Calibration:
    """An organisation's effort figures; every layer it names must exist."""
    efforts = {}
    for layer_id, entry in raw["layers"].items():
        if layer_id not in layers:
            raise KnowledgeBaseError(file, f"layers.{layer_id}", f"unknown layer {layer_id!r}")
        default = layers[layer_id]
        efforts[layer_id] = LayerEffort(
            hours_per_month=entry.get("hours_per_month", default.hours_per_month),
            hours_basis=entry.get("hours_basis", default.hours_basis),
            patching_staff_needed=entry.get("patching_staff_needed", default.patching_staff_needed))
    return Calibration(id=raw["id"], name=raw["name"], description=raw["description"], efforts=efforts, file=file)


# Names an overlay's party may not take: they already mean AWS or the team in every answer.
RESERVED_PARTIES = {"aws", "team", "customer", "shared"}


def _overlay(graph: nx.DiGraph, file: str, raw: dict, services: dict[str, Service], layers: dict[str, Layer]) -> Overlay:
    """Check an overlay against the services and layers and return it.

    Only layers the team owns or shares can move, each at most once per service, and a party
    must be able to trust what lies beneath its layers: AWS's part or its own.
    """
    parties: dict[str, Party] = {}
    for index, item in enumerate(raw["parties"]):
        where = f"parties[{index}].id"
        if item["id"] in RESERVED_PARTIES:
            raise KnowledgeBaseError(file, where, f"{item['id']!r} is reserved for AWS and the team; name the party otherwise")
        if item["id"] in parties:
            raise KnowledgeBaseError(file, where, f"party id {item['id']!r} appears twice")
        parties[item["id"]] = Party(id=item["id"], name=item["name"], description=item.get("description", ""))
    moved: dict[tuple[str, str], int] = {}
    reassignments = []
    for index, item in enumerate(raw["reassign"]):
        where = f"reassign[{index}]"
        if item["party"] not in parties:
            raise KnowledgeBaseError(file, f"{where}.party",
                                     f"unknown party {item['party']!r}: declare it under [[parties]] first")
        service = services.get(item["service"])
        if service is None:
            raise KnowledgeBaseError(file, f"{where}.service", f"unknown service {item['service']!r}")
        for position, layer_id in enumerate(item["layers"]):
            at = f"{where}.layers[{position}]"
            if layer_id not in layers:
                raise KnowledgeBaseError(file, at, f"unknown layer {layer_id!r}")
            if service.ownership[layer_id].owner in ("aws", "none"):
                raise KnowledgeBaseError(file, at, f"the team does not own {layer_id!r} on {service.id}: only "
                                                   "layers the team owns or shares can move to another party")
            if (service.id, layer_id) in moved:
                raise KnowledgeBaseError(file, at, f"{layer_id!r} on {service.id} is already moved by "
                                                   f"reassign[{moved[service.id, layer_id]}]")
            moved[service.id, layer_id] = index
        reassignments.append(Reassignment(party=item["party"], service=service.id, layers=tuple(item["layers"]),
                                          note=item["note"]))
    overlay = Overlay(id=raw["id"], name=raw["name"], description=raw.get("description", ""), parties=parties,
                      reassignments=tuple(reassignments), file=file)
    stack = _stack_graph(graph)
    for index, item in enumerate(reassignments):
        service = services[item.service]
        for layer_id in item.layers:
            for below in nx.descendants(stack, layer_node(layer_id)):
                below_id = graph.nodes[below]["id"]
                if service.ownership[below_id].owner in ("aws", "none"):
                    continue
                holder = overlay.holder(service.id, below_id)
                if holder is not None and holder.party == item.party:
                    continue
                keeper = "the team" if holder is None else f"party {holder.party!r}"
                raise KnowledgeBaseError(
                    file, f"reassign[{index}].layers",
                    f"{parties[item.party].name} would own {layer_id!r} on {service.id} but {keeper} keeps "
                    f"{below_id!r} beneath it; a party must be able to trust every layer beneath its own, "
                    f"so move {below_id!r} as well",
                )
    return overlay


def _check_levels(service: Service, customisation: dict[str, Level], isolation: dict[str, Level]) -> None:
    if service.customisation not in customisation:
        raise KnowledgeBaseError(service.file, "customisation.level", f"unknown customisation level {service.customisation!r}")
    for level in isolation:
        if level not in service.isolation:
            raise KnowledgeBaseError(service.file, f"isolation.{level}", "every isolation level needs a support entry")
    for level in service.isolation:
        if level not in isolation:
            raise KnowledgeBaseError(service.file, f"isolation.{level}", f"unknown isolation level {level!r}")


def _view(service: Service, layers: dict[str, Layer], customisation: dict[str, Level], choices: dict[str, str],
          overlay: Overlay | None = None, calibration: Calibration | None = None) -> ServiceView:
    """What the team, AWS and any internal party own on one service, with the team's hours and patching need."""
    ownership = service.ownership_for(choices)
    efforts = calibration.efforts if calibration is not None else {}
    team, aws, party, not_used = [], [], [], []
    burden = application = party_hours = patching = 0.0
    patching_layers, party_patching = [], []
    for layer in layers.values():  # stack order, bottom first
        own = ownership[layer.id]
        effort = efforts.get(layer.id)
        layer_hours = effort.hours_per_month if effort else layer.hours_per_month
        layer_patching = effort.patching_staff_needed if effort else layer.patching_staff_needed
        hours = round(layer_hours * own.team_share, 2)
        entry = {"id": layer.id, "name": layer.name, "owner": own.owner, "source": own.source}
        if own.note:
            entry["note"] = own.note
        if own.owner == "none":
            not_used.append(entry)
            continue
        moved = overlay.holder(service.id, layer.id) if overlay is not None else None
        if moved is not None and own.owner in ("customer", "shared"):
            who = overlay.parties[moved.party]
            party.append({**entry, "hours_per_month": hours, "party": who.id, "party_name": who.name,
                          "party_note": moved.note})
            party_hours += hours
            if layer_patching:
                party_patching.append(layer.id)
        elif own.owner in ("customer", "shared"):
            team.append({**entry, "hours_per_month": hours, "work": layer.work})
            burden += hours
            if layer.work == "application":
                application += hours
            if layer_patching:
                # On a shared layer the team carries its share of the patching work (e.g. rolling out AWS's images).
                patching += layer_patching * own.team_share
                patching_layers.append(layer.id)
        if own.owner in ("aws", "shared"):
            aws.append(entry)
    by_field: dict[str, list[Limit]] = {}
    for limit in service.limits:
        by_field.setdefault(limit.field, []).append(limit)
    return ServiceView(
        service=service, team_owns=tuple(team), aws_owns=tuple(aws), burden_hours=round(burden, 2),
        patching_staff_needed=round(patching, 2), patching_layers=tuple(patching_layers),
        customisation_rank=customisation[service.customisation].rank,
        limits_by_field={k: tuple(v) for k, v in by_field.items()},
        party_owns=tuple(party), party_hours=round(party_hours, 2), party_patching_layers=tuple(party_patching),
        overlay=overlay.id if overlay is not None else None, application_hours=round(application, 2),
        choices=tuple((f, choices[f]) for f in service.variant_fields),
        calibration=calibration.id if calibration is not None else None, not_used=tuple(not_used),
        ownership=ownership,
    )
