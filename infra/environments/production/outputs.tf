output "function_services" {
  description = "Cloud Run service of each function."
  value       = module.platform.function_services
}

output "image_repository" {
  description = "Where Cloud Build pushes the image."
  value       = module.platform.image_repository
}

output "load_balancer_ip" {
  description = "Origin IP behind Cloudflare."
  value       = module.edge.load_balancer_ip
}

output "hostnames" {
  description = "Public hostnames."
  value       = module.edge.hostnames
}

output "sql_instance" {
  description = "Cloud SQL connection details (no password)."
  value       = module.platform.sql_instance
}

output "redis_instance" {
  description = "Memorystore host and port."
  value       = module.platform.redis_instance
}

output "secrets" {
  description = "Secrets that need a value."
  value       = module.platform.secrets
}

output "subscriptions" {
  description = "Pub/Sub subscriptions."
  value       = module.platform.subscriptions
}

output "firestore_export_bucket" {
  description = "The restore runbook's Firestore export/import bucket (docs/runbooks/restore.md)."
  value       = module.platform.firestore_export_bucket
}
