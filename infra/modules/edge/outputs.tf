output "load_balancer_ip" {
  description = "Global IP the Cloudflare records point to."
  value       = google_compute_global_address.edge.address
}

output "hostnames" {
  description = "Hostnames served, each proxied by Cloudflare with full (strict) TLS."
  value       = sort(values(local.fqdn))
}
