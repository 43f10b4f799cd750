"""Plain data classes of the knowledge base, filled once when it loads."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from .owners import OWNERS
from .profile import CHOICE_DEFAULTS, Number

__all__ = [
    "OWNERS", "Level", "Layer", "Incident", "Ownership", "Limit", "IsolationSupport",
    "Service", "ServiceView", "Party", "Reassignment", "Overlay", "Variant", "Calibration", "LayerEffort",
    "KnowledgeBase", "WORK_KINDS",
]

# Platform work changes from one service to another; the application's own work (its code,
# libraries, configuration, permissions, data and logs) the team keeps wherever it runs.
WORK_KINDS = ("platform", "application")


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
    hours_per_month: Number
    hours_basis: str
    patching_staff_needed: Number
    incidents: tuple[str, ...]
    position: int = 0
    work: str = "platform"


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
class Variant:
    """Ownership that differs with how the team runs the application (e.g. containers or not on EC2)."""

    when: tuple[tuple[str, str], ...]
    ownership: dict[str, Ownership]
    note: str = ""

    def applies(self, choices: dict[str, str]) -> bool:
        return all(choices.get(key) == value for key, value in self.when)


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
    variants: tuple[Variant, ...] = ()
    # The workload fields whose value changes who owns what on this service (from the variants).
    variant_fields: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "variant_fields",
                           tuple(dict.fromkeys(key for variant in self.variants for key, _ in variant.when)))

    def ownership_for(self, choices: dict[str, str]) -> dict[str, Ownership]:
        """Each layer's ownership for the given workload choices: the base, then each variant that applies."""
        ownership = dict(self.ownership)
        for variant in self.variants:
            if variant.applies(choices):
                ownership.update(variant.ownership)
        return ownership


@dataclass(frozen=True)
class LayerEffort:
    """The effort one layer costs its owner: hours a month and patching staff, with their basis."""

    hours_per_month: Number
    hours_basis: str
    patching_staff_needed: Number


@dataclass(frozen=True)
class Calibration:
    """An organisation's own effort figures for some layers, replacing the defaults."""

    id: str
    name: str
    description: str
    efforts: dict[str, LayerEffort]
    file: str

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description}


@dataclass(frozen=True)
class ServiceView:
    """What the request path needs of a service, computed from the graph at load.

    Under an organisation overlay, layers an internal party took over leave
    team_owns (and the team's burden and patching need) for party_owns.
    """

    service: Service
    team_owns: tuple[dict, ...]
    aws_owns: tuple[dict, ...]
    burden_hours: Number
    patching_staff_needed: Number
    patching_layers: tuple[str, ...]
    customisation_rank: int
    limits_by_field: dict[str, tuple[Limit, ...]]
    party_owns: tuple[dict, ...] = ()
    party_hours: Number = 0.0
    party_patching_layers: tuple[str, ...] = ()
    overlay: str | None = None
    application_hours: Number = 0.0
    choices: tuple[tuple[str, str], ...] = ()
    calibration: str | None = None
    not_used: tuple[dict, ...] = ()
    ownership: dict[str, Ownership] = field(default_factory=dict, repr=False, compare=False)

    # Derived from limits_by_field whenever a view is made, for the what-if analysis: per workload
    # field, the limits whose outcome reads it (as the limited value or in their condition), and the limits that do not.
    # Every limit, in data-file order per field; per workload field, the positions in it of the limits that do
    # not read it; and per field read only by "max" limits on that field itself, those limits: a value passes
    # them when it is at most each one's value (whatif.py's shortcut).
    limits_reading: dict[str, tuple[Limit, ...]] = field(init=False, repr=False, compare=False)
    limits: tuple[Limit, ...] = field(init=False, repr=False, compare=False)
    limits_apart: dict[str, frozenset[int]] = field(init=False, repr=False, compare=False)
    ceilings: dict[str, tuple[Limit, ...]] = field(init=False, repr=False, compare=False)
    # The ranking's tie-breaks after the score (scoring.order_key): less burden, fewer layers, less patching
    # staff, the seed article's services first, then the id.
    tie_breaks: tuple = field(init=False, repr=False, compare=False)
    # The team's hours on platform layers: what changes from one service to another.
    platform_hours: Number = field(init=False, repr=False, compare=False)
    # Whether any limit holds only under a condition (ranking.py then says what an eligible answer assumes).
    conditional_limits: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        every = tuple(limit for limits in self.limits_by_field.values() for limit in limits)
        reading: dict[str, list[Limit]] = {}
        for limit in every:
            for name in dict.fromkeys((limit.field, *(k for k, _ in limit.when))):
                reading.setdefault(name, []).append(limit)
        object.__setattr__(self, "limits", every)
        object.__setattr__(self, "limits_reading", {k: tuple(v) for k, v in reading.items()})
        object.__setattr__(self, "limits_apart", {
            k: frozenset(at for at, limit in enumerate(every) if all(limit is not r for r in v))
            for k, v in reading.items()})
        object.__setattr__(self, "ceilings", {
            k: tuple(v) for k, v in reading.items()
            if all(limit.kind == "max" and limit.field == k and all(key != k for key, _ in limit.when) for limit in v)})
        object.__setattr__(self, "platform_hours", round(self.burden_hours - self.application_hours, 2))
        object.__setattr__(self, "conditional_limits", any(limit.when for limit in every))
        object.__setattr__(self, "tie_breaks", (self.burden_hours, len(self.team_owns), self.patching_staff_needed,
                                                not self.service.default, self.service.id))


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


@dataclass(frozen=True, eq=False, repr=False)
class KnowledgeBase:
    """The loaded, validated knowledge base and everything derived from it."""

    def __repr__(self) -> str:
        return f"<KnowledgeBase {self.title!r} version {self.version}>"

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
    calibrations: dict[str, Calibration] = field(default_factory=dict)
    # Every view: keyed by (overlay, calibration, service, choices); None means no overlay or calibration.
    all_views: dict[tuple, ServiceView] = field(default_factory=dict)
    # Per calibration: the largest team burden and patching need of any view, the scales the score reads.
    heaviest_burden: dict[str | None, float] = field(default_factory=dict)
    heaviest_patching: dict[str | None, float] = field(default_factory=dict)
    workload_bounds: dict[str, float] = field(default_factory=dict)
    # EC2 instance family -> its row of instance_families.toml (accelerator, note, source)
    instance_families: dict[str, dict] = field(default_factory=dict)
    # Built from the fields above when the knowledge base loads (knowledge.py) and never changed: per view key
    # (as in all_views), the parts of a ranked service's reasons that depend on nothing else
    # (ranking.fixed_sentences); per (service, isolation level) it cannot give, the blocker saying so
    # (scoring.isolation_blockers); per service, what its blockers say of each hard limit.
    fixed_sentences: Mapping[tuple, Any] = field(default_factory=dict)
    isolation_blockers: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    limit_words: Mapping[str, tuple] = field(default_factory=dict)  # per service (scoring.limit_words)

    def view(self, service_id: str, overlay: str | None = None, calibration: str | None = None,
             choices: dict[str, str] | None = None) -> ServiceView:
        """A service as a team sees it: under an overlay and a calibration, for its workload choices."""
        service = self.services[service_id]
        key = tuple((name, (choices or {}).get(name, CHOICE_DEFAULTS[name])) for name in service.variant_fields)
        return self.all_views[overlay, calibration, service_id, key]
