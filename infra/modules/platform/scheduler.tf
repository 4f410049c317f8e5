# Cloud Scheduler: each manifest schedule publishes its event to the topic that carries
# it, as a CloudEvent in Pub/Sub binary mode (shared/events/codec.py). There is no ce-id
# attribute: the consumer takes the Pub/Sub message id as the event id, and a job that
# Scheduler retries publishes a new message, which is a new firing.
resource "google_cloud_scheduler_job" "schedule" {
  for_each = local.schedules

  name        = each.key
  description = each.value.description
  region      = var.region
  schedule    = each.value.cron
  time_zone   = each.value.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    data       = base64encode(jsonencode(each.value.data))
    attributes = {
      "ce-specversion" = "1.0"
      "ce-type"        = each.value.event
      "ce-source"      = "//api.${var.primary_domain}/scheduler/${each.key}"
      "ce-dataschema"  = "https://api.${var.primary_domain}/schemas/events/${each.value.event}/v1"
      "content-type"   = "application/json"
    }
  }

  retry_config {
    retry_count          = 3
    min_backoff_duration = "10s"
    max_backoff_duration = "300s"
  }

  depends_on = [google_project_service.api]
}
