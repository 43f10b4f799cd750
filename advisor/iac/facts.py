"""What the readers find in infrastructure code, kept with where each value came from.

Several resources (in one file or several) may set the same profile field: the most demanding value
wins (the largest number; a GPU, privileged containers, DaemonSets or an always-on process once any
resource needs them; Windows over Linux; synchronous over asynchronous invocation; a container image
over a zip package; Kubernetes over containers over a plain application on EC2), and its provenance
names the resource that set it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import join_words

__all__ = ["Provenance", "Unsupported", "Unresolved", "Derivation", "Facts", "Origin"]

# Choice fields and their values from least to most demanding.
_RANKED_CHOICES = {
    "workload.os": ("linux", "windows"),
    "workload.invocation": ("async", "sync"),
    "workload.lambda_package": ("zip", "image"),
    "workload.on_ec2": ("application", "containers", "kubernetes"),
    "isolation": ("standard", "strong", "dedicated"),
}
_FLAGS = ("workload.gpu", "workload.privileged", "workload.daemonsets", "workload.always_on")
_NUMBERS = ("workload.max_duration_minutes", "workload.memory_gb", "workload.vcpu", "workload.ephemeral_storage_gb")
# A Terraform expression or interpolation, kept as text by the HCL reader: not a literal value.
_EXPRESSION = re.compile(r"\$\{")


@dataclass(frozen=True)
class Origin:
    """Where a value is read: the file and the resource (its address, logical id or kind/name)."""

    source: str
    resource: str


@dataclass(frozen=True)
class Provenance:
    """One derived value and the file, resource and attribute it comes from."""

    field: str
    value: object
    source: str
    resource: str
    attribute: str
    raw: object = None

    def as_dict(self) -> dict:
        return {"field": self.field, "value": self.value, "source": self.source, "resource": self.resource,
                "attribute": self.attribute, "raw": self.raw}


@dataclass(frozen=True)
class Unsupported:
    """A resource of a type the readers do not know; listed, never an error."""

    source: str
    resource: str
    type: str

    def as_dict(self) -> dict:
        return {"source": self.source, "resource": self.resource, "type": self.type}


@dataclass(frozen=True)
class Unresolved:
    """A value the file does not state literally (a variable, a reference, a function), so nothing was derived."""

    source: str
    resource: str
    attribute: str
    reason: str

    def as_dict(self) -> dict:
        return {"source": self.source, "resource": self.resource, "attribute": self.attribute, "reason": self.reason}


@dataclass(frozen=True)
class Derivation:
    """Everything derived from a set of files: profile fields with provenance, services in use, what was left out."""

    fields: dict[str, object]
    provenance: tuple[Provenance, ...]
    current_services: tuple[str, ...]
    unsupported: tuple[Unsupported, ...]
    unresolved: tuple[Unresolved, ...]

    def profile_fields(self) -> dict:
        """The derived fields as a (partial) profile: ``isolation`` at the top, the rest under ``workload``."""
        profile: dict = {}
        for name, value in self.fields.items():
            if name.startswith("workload."):
                profile.setdefault("workload", {})[name.split(".", 1)[1]] = value
            else:
                profile[name] = value
        return profile

    def as_dict(self) -> dict:
        return {"profile": self.profile_fields(), "provenance": [p.as_dict() for p in self.provenance],
                "current_services": list(self.current_services),
                "unsupported": [u.as_dict() for u in self.unsupported],
                "unresolved": [u.as_dict() for u in self.unresolved]}


class Facts:
    """Collects values from every file read, keeping the most demanding one per field and where it came from."""

    def __init__(self, *, expressions: bool = False):
        self._best: dict[str, Provenance] = {}
        self._arch: list[Provenance] = []
        self._services: dict[str, Provenance] = {}
        self.unsupported: list[Unsupported] = []
        self.unresolved: list[Unresolved] = []
        # True while reading plain .tf files: a string holding ${...} is an expression, not a value.
        self.expressions = expressions

    # --- values ------------------------------------------------------------------------------------------

    def literal(self, origin: Origin, attribute: str, value):
        """The value when it is literal; otherwise None, with the attribute listed as unresolved."""
        if isinstance(value, str) and self.expressions and _EXPRESSION.search(value):
            self.unresolved.append(Unresolved(origin.source, origin.resource, attribute,
                                              f"set by the expression {value[:120]!r}, not a literal value"))
            return None
        if isinstance(value, dict) and len(value) == 1:
            key = next(iter(value))
            if key == "Ref" or key.startswith("Fn::"):
                self.unresolved.append(Unresolved(origin.source, origin.resource, attribute,
                                                  f"set by the intrinsic function {key}, not a literal value"))
                return None
        return value

    def number(self, name: str, origin: Origin, attribute: str, raw, scale: float = 1.0, shown=None) -> None:
        """A numeric field (raw times scale); the largest across all resources wins.

        ``shown`` is what the provenance quotes as written, when that is not ``raw`` itself (a sum, say).
        """
        raw = self.literal(origin, attribute, raw)
        if raw is None or isinstance(raw, bool):
            return
        try:
            number = float(raw)
        except (TypeError, ValueError):
            self.unresolved.append(Unresolved(origin.source, origin.resource, attribute,
                                              f"{str(raw)[:60]!r} is not a number"))
            return
        if number <= 0 or number != number or number in (float("inf"), float("-inf")):
            return
        value = _tidy(number * scale)
        current = self._best.get(name)
        if current is None or value > current.value:
            self._best[name] = Provenance(name, value, origin.source, origin.resource, attribute,
                                          raw if shown is None else shown)

    def flag(self, name: str, origin: Origin, attribute: str, raw=True, value: bool = True) -> None:
        """A yes/no field: once any resource needs it, it stays needed (always_on may also be derived as no)."""
        current = self._best.get(name)
        if current is None or (value and not current.value):
            self._best[name] = Provenance(name, value, origin.source, origin.resource, attribute, raw)

    def choice(self, name: str, value: str, origin: Origin, attribute: str, raw=None) -> None:
        """A field with ranked choices; the most demanding wins."""
        order = _RANKED_CHOICES[name]
        current = self._best.get(name)
        if current is None or order.index(value) > order.index(current.value):
            self._best[name] = Provenance(name, value, origin.source, origin.resource, attribute,
                                          value if raw is None else raw)

    def arch(self, value: str, origin: Origin, attribute: str, raw=None) -> None:
        """The processor architecture; resources that disagree leave it unset (any architecture)."""
        self._arch.append(Provenance("workload.arch", value, origin.source, origin.resource, attribute,
                                     value if raw is None else raw))

    def service(self, service_id: str, origin: Origin, attribute: str, raw=None) -> None:
        """A compute service in use today."""
        if service_id not in self._services:
            self._services[service_id] = Provenance("current_services", service_id, origin.source, origin.resource,
                                                    attribute, raw)

    def unknown_type(self, origin: Origin, type_name: str) -> None:
        self.unsupported.append(Unsupported(origin.source, origin.resource, type_name))

    def cannot_tell(self, origin: Origin, attribute: str, reason: str) -> None:
        self.unresolved.append(Unresolved(origin.source, origin.resource, attribute, reason))

    # --- result ------------------------------------------------------------------------------------------

    def result(self) -> Derivation:
        best = dict(self._best)
        arches = {p.value for p in self._arch}
        if len(arches) == 1:
            best["workload.arch"] = self._arch[0]
        elif arches:
            names = join_words(sorted(arches))
            for p in self._arch:
                self.unresolved.append(Unresolved(p.source, p.resource, p.attribute,
                                                  f"the files ask for both {names} processors, so no single "
                                                  "architecture is set"))
        order = [*_NUMBERS, *_FLAGS, "workload.os", "workload.arch", "workload.invocation",
                 "workload.lambda_package", "workload.on_ec2", "isolation"]
        chosen = [best[name] for name in order if name in best]
        services = tuple(sorted(self._services))
        provenance = tuple(chosen) + tuple(self._services[s] for s in services)
        return Derivation(fields={p.field: p.value for p in chosen}, provenance=provenance,
                          current_services=services, unsupported=tuple(self.unsupported),
                          unresolved=tuple(self.unresolved))


def _tidy(number: float) -> float | int:
    """Whole numbers as int, others to three decimals: 900 s / 60 gives 15, 3008 MB / 1024 gives 2.938."""
    rounded = round(number, 3)
    return int(rounded) if rounded == int(rounded) else rounded
