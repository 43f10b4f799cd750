"""Who may read and write saved assessments: named API tokens with scopes, a browser sign-in that keeps a
session, or an authenticating reverse proxy that names the user in a header.

With neither tokens nor a trusted user header configured the service is open, as a single team's tool:
anyone may read and write, and lists show every assessment.

Once either is configured, the rules are path-based, so routes added later are covered without code of
their own:

* every write (any method but GET, HEAD, OPTIONS) needs the ``write`` scope;
* reading saved assessments, reports, their lists and the metrics needs ``read``;
* lists show the caller's own assessments unless the caller has ``list_all``;
* a report's address opens for anyone with ``read``, so a link stays shareable inside the organisation;
* the knowledge base, the API document, the health check and static files stay open.

A browser without a session is sent to the sign-in page; a program gets 401 with a Bearer challenge.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for

from .problems import ApiProblem
from .security import SAFE_METHODS

__all__ = ["Client", "Token", "bp", "client", "init_app", "list_owner", "parse_tokens", "SCOPES"]

SCOPES = ("read", "write", "list_all")
DEFAULT_SCOPES = frozenset({"read", "write"})
MIN_TOKEN_LENGTH = 16
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}")
# Paths whose GETs read saved assessments (or figures about them).
READ_PREFIXES = ("/api/v1/assessments", "/reports", "/metrics")
# Pages that are only of use to someone who can save an assessment.
WRITE_PAGES = ("/",)
OPEN_PATHS = ("/signin", "/signout", "/healthz")


@dataclass(frozen=True)
class Token:
    name: str
    scopes: frozenset[str]
    digest: bytes  # sha256 of the token; the token itself is not kept

    def matches(self, given_digest: bytes) -> bool:
        return hmac.compare_digest(self.digest, given_digest)


@dataclass(frozen=True)
class Client:
    """Who is asking. name None: the service is open, or nobody has been identified."""

    name: str | None
    scopes: frozenset[str]
    via: str  # "open", "token", "session", "proxy", "anonymous"

    def may(self, scope: str) -> bool:
        return scope in self.scopes


OPEN = Client(None, frozenset(SCOPES), "open")
ANONYMOUS = Client(None, frozenset(), "anonymous")


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _scopes(text: str, where: str) -> frozenset[str]:
    scopes = frozenset(s.strip() for s in text.split("+") if s.strip())
    unknown = sorted(scopes - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"{where}: unknown scope {unknown[0] if unknown else '(none)'!r}; "
                         f"scopes are {', '.join(SCOPES)} joined with +")
    return scopes


def _parse_entry(entry: str, index: int) -> Token:
    """``name:scope+scope:token``, or a bare token (named token-N, allowed to read and write)."""
    parts = entry.split(":", 2)
    if len(parts) == 3 and _NAME.fullmatch(parts[0]) and re.fullmatch(r"[a-z_]+(\+[a-z_]+)*", parts[1]):
        name, scopes, token = parts[0], _scopes(parts[1], f"ADVISOR_API_TOKENS entry {index}"), parts[2]
    else:
        name, scopes, token = f"token-{index}", DEFAULT_SCOPES, entry
    if len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(f"ADVISOR_API_TOKENS: token {index} is shorter than {MIN_TOKEN_LENGTH} characters")
    return Token(name, scopes, _digest(token))


def parse_tokens(value) -> tuple[Token, ...]:
    """The API tokens of a comma-separated list (or a list of entries); each at least 16 characters.

    An entry is ``name:scopes:token`` with scopes among read, write and list_all joined by ``+``
    (``ci:read+write:...``), or a bare token, which is named token-1, token-2, ... and may read and write.
    """
    entries = value.split(",") if isinstance(value, str) else list(value)
    tokens = []
    for index, entry in enumerate((e.strip() for e in entries if e and e.strip()), 1):
        tokens.append(entry if isinstance(entry, Token) else _parse_entry(entry, index))
    names = [t.name for t in tokens]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ValueError(f"ADVISOR_API_TOKENS: the name {duplicate!r} is given to more than one token")
    return tuple(tokens)


def _enabled() -> bool:
    config = current_app.config
    return bool(config["API_TOKENS"] or config["TRUSTED_USER_HEADER"])


def _token_for(given: str) -> Token | None:
    # Compare with every token, so the time taken says nothing about which one, or how much of one, matched.
    digest, found = _digest(given), None
    for token in current_app.config["API_TOKENS"]:
        if token.matches(digest) and found is None:
            found = token
    return found


def _bearer() -> Client | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, given = header.partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" and current_app.config["TRUSTED_USER_HEADER"]:
        return None  # the proxy's own credentials (Basic, say), passed on; the user header names the user
    if scheme.lower() != "bearer" or not given:
        raise _unauthorised("This server takes requests for saved assessments only with an API token: "
                            "send Authorization: Bearer <token>.")
    token = _token_for(given)
    if token is None:
        raise _unauthorised("The API token is not one this server accepts.", error="invalid_token")
    return Client(token.name, token.scopes, "token")


def _proxy_user() -> Client | None:
    header = current_app.config["TRUSTED_USER_HEADER"]
    user = request.headers.get(header, "").strip() if header else ""
    if not user:
        return None
    if not _NAME.fullmatch(user):
        raise ApiProblem(400, "Bad Request", f"The {header} header does not hold a user name.")
    scopes = set(current_app.config["TRUSTED_USER_SCOPES"])
    if user in current_app.config["LIST_ALL_USERS"]:
        scopes.add("list_all")
    return Client(user, frozenset(scopes), "proxy")


def _session_client() -> Client | None:
    signed_in = session.get("auth")
    if not isinstance(signed_in, dict):
        return None
    for token in current_app.config["API_TOKENS"]:  # a token taken out of the configuration ends its sessions
        if token.name == signed_in.get("name") and hmac.compare_digest(token.digest.hex()[:32],
                                                                       str(signed_in.get("fp", ""))):
            return Client(token.name, token.scopes, "session")
    return None


def client() -> Client:
    """Who this request is from (OPEN when access control is off)."""
    found = g.get("advisor_client")
    if found is None:
        found = _identify()
        g.advisor_client = found
    return found


def _identify() -> Client:
    if not _enabled():
        return OPEN
    return _bearer() or _proxy_user() or _session_client() or ANONYMOUS


def list_owner() -> str | None:
    """Whose assessments the lists show this caller: its own name, or None for everyone's."""
    who = client()
    return None if who.may("list_all") else who.name


def created_by() -> str | None:
    """The name an assessment saved now records as its maker (None while the service is open)."""
    return client().name


def _unauthorised(detail: str, error: str | None = None) -> ApiProblem:
    challenge = 'Bearer realm="advisor"' + (f', error="{error}"' if error else "")
    return ApiProblem(401, "Unauthorized", detail, headers={"WWW-Authenticate": challenge})


def _needed_scope() -> str | None:
    path = request.path
    if path in OPEN_PATHS or request.endpoint == "static":
        return None
    if request.method not in SAFE_METHODS:
        return "write"
    if path.startswith(READ_PREFIXES):
        return "read"
    if path in WRITE_PAGES:
        return "write"
    return None


def _wants_page() -> bool:
    """A browser asking for a page (it names text/html); programs sending */* get the 401 instead."""
    return (request.method == "GET" and not request.path.startswith(("/api/", "/metrics"))
            and any(mimetype == "text/html" for mimetype, _ in request.accept_mimetypes))


def _authorise():
    if not _enabled():
        return None
    scope = _needed_scope()
    if scope is None:
        return None
    who = client()
    if who.name is None:
        if _wants_page() and current_app.config["API_TOKENS"]:
            return redirect(url_for("auth.signin") + "?" + urlencode({"next": request.full_path.rstrip("?")}), 303)
        detail = ("Sign in through the organisation's proxy, or send Authorization: Bearer <token>."
                  if current_app.config["TRUSTED_USER_HEADER"] else
                  "This server answers requests for saved assessments only with an API token: "
                  "send Authorization: Bearer <token>, or sign in from a browser.")
        raise _unauthorised(detail)
    if not who.may(scope):
        action = {"read": "read saved assessments", "write": "make or change assessments"}[scope]
        raise ApiProblem(403, "Forbidden", f"{who.name} may not {action} on this server.")
    return None


bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (//evil.example, /\\evil.example or a scheme)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or any(
            ord(c) < 0x21 for c in target):
        return url_for("pages.form")
    return target


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    """Sign in with an API token; the browser keeps a session until it signs out or the token is withdrawn."""
    next_path = _safe_next(request.values.get("next"))
    if not current_app.config["API_TOKENS"]:
        return redirect(next_path, 303)
    if request.method == "GET":
        return render_template("auth/signin.html", next_path=next_path, error=None)
    given = request.form.get("token", "").strip()
    token = _token_for(given) if given else None
    if token is None:
        error = "Enter your access token." if not given else "That token is not one this server accepts."
        return render_template("auth/signin.html", next_path=next_path, error=error), 401
    session.clear()
    session["auth"] = {"name": token.name, "fp": token.digest.hex()[:32]}
    return redirect(next_path, 303)


@bp.post("/signout")
def signout():
    """End the browser's session."""
    session.pop("auth", None)
    return redirect(url_for("auth.signin"), 303)


def _template_globals() -> dict:
    if not _enabled():
        return {"signed_in_as": None}
    try:
        who = client()
    except ApiProblem:
        return {"signed_in_as": None}
    return {"signed_in_as": who.name if who.via == "session" else None}


def init_app(app: Flask) -> None:
    """Read the access settings and check every request against them; call before the other blueprints."""
    config = app.config
    config["API_TOKENS"] = parse_tokens(config.get("API_TOKENS") or ())
    header = (config.get("TRUSTED_USER_HEADER") or "").strip()
    config["TRUSTED_USER_HEADER"] = header or None
    scopes = config.get("TRUSTED_USER_SCOPES") or DEFAULT_SCOPES
    config["TRUSTED_USER_SCOPES"] = _scopes(scopes, "ADVISOR_TRUSTED_USER_SCOPES") if isinstance(scopes, str) \
        else frozenset(scopes)
    users = config.get("LIST_ALL_USERS") or ()
    config["LIST_ALL_USERS"] = frozenset(u.strip() for u in (users.split(",") if isinstance(users, str) else users)
                                         if u.strip())
    if header and not config.get("PROXY_COUNT"):
        raise ValueError("ADVISOR_TRUSTED_USER_HEADER needs ADVISOR_PROXY_COUNT of 1 or more: the header is "
                         "trusted only from the proxy in front, which must set it on every request")
    app.before_request(_authorise)
    app.context_processor(_template_globals)
    app.register_blueprint(bp)
