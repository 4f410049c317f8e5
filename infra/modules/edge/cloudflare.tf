# Cloudflare: the four hostnames, proxied (TLS terminates at Cloudflare, which re-encrypts
# to the load balancer and verifies its certificate: "Full (strict)"), HSTS and HTTPS-only
# as zone settings, and the DNS-authorization records of the origin certificate.

resource "cloudflare_record" "host" {
  for_each = local.fqdn

  zone_id = var.cloudflare_zone_id
  name    = each.value
  type    = "A"
  content = google_compute_global_address.edge.address
  proxied = true
  ttl     = 1 # automatic (required while proxied)
  comment = "AIA ${each.key == "@" ? "apex" : each.key}: Google load balancer (Terraform)"
}

# Certificate Manager's DNS authorization: a CNAME that must not be proxied.
resource "cloudflare_record" "certificate_authorization" {
  for_each = local.fqdn

  zone_id = var.cloudflare_zone_id
  name    = google_certificate_manager_dns_authorization.host[each.key].dns_resource_record[0].name
  type    = google_certificate_manager_dns_authorization.host[each.key].dns_resource_record[0].type
  content = google_certificate_manager_dns_authorization.host[each.key].dns_resource_record[0].data
  proxied = false
  ttl     = 300
  comment = "Certificate Manager DNS authorization for ${each.value} (Terraform)"
}

resource "cloudflare_zone_settings_override" "tls" {
  zone_id = var.cloudflare_zone_id

  settings {
    ssl                      = "strict" # Full (strict): the origin certificate is verified
    always_use_https         = "on"
    automatic_https_rewrites = "on"
    min_tls_version          = "1.2"
    tls_1_3                  = "on"
    opportunistic_encryption = "on"

    security_header {
      enabled            = true
      max_age            = 31536000 # one year
      include_subdomains = true
      preload            = true
      nosniff            = true
    }
  }
}
