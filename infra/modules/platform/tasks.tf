# Cloud Tasks: one queue per manifest queue (queue id = manifest name, which is what
# shared/adapters/gcp/cloud_tasks.py addresses), with its rate limits and retries.
resource "google_cloud_tasks_queue" "queue" {
  for_each = local.queues

  name     = each.key
  location = var.region

  rate_limits {
    max_dispatches_per_second = each.value.max_dispatches_per_second
    max_concurrent_dispatches = each.value.max_concurrent_dispatches
  }

  retry_config {
    max_attempts  = each.value.max_attempts
    min_backoff   = "${each.value.retry.minimum_backoff_seconds}s"
    max_backoff   = "${each.value.retry.maximum_backoff_seconds}s"
    max_doublings = 16
  }

  stackdriver_logging_config {
    sampling_ratio = 1.0
  }

  depends_on = [google_project_service.api]
}
