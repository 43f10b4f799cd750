"""The JSON body of a recommendation, byte for byte what jsonify gives, in about half the time.

About two thirds of a recommendation's bytes are each service's `team_owns` and
`aws_owns` lists, which depend only on the knowledge base. They are serialized
once per knowledge base; a request serializes the rest, with a placeholder
string in their place, and one pass swaps the placeholders for them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask import Response, current_app, jsonify
from flask.json.provider import JSONProvider

from advisor import KnowledgeBase

__all__ = ["recommendation_response"]

OWNED = ("team_owns", "aws_owns")
COMPACT = (",", ":")
# A placeholder is "\x00<service id>\x00<key>", which JSON writes as below. Text inputs refuse control
# characters and knowledge-base ids are [a-z0-9_], so no real value can look like one.
_PLACEHOLDER = re.compile(r'"\\u0000([a-z0-9_]+)\\u0000(team_owns|aws_owns)"')


@lru_cache(maxsize=8)
def _fragments(kb: KnowledgeBase, provider: JSONProvider) -> dict[tuple[str, str], tuple[list, str]]:
    """Per service and owned list: the list as the API gives it, and its JSON."""
    return {(sid, key): (list(getattr(view, key)), provider.dumps(list(getattr(view, key)), separators=COMPACT))
            for sid, view in kb.views.items() for key in OWNED}


def recommendation_response(kb: KnowledgeBase, result: dict) -> Response:
    """`jsonify(result)` for a recommendation; a list that differs from the cached one is serialized as usual."""
    provider = current_app.json
    if not provider.compact and (provider.compact is not None or current_app.debug):
        return jsonify(result)  # indented output: the fragments would sit at the wrong depth
    fragments = _fragments(kb, provider)
    ranking = []
    for entry in result["ranking"]:
        entry = dict(entry)
        for key in OWNED:
            cached = fragments.get((entry["service"], key))
            # the lists hold the very same dicts, so this is a pointer check per item
            if cached is not None and entry[key] == cached[0]:
                entry[key] = f"\x00{entry['service']}\x00{key}"
        ranking.append(entry)
    body = provider.dumps({**result, "ranking": ranking}, separators=COMPACT)
    body = _PLACEHOLDER.sub(lambda m: fragments[m[1], m[2]][1], body)
    return current_app.response_class(f"{body}\n", mimetype=provider.mimetype)
