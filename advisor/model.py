"""Plain data classes of the knowledge base, filled once when it loads."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

__all__ = [
    "OWNERS", "Level", "Layer", "Incident", "Ownership", "Limit", "IsolationSupport",
    "Service", "ServiceView", "Party", "Reassignment", "Overlay", "KnowledgeBase",
]

OWNERS = ("aws", "customer", "shared")


@dataclass(frozen=True)
class Level:
    """One step of the customisation or isolation scale."""

    id: str
    name: str
    description: str
    rank: int


@dataclass(frozen=True)
class Layer:
    """One responsibility layer of the stack."""

    id: str
    name: str
    description: str
    skills: tuple[str, ...]
    runs_on: tuple[str, ...]
    hours_per_month: float
    hours_basis: str
    patching_staff_needed: float
    incidents: tuple[str, ...]
    position: int = 0


@dataclass(frozen=True)
class Incident:
    """A real security incident and the layers it landed on."""

    id: str
    name: str
    kind: str
    description: str
    source: str
    note: str
    layers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ownership:
    """Who owns one layer on one service, and on whose word."""

    layer: str
    owner: str
    source: str
    note: str = ""
    team_share: float = 0.0
    team_share_basis: str = ""


@dataclass(frozen=True)
class Limit:
    """A hard limit of a service that rules it out for some workloads."""

    field: str
    kind: str  # "max", "not_supported" or "allowed"
    label: str
    source: str
    unblock: str
    value: float | None = None
    values: tuple[str, ...] = ()
    when: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class IsolationSupport:
    """Whether a service can give one isolation level, and how."""

    level: str
    support: str  # "yes", "with_effort" or "no"
    note: str
    source: str
    unblock: str = ""


@dataclass(frozen=True)
class Service:
    """A compute service as its data file describes it."""

    id: str
    name: str
    model: str
    summary: str
    default: bool
    customisation: str
    customisation_note: str
    customisation_source: str
    isolation: dict[str, IsolationSupport]
    ownership: dict[str, Ownership]
    limits: tuple[Limit, ...]
    file: str


@dataclass(frozen=True)
class ServiceView:
    """What the request path needs of a service, computed from the graph at load.

    Under an organisation overlay, layers an internal party took over leave
    team_owns (and the team's burden and patching need) for party_owns.
    """

    service: Service
    team_owns: tuple[dict, ...]
    aws_owns: tuple[dict, ...]
    burden_hours: float
    patching_staff_needed: float
    patching_layers: tuple[str, ...]
    customisation_rank: int
    limits_by_field: dict[str, tuple[Limit, ...]]
    party_owns: tuple[dict, ...] = ()
    party_hours: float = 0.0
    party_patching_layers: tuple[str, ...] = ()
    overlay: str | None = None

    # Derived from limits_by_field whenever a view is made, for the what-if analysis: per workload
    # field, the limits whose outcome reads it (as the limited value or in their condition), and the limits that do not.
    limits_reading: dict[str, tuple[Limit, ...]] = field(init=False, repr=False, compare=False)
    limits_not_reading: dict[str, tuple[Limit, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        every = [limit for limits in self.limits_by_field.values() for limit in limits]
        reading: dict[str, list[Limit]] = {}
        for limit in every:
            for name in dict.fromkeys((limit.field, *(k for k, _ in limit.when))):
                reading.setdefault(name, []).append(limit)
        object.__setattr__(self, "limits_reading", {k: tuple(v) for k, v in reading.items()})
        object.__setattr__(self, "limits_not_reading", {
            k: tuple(limit for limit in every if all(limit is not r for r in v)) for k, v in reading.items()})


@dataclass(frozen=True)
class Party:
    """An internal party of the organisation, such as a platform team."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Reassignment:
    """Layers of one service that a party takes over from the team."""

    party: str
    service: str
    layers: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Overlay:
    """An organisation's reassignment of team layers to its internal parties."""

    id: str
    name: str
    description: str
    parties: dict[str, Party]
    reassignments: tuple[Reassignment, ...]
    file: str

    def holder(self, service_id: str, layer_id: str) -> Reassignment | None:
        """The reassignment that moves this layer on this service, if any."""
        for item in self.reassignments:
            if item.service == service_id and layer_id in item.layers:
                return item
        return None

    def summary(self) -> dict:
        """The overlay as plain values: id, name and its parties."""
        return {"id": self.id, "name": self.name,
                "parties": [{"id": p.id, "name": p.name} for p in self.parties.values()]}


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """The loaded, validated knowledge base and everything derived from it."""

    graph: nx.DiGraph
    version: str
    reviewed_on: date
    title: str
    layers: dict[str, Layer]
    services: dict[str, Service]
    incidents: dict[str, Incident]
    customisation_levels: dict[str, Level]
    isolation_levels: dict[str, Level]
    views: dict[str, ServiceView]
    default_services: tuple[str, ...]
    full_stack_hours: float
    files: dict[str, str] = field(default_factory=dict)
    overlays: dict[str, Overlay] = field(default_factory=dict)
    overlay_views: dict[str, dict[str, ServiceView]] = field(default_factory=dict)
    # EC2 instance family -> its row of instance_families.toml (accelerator, note, source)
    instance_families: dict[str, dict] = field(default_factory=dict)
