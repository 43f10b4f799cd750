"""Whether the knowledge base is older than its owners allow: a plain date comparison."""
from __future__ import annotations

from datetime import date

__all__ = ["STALE_CODE", "staleness_warning"]

STALE_CODE = "stale_knowledge_base"


def staleness_warning(reviewed_on: date, today: date, max_age_days: int) -> dict | None:
    """A warning when the knowledge base was last reviewed more than max_age_days before today, else None.

    Examples
    --------
    >>> staleness_warning(date(2026, 1, 1), date(2026, 12, 1), 180)["age_days"]
    334
    >>> staleness_warning(date(2026, 1, 1), date(2026, 2, 1), 180) is None
    True
    """
    age = (today - reviewed_on).days
    if age <= max_age_days:
        return None
    return {
        "code": STALE_CODE, "type": "knowledge",
        "message": (f"The AWS facts behind this answer were last checked against AWS's documentation on "
                    f"{reviewed_on.isoformat()}, {age} days ago, more than the {max_age_days} days allowed: AWS may "
                    "have changed what it secures since. Check the cited sources before relying on the answer."),
        "reviewed_on": reviewed_on.isoformat(), "age_days": age, "max_age_days": max_age_days,
    }
