output "function_services" {
  description = "Cloud Run service name and URL of each manifest function."
  value       = { for name, s in google_cloud_run_v2_service.function : name => { name = s.name, uri = s.uri } }
}

output "public_functions" {
  description = "Names of the public HTTP functions (served through the load balancer)."
  value       = keys(local.public_functions)
}

output "edge_refused_paths" {
  description = "Path prefixes not for the public (readiness, metrics, private functions' paths): the edge answers them 404."
  value       = local.edge_refused_paths
}

output "function_service_accounts" {
  description = "Runtime identity of each function."
  value       = { for name, sa in google_service_account.function : name => sa.email }
}

output "topics" {
  description = "Pub/Sub topic ids (= manifest topic names)."
  value       = { for name, t in google_pubsub_topic.topic : name => t.id }
}

output "subscriptions" {
  description = "Push subscription of each event function, and the dead-letter pull subscription."
  value = merge(
    { for name, s in google_pubsub_subscription.push : name => s.id },
    { "dead-letter-pull" = google_pubsub_subscription.dead_letter_pull.id },
  )
}

output "image_repository" {
  description = "Artifact Registry path to push the image to."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "sql_instance" {
  description = "Cloud SQL instance connection name and private IP (compose the database-url secret from these)."
  value = {
    connection_name = google_sql_database_instance.main.connection_name
    private_ip      = google_sql_database_instance.main.private_ip_address
    database        = google_sql_database.aia.name
    user            = google_sql_user.aia.name
  }
}

output "redis_instance" {
  description = "Memorystore host and port (compose the redis-url secret with its AUTH string)."
  value = {
    host = google_redis_instance.main.host
    port = google_redis_instance.main.port
  }
}

output "secrets" {
  description = "Secret ids an operator must give a value (docs/deploy.md)."
  value       = sort(keys(google_secret_manager_secret.secret))
}

output "workflows" {
  description = "Workflow ids."
  value       = { for name, w in google_workflows_workflow.workflow : name => w.id }
}

output "queues" {
  description = "Cloud Tasks queue ids."
  value       = { for name, q in google_cloud_tasks_queue.queue : name => q.id }
}

output "deployer_service_account" {
  description = "The Cloud Build trigger's service account (builds, pushes, deploys revisions by digest)."
  value       = google_service_account.deployer.email
}

output "terraform_service_account" {
  description = "The identity the deployer's terraform steps impersonate to apply infra/."
  value       = google_service_account.terraform.email
}

output "firestore_export_bucket" {
  description = "The bucket of the restore runbook's Firestore export/import (gs://<name>/...)."
  value       = google_storage_bucket.firestore_exports.name
}
