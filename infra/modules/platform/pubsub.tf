# Pub/Sub: one topic per manifest topic (topic id = manifest name), one push subscription
# per event function (OIDC-authenticated push to that function's Cloud Run service, with
# the manifest's retry policy, delivery attempts, ordering and ack deadline), and a pull
# subscription on the dead-letter topic so that nothing published there is ever lost.
# Why push subscriptions and not Eventarc triggers: docs/decisions/0008-infrastructure.md.

resource "google_pubsub_topic" "topic" {
  for_each = local.topics

  name                       = each.key
  message_retention_duration = each.value.dead_letter ? "2678400s" : "604800s" # 31 d / 7 d
  kms_key_name               = google_kms_crypto_key.data.id
  labels                     = merge(var.labels, { role = each.value.dead_letter ? "dead-letter" : "events" })

  depends_on = [google_kms_crypto_key_iam_member.agent]
}

resource "google_pubsub_subscription" "push" {
  for_each = local.event_functions

  name                         = each.value.subscription
  topic                        = google_pubsub_topic.topic[each.value.topic].id
  ack_deadline_seconds         = each.value.ack_deadline_seconds
  enable_message_ordering      = each.value.ordering
  message_retention_duration   = "604800s"
  retain_acked_messages        = false
  enable_exactly_once_delivery = false # push subscriptions cannot use it; handlers are idempotent
  labels                       = merge(var.labels, { function = each.key })

  expiration_policy {
    ttl = "" # never expire, however quiet the topic
  }

  retry_policy {
    minimum_backoff = "${each.value.retry.minimum_backoff_seconds}s"
    maximum_backoff = "${each.value.retry.maximum_backoff_seconds}s"
  }

  # The dead-letter topic's own subscriber has no dead-letter policy (it would loop);
  # its undeliverable messages stay on the pull subscription below instead.
  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letters ? [1] : []
    content {
      dead_letter_topic     = google_pubsub_topic.topic[local.dead_letter_topic].id
      max_delivery_attempts = each.value.max_delivery_attempts
    }
  }

  push_config {
    push_endpoint = google_cloud_run_v2_service.function[each.key].uri
    oidc_token {
      service_account_email = google_service_account.push[each.key].email
      audience              = google_cloud_run_v2_service.function[each.key].uri
    }
    # Wrapped (default) delivery: functions-framework turns the push envelope into a
    # CloudEvent and shared.events.codec reads message id, attributes and ordering key.
  }

  depends_on = [
    google_cloud_run_v2_service_iam_member.push_invoker,
    google_service_account_iam_member.pubsub_token_creator,
  ]
}

# Operators' copy of everything dead-lettered: kept 7 days whether or not the
# record-dead-letter function stored it (replay: pull, fix, republish to the source topic).
resource "google_pubsub_subscription" "dead_letter_pull" {
  name                       = "${local.dead_letter_topic}-pull"
  topic                      = google_pubsub_topic.topic[local.dead_letter_topic].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = true
  labels                     = merge(var.labels, { role = "dead-letter" })

  expiration_policy {
    ttl = ""
  }
}

# --- dead-letter IAM for the Pub/Sub service agent ---------------------------------------
# Without both grants a subscription's dead-letter policy silently does nothing.
locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.topic[local.dead_letter_topic].id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_source_subscriber" {
  for_each = local.dead_lettered_functions

  subscription = google_pubsub_subscription.push[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# The service agent mints the OIDC token of each push identity.
resource "google_service_account_iam_member" "pubsub_token_creator" {
  for_each = local.event_functions

  service_account_id = google_service_account.push[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}
