# The origin behind Cloudflare: a global external Application Load Balancer with a
# serverless NEG per public Cloud Run service, a Google-managed certificate (Certificate
# Manager, DNS authorization, so it provisions while Cloudflare proxies the hostnames and
# Cloudflare's "Full (strict)" mode sees a valid origin certificate), and a Cloud Armor
# policy that admits only Cloudflare's address ranges and refuses, on every host, the
# paths that are not for the public (var.refused_paths: readiness, metrics, private
# functions' paths; docs/decisions/0017-public-surface.md).

locals {
  fqdn = merge(
    { for label, service in var.hosts : label => label == "@" ? var.primary_domain : "${label}.${var.primary_domain}" },
    # <service>-candidate.<domain> reaches the revision tagged `candidate` (deployed with no
    # traffic) so that Cloud Build can smoke-test it through the same edge before the shift.
    { for service in var.public_services : "${service}-candidate" => "${service}-candidate.${var.primary_domain}" },
  )
  # Cloud Armor takes at most 10 ranges per rule.
  cloudflare_ranges = chunklist(concat(
    data.cloudflare_ip_ranges.current.ipv4_cidr_blocks,
    data.cloudflare_ip_ranges.current.ipv6_cidr_blocks,
  ), 10)
  # One RE2 pattern for var.refused_paths: the path itself or anything below it, however
  # many leading slashes (werkzeug merges them). Matched on the URL-decoded, lower-cased
  # path, so /%72eady and /READY are refused too.
  refused_path_pattern = "^/+(${join("|", [for p in var.refused_paths : trimprefix(p, "/")])})([/?].*)?$"
  # The url map's default: the service of the apex host, else the first host's service.
  default_service = lookup(var.hosts, "@", values(var.hosts)[0])
}

data "cloudflare_ip_ranges" "current" {}

resource "google_compute_global_address" "edge" {
  name       = "aia-edge"
  ip_version = "IPV4"
}

resource "google_compute_region_network_endpoint_group" "service" {
  for_each = toset(var.public_services)

  name                  = "aia-${each.key}"
  region                = var.region
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = each.key
  }
}

resource "google_compute_region_network_endpoint_group" "candidate" {
  for_each = toset(var.public_services)

  name                  = "aia-${each.key}-candidate"
  region                = var.region
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = each.key
    tag     = var.candidate_tag
  }
}

resource "google_compute_backend_service" "service" {
  for_each = toset(var.public_services)

  name                  = "aia-${each.key}"
  protocol              = "HTTPS"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.cloudflare_only.id

  backend {
    group = google_compute_region_network_endpoint_group.service[each.key].id
  }

  log_config {
    enable      = true
    sample_rate = 1.0
  }
}

resource "google_compute_backend_service" "candidate" {
  for_each = toset(var.public_services)

  name                  = "aia-${each.key}-candidate"
  protocol              = "HTTPS"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.cloudflare_only.id

  backend {
    group = google_compute_region_network_endpoint_group.candidate[each.key].id
  }

  log_config {
    enable      = true
    sample_rate = 1.0
  }
}

resource "google_compute_url_map" "edge" {
  name            = "aia-edge"
  default_service = google_compute_backend_service.service[local.default_service].id

  # A host with a start page of its own (var.start_paths) has its own path matcher.
  dynamic "host_rule" {
    for_each = var.hosts
    content {
      hosts        = [local.fqdn[host_rule.key]]
      path_matcher = contains(keys(var.start_paths), host_rule.key) ? "at-${host_rule.key}" : "to-${host_rule.value}"
    }
  }

  dynamic "host_rule" {
    for_each = toset(var.public_services)
    content {
      hosts        = [local.fqdn["${host_rule.key}-candidate"]]
      path_matcher = "to-${host_rule.key}-candidate"
    }
  }

  dynamic "path_matcher" {
    for_each = toset(values(var.hosts))
    content {
      name            = "to-${path_matcher.key}"
      default_service = google_compute_backend_service.service[path_matcher.key].id
    }
  }

  dynamic "path_matcher" {
    for_each = toset(var.public_services)
    content {
      name            = "to-${path_matcher.key}-candidate"
      default_service = google_compute_backend_service.candidate[path_matcher.key].id
    }
  }

  # The same service as the host's, but its `/` alone answers 303 to the start page
  # (admin.: the console at /admin/; docs/decisions/0030-web-faces-in-production.md).
  # Every other path, /v1/ and the app's pages included, reaches the service as on app.
  dynamic "path_matcher" {
    for_each = var.start_paths
    content {
      name            = "at-${path_matcher.key}"
      default_service = google_compute_backend_service.service[var.hosts[path_matcher.key]].id

      path_rule {
        paths = ["/"]
        url_redirect {
          path_redirect          = path_matcher.value
          redirect_response_code = "SEE_OTHER"
          strip_query            = true
        }
      }
    }
  }
}

resource "google_certificate_manager_dns_authorization" "host" {
  for_each = local.fqdn

  name        = "aia-${each.key == "@" ? "apex" : each.key}"
  description = "Proves control of ${each.value} for its Google-managed certificate."
  domain      = each.value
  labels      = var.labels
}

resource "google_certificate_manager_certificate" "edge" {
  name        = "aia-edge"
  description = "Origin certificate of ${join(", ", values(local.fqdn))}."
  labels      = var.labels

  managed {
    domains            = values(local.fqdn)
    dns_authorizations = [for a in google_certificate_manager_dns_authorization.host : a.id]
  }
}

resource "google_certificate_manager_certificate_map" "edge" {
  name   = "aia-edge"
  labels = var.labels
}

resource "google_certificate_manager_certificate_map_entry" "host" {
  for_each = local.fqdn

  name         = "aia-${each.key == "@" ? "apex" : each.key}"
  map          = google_certificate_manager_certificate_map.edge.name
  hostname     = each.value
  certificates = [google_certificate_manager_certificate.edge.id]
  labels       = var.labels
}

resource "google_compute_ssl_policy" "modern" {
  name            = "aia-modern-tls"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "edge" {
  name            = "aia-edge"
  url_map         = google_compute_url_map.edge.id
  certificate_map = "//certificatemanager.googleapis.com/${google_certificate_manager_certificate_map.edge.id}"
  ssl_policy      = google_compute_ssl_policy.modern.id
}

resource "google_compute_global_forwarding_rule" "https" {
  name                  = "aia-edge-https"
  target                = google_compute_target_https_proxy.edge.id
  ip_address            = google_compute_global_address.edge.id
  port_range            = "443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  labels                = var.labels
}

resource "google_compute_security_policy" "cloudflare_only" {
  name        = "aia-cloudflare-only"
  description = "Only Cloudflare reaches the origin; known-exploit payloads and non-public paths are refused."

  dynamic "rule" {
    for_each = local.cloudflare_ranges
    content {
      action   = "allow"
      priority = 1000 + rule.key
      match {
        versioned_expr = "SRC_IPS_V1"
        config {
          src_ip_ranges = rule.value
        }
      }
      description = "Cloudflare ranges, part ${rule.key + 1}"
    }
  }

  # Log4Shell-style JNDI lookups (CVE-2021-44228), before any allow rule.
  rule {
    action   = "deny(403)"
    priority = 100
    match {
      expr {
        expression = "evaluatePreconfiguredExpr('cve-canary')"
      }
    }
    description = "Block JNDI lookup payloads"
  }

  # Readiness, metrics and private paths: 404 as if absent, before any allow rule. Cloud
  # Run's probes and the Prometheus sidecar reach the container directly, not through here.
  rule {
    action   = "deny(404)"
    priority = 200
    match {
      expr {
        expression = "request.path.urlDecode().lower().matches('${local.refused_path_pattern}')"
      }
    }
    description = "Paths not for the public"
  }

  rule {
    action   = "deny(403)"
    priority = 2147483647
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    description = "Everything that is not Cloudflare"
  }
}
