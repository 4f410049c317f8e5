"""What the public edge answers, read from the Terraform (python-hcl2, no terraform binary):
the url map sends each host to a backend service, whose Cloud Armor policy takes the
first matching rule by priority. `Edge.answer(host, path)` plays a request from
Cloudflare through that chain with production's inputs (the edge module's default hosts,
the manifest's public functions, the platform's `edge_refused_paths`).

Each HCL expression read here is first compared with the text it is modelled on, so an
edit to lb.tf or manifest.tf that this model would not follow fails instead of passing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote as url_decode

from shared.wiring.manifest import Manifest
from tests.infra.hcl import INFRA, blocks, clean, expr, locals_of, resource, unquote

EDGE = INFRA / "modules" / "edge"
PLATFORM = INFRA / "modules" / "platform"
PRODUCTION = INFRA / "environments" / "production"
POLICY = "google_compute_security_policy.cloudflare_only"

# The HCL this model follows (see the module docstring).
REFUSED_PATHS_HCL = (
    "sort(distinct(flatten([for f in local.manifest.functions : try(f.http.public, false) ? "
    "try(f.http.container_only, []) : [f.http.local_path] if try(f.http, null) != null])))"
)
PATTERN_HCL = '"^/+(${join("|", [for p in var.refused_paths : trimprefix(p, "/")])})([/?].*)?$"'
REFUSE_EXPRESSION = "request.path.urlDecode().lower().matches('${local.refused_path_pattern}')"
CVE_CANARY = "evaluatePreconfiguredExpr('cve-canary')"


def refused_paths(raw_manifest: dict[str, Any]) -> list[str]:
    """Python twin of the platform module's `local.edge_refused_paths`."""
    text = expr(locals_of(PLATFORM)["edge_refused_paths"])
    assert text == REFUSED_PATHS_HCL, f"local.edge_refused_paths changed: {text}"
    found: set[str] = set()
    for f in raw_manifest["functions"]:
        http = f.get("http")
        if http is not None:
            found |= (
                set(http.get("container_only", [])) if http.get("public") else {http["local_path"]}
            )
    return sorted(found)


def refused_path_pattern(paths: list[str]) -> str:
    """Python twin of the edge module's `local.refused_path_pattern`."""
    text = locals_of(EDGE)["refused_path_pattern"]
    assert text == PATTERN_HCL, f"local.refused_path_pattern changed: {text}"
    return "^/+(" + "|".join(p.removeprefix("/") for p in paths) + ")([/?].*)?$"


@dataclass(frozen=True)
class Rule:
    priority: int
    action: str
    matches: Callable[[str], bool]
    description: str


def _decoded(path: str) -> str:
    """request.path.urlDecode().lower(), as Cloud Armor computes it."""
    return url_decode(path).lower()


def _expression(expression: str, pattern: str) -> Callable[[str], bool]:
    if expression == CVE_CANARY:
        return lambda path: "${jndi:" in _decoded(path)
    if expression == REFUSE_EXPRESSION:
        compiled = re.compile(pattern)
        return lambda path: compiled.match(_decoded(path)) is not None
    raise AssertionError(f"no model of the Cloud Armor expression {expression}")


def _everything(_path: str) -> bool:
    return True


def _static_rule(body: dict[str, Any], pattern: str) -> Rule:
    [match] = body["match"]
    if "expr" in match:
        matches = _expression(unquote(match["expr"][0]["expression"]), pattern)
    else:
        assert unquote(match["versioned_expr"]) == "SRC_IPS_V1"
        ranges = [unquote(r) for r in match["config"][0]["src_ip_ranges"]]
        assert ranges == ["*"], f"a source range rule that is not the catch-all: {ranges}"
        matches = _everything
    return Rule(
        int(body["priority"]), unquote(body["action"]), matches, unquote(body["description"])
    )


def security_policy_rules(pattern: str) -> list[Rule]:
    """The policy's rules for a request from Cloudflare, first-evaluated first."""
    body = resource(EDGE, *POLICY.split(".")).body
    rules = [_static_rule(clean(r), pattern) for r in body.get("rule", [])]
    for block in body.get("dynamic", []):
        for name, dynamic in clean(block).items():
            assert unquote(name) == "rule"
            [content] = dynamic["content"]
            assert expr(dynamic["for_each"]) == "local.cloudflare_ranges"
            assert unquote(content["action"]) == "allow"
            assert expr(content["priority"]) == "1000 + rule.key"
            # every request arrives from Cloudflare: the first range rule admits it
            rules.append(Rule(1000, "allow", _everything, "Cloudflare ranges"))
    return sorted(rules, key=lambda r: r.priority)


@dataclass(frozen=True)
class Edge:
    hosts: dict[str, str]  # hostname -> backend service address, e.g. ...service[api]
    policies: dict[str, str]  # backend resource address -> security policy address
    rules: list[Rule]
    # hostname -> where its `/` alone is redirected (303) by the url map itself
    start_paths: dict[str, str] = field(default_factory=dict)

    def answer(self, host: str, path: str) -> str:
        """ "allow" (the request reaches the Cloud Run service), the deny action, or
        "redirect <path>" (the url map answers; no backend, so no Cloud Armor rule)."""
        if host in self.start_paths and path.split("?", 1)[0] == "/":
            return f"redirect {self.start_paths[host]}"
        backend = self.hosts[host].rsplit("[", 1)[0]
        assert self.policies[backend] == POLICY, f"{backend} is not behind {POLICY}"
        return next(r.action for r in self.rules if r.matches(path))


# The url map's dynamic blocks as lb.tf writes them: host rules (for_each -> hosts, path
# matcher) and path matchers (for_each -> name, default service).
HOST_RULES_HCL = {
    "var.hosts": (
        "local.fqdn[host_rule.key]",
        'contains(keys(var.start_paths), host_rule.key) ? "at-${host_rule.key}" : '
        '"to-${host_rule.value}"',
    ),
    "toset(var.public_services)": (
        'local.fqdn["${host_rule.key}-candidate"]',
        "to-${host_rule.key}-candidate",
    ),
}
PATH_MATCHERS_HCL = {
    "toset(values(var.hosts))": (
        "to-${path_matcher.key}",
        "google_compute_backend_service.service[path_matcher.key].id",
    ),
    "toset(var.public_services)": (
        "to-${path_matcher.key}-candidate",
        "google_compute_backend_service.candidate[path_matcher.key].id",
    ),
    "var.start_paths": (
        "at-${path_matcher.key}",
        "google_compute_backend_service.service[var.hosts[path_matcher.key]].id",
    ),
}
# The one path rule: a start-path host's `/` (exactly) answers 303 to its start path.
START_PATH_RULE = {
    "paths": ["/"],
    "url_redirect": {
        "path_redirect": "path_matcher.value",
        "redirect_response_code": "SEE_OTHER",
        "strip_query": True,
    },
}
FQDN_HCL = (
    'merge({for label, service in var.hosts : label => label == "@" ? var.primary_domain : '
    '"${label}.${var.primary_domain}"}, {for service in var.public_services : '
    '"${service}-candidate" => "${service}-candidate.${var.primary_domain}"})'
)


def _path_rules(content: dict[str, Any]) -> list[dict[str, Any]]:
    rules = []
    for rule in content.get("path_rule", []):
        rule = clean(rule)
        [redirect] = rule.pop("url_redirect")
        redirect = {k: v if isinstance(v, bool) else expr(v) for k, v in clean(redirect).items()}
        assert not rule.keys() - {"paths"}, f"a path rule this model does not know: {rule}"
        rules.append({"paths": [expr(p) for p in rule["paths"]], "url_redirect": redirect})
    return rules


def _url_map_blocks(url_map: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    host_rules: dict[str, Any] = {}
    matchers: dict[str, Any] = {}
    for block in url_map["dynamic"]:
        for name, dynamic in clean(block).items():
            [content] = dynamic["content"]
            if unquote(name) == "host_rule":
                [hosts] = content["hosts"]
                host_rules[expr(dynamic["for_each"])] = (
                    expr(hosts),
                    expr(content["path_matcher"]),
                )
            else:
                assert unquote(name) == "path_matcher", name
                for_each = expr(dynamic["for_each"])
                matchers[for_each] = (
                    unquote(content["name"]),
                    expr(content["default_service"]),
                )
                rules = _path_rules(content)
                expected = [START_PATH_RULE] if for_each == "var.start_paths" else []
                assert rules == expected, f"path rules of {for_each}: {rules}"
    return host_rules, matchers


def production_edge(manifest: Manifest, raw_manifest: dict[str, Any]) -> tuple[Edge, list[str]]:
    """The edge with production's inputs, and the paths it is given to refuse."""
    # production wires the platform's list into the edge module
    edge_module = blocks(PRODUCTION, "module")["edge"]
    assert expr(edge_module["refused_paths"]) == "module.platform.edge_refused_paths"
    output = blocks(PLATFORM, "output")["edge_refused_paths"]
    assert expr(output["value"]) == "local.edge_refused_paths"
    paths = refused_paths(raw_manifest)
    assert paths == manifest.edge_refused_paths()

    url_map = resource(EDGE, "google_compute_url_map", "edge").body
    assert "route_rules" not in str(url_map) and "path_rule" not in url_map, (
        "a route rule could send some paths elsewhere: model it here"
    )
    assert expr(locals_of(EDGE)["fqdn"]) == FQDN_HCL
    host_rules, matchers = _url_map_blocks(url_map)
    assert host_rules == HOST_RULES_HCL, host_rules
    assert matchers == PATH_MATCHERS_HCL, matchers
    default = expr(url_map["default_service"])
    assert default == "google_compute_backend_service.service[local.default_service].id"

    # the same with production's values: host -> path matcher -> backend service
    variables = blocks(EDGE, "variable")
    domain = unquote(variables["primary_domain"]["default"])
    labels = {unquote(k): unquote(v) for k, v in variables["hosts"]["default"].items()}
    public = [f.name for f in manifest.functions if f.http and f.http.public]
    hosts = {
        (
            domain if label == "@" else f"{label}.{domain}"
        ): f"google_compute_backend_service.service[{service}]"
        for label, service in labels.items()
    }
    hosts |= {
        f"{s}-candidate.{domain}": f"google_compute_backend_service.candidate[{s}]" for s in public
    }
    hosts["(any other host)"] = f"google_compute_backend_service.service[{labels.get('@')}]"
    starts = {unquote(k): unquote(v) for k, v in variables["start_paths"]["default"].items()}
    assert starts.keys() <= labels.keys(), f"start paths of hosts that do not exist: {starts}"
    start_paths = {
        domain if label == "@" else f"{label}.{domain}": p for label, p in starts.items()
    }

    policies = {}
    for kind in ("service", "candidate"):
        backend = resource(EDGE, "google_compute_backend_service", kind)
        policies[backend.address] = expr(backend.body["security_policy"]).removesuffix(".id")
    rules = security_policy_rules(refused_path_pattern(paths))
    return Edge(hosts, policies, rules, start_paths), paths
