"""A bounded cache of recent rankings, keyed by the canonical profile and the knowledge-base version.

Design-review tooling sends the same profiles again and again. A ranking depends on nothing but the
profile and the knowledge base, so a profile seen recently is answered from here instead of being ranked
anew. The key is the profile as canonical JSON (sorted keys; 20 and 20.0 stay apart, as they are in the
answer), with the version of the knowledge base it was ranked on. The least recently used entry goes when
the cache is full; a size of 0 turns it off. Entries are Recommendations, which are never changed: every
caller turns one into a dict of its own with ``as_dict``.

A profile is kept the second time it is ranked, not the first. Most profiles are asked for once (a team
filling in the form), and keeping each of them for a while cost every such request more than the cache saved:
a kept answer is a few dozen objects that live through hundreds of requests, so the garbage collector walks
them again and again, and evicting one frees them mid-request (about 30 µs a request, 5%, with distinct
profiles). A profile's first ranking leaves only a number behind (a hash of its key, among the last
``4 × size``); ranked again while its number is there, it is kept. Tooling that re-sends a profile is answered
from the cache from its third request on.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict

import orjson

from .model import KnowledgeBase
from .profile import Profile
from .ranking import Recommendation, rank

__all__ = ["RecentAnswers"]


class RecentAnswers:
    """The last ``size`` rankings asked for, least recently used out first."""

    def __init__(self, size: int = 256):
        if size < 0:
            raise ValueError("the answer cache size must be zero or more")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[str, str | bytes], Recommendation] = OrderedDict()
        self._seen_once: OrderedDict[int, None] = OrderedDict()  # hashes of keys ranked once and not kept
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def rank(self, kb: KnowledgeBase, profile: Profile, as_dict: dict) -> Recommendation:
        """The profile's ranking (``as_dict`` is ``profile_as_dict(profile)``): from the cache when it holds it."""
        if not self.size:
            return rank(kb, profile)
        key = (kb.version, _canonical(as_dict))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        recommendation = rank(kb, profile)
        seen = hash(key)
        with self._lock:
            if seen in self._seen_once:
                del self._seen_once[seen]
                self._entries[key] = recommendation
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            else:
                self._seen_once[seen] = None
                while len(self._seen_once) > 4 * self.size:
                    self._seen_once.popitem(last=False)
        return recommendation


def _canonical(data: dict) -> str | bytes:
    """The profile as compact JSON with sorted keys (orjson's, a tenth of the standard library's time)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits: the standard library's text, which never equals orjson's bytes
        return json.dumps(data, sort_keys=True, separators=(",", ":"))
