# Cloud Monitoring: the Prometheus alert rules of infra/monitoring/prometheus/alerts.yml,
# one alert policy per rule with the same PromQL, duration and severity (so both stay in
# step: a rule added there becomes a policy here with no Terraform edit), an uptime check
# on the API's /health, and log-based counters for the event metrics.
#
# Where the series come from in production:
#   aia_http_*              the public API's /metrics, scraped by the Managed
#                           Prometheus sidecar (run.tf)
#   aia_events_{handled,failed,dead_lettered}_total, aia_emails_failed_total
#                           counted in functions that serve no /metrics (event functions:
#                           functions-framework routes only POST in cloudevent mode; the
#                           email-send step): the same counters are derived from their
#                           structured log lines (google_logging_metric below) and the
#                           policies' PromQL is rewritten to read those
#   run_googleapis_com:*    Cloud Run's own metrics (CPU, memory), read through PromQL

locals {
  prometheus_rules = yamldecode(file(var.prometheus_rules_path))
  alert_rules = merge([for g in local.prometheus_rules.groups : {
    for r in g.rules : r.alert => merge(r, { group = g.name }) if try(r.alert, null) != null
  }]...)

  # Event counters in Cloud Monitoring are the log-based metrics below.
  promql_for_gcp = { for name, r in local.alert_rules : name => replace(replace(replace(replace(r.expr,
    "aia_events_handled_total", "logging_googleapis_com:user_aia_events_handled_total"),
    "aia_events_failed_total", "logging_googleapis_com:user_aia_events_failed_total"),
    "aia_events_dead_lettered_total", "logging_googleapis_com:user_aia_events_dead_lettered_total"),
  "aia_emails_failed_total", "logging_googleapis_com:user_aia_emails_failed_total") }
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.alert_emails)

  display_name = "AIA alerts: ${each.key}"
  type         = "email"
  labels = {
    email_address = each.key
  }
}

resource "google_monitoring_alert_policy" "prometheus_rule" {
  for_each = local.alert_rules

  display_name          = "${each.key} (${each.value.group})"
  combiner              = "OR"
  severity              = lower(try(each.value.labels.severity, "warning")) == "critical" ? "CRITICAL" : "WARNING"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]
  user_labels           = { for k, v in merge(var.labels, try(each.value.labels, {})) : k => lower(v) }

  conditions {
    display_name = each.key
    condition_prometheus_query_language {
      query                     = local.promql_for_gcp[each.key]
      duration                  = "${tonumber(trimsuffix(try(each.value["for"], "0m"), "m")) * 60}s"
      evaluation_interval       = "60s"
      alert_rule                = each.key
      rule_group                = each.value.group
      labels                    = try(each.value.labels, {})
      disable_metric_validation = true # series appear with the first requests after deploy
    }
  }

  documentation {
    subject   = try(each.value.annotations.summary, each.key)
    content   = try(each.value.annotations.description, "")
    mime_type = "text/markdown"
  }

  alert_strategy {
    auto_close = "1800s"
  }

  depends_on = [google_project_service.api, google_logging_metric.event]
}

# --- /health, checked from outside every minute ------------------------------------------
resource "google_monitoring_uptime_check_config" "api_health" {
  display_name = "api.${var.primary_domain}/health"
  timeout      = "10s"
  period       = "60s"

  http_check {
    path         = "/health"
    port         = 443
    use_ssl      = true
    validate_ssl = true
    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }

  content_matchers {
    content = "\"status\":\"ok\""
    matcher = "CONTAINS_STRING"
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = "api.${var.primary_domain}"
    }
  }
}

resource "google_monitoring_alert_policy" "api_health" {
  display_name          = "ApiHealthFailing (uptime)"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]
  user_labels           = var.labels

  conditions {
    display_name = "api /health failing from 2+ regions for 5 minutes"
    condition_threshold {
      filter          = "resource.type = \"uptime_url\" AND metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND metric.labels.check_id = \"${google_monitoring_uptime_check_config.api_health.uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.host"]
      }
    }
  }

  documentation {
    subject   = "api.${var.primary_domain}/health is failing"
    content   = "The public health check has failed for 5 minutes. A deploy in progress rolls itself back on this (scripts/rollback-watch.py); otherwise see docs/deploy.md, \"Roll back\"."
    mime_type = "text/markdown"
  }
}

# --- event counters from the functions' structured logs ----------------------------------
# shared/adapters/cloud_events.py logs one line per outcome, with the event type and handler in
# the line's labels (shared/observability/logging.py: logging.googleapis.com/labels).
locals {
  event_log_metrics = {
    aia_events_handled_total = {
      description = "Events a handler applied or replayed (from the consumer's log lines)."
      filter      = "jsonPayload.message=(\"event applied\" OR \"event replayed\")"
      labels = {
        type    = "EXTRACT(labels.event_type)"
        handler = "EXTRACT(labels.handler)"
        outcome = "REGEXP_EXTRACT(jsonPayload.message, \"event (applied|replayed)\")"
      }
    }
    aia_events_failed_total = {
      description = "Event deliveries whose handler raised (redelivered by Pub/Sub)."
      filter      = "jsonPayload.message=\"handler failed; the delivery will be retried\""
      labels = {
        type    = "EXTRACT(labels.event_type)"
        handler = "EXTRACT(labels.handler)"
      }
    }
    aia_emails_failed_total = {
      description = "Email deliveries that failed (shared/email/sending.py's log lines)."
      filter      = "jsonPayload.message=(\"email delivery failed; will retry\" OR \"email delivery failed for good\")"
      labels      = {}
    }
    aia_events_dead_lettered_total = {
      description = "Messages forwarded to the dead-letter topic as invalid."
      filter      = "jsonPayload.message=~\"^event dead-lettered\""
      labels = {
        type    = "EXTRACT(jsonPayload.event_type)"
        handler = "EXTRACT(jsonPayload.subscriber)"
      }
    }
  }
}

resource "google_logging_metric" "event" {
  for_each = local.event_log_metrics

  name        = each.key
  description = each.value.description
  filter      = "resource.type=\"cloud_run_revision\" AND ${each.value.filter}"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    dynamic "labels" {
      for_each = each.value.labels
      content {
        key        = labels.key
        value_type = "STRING"
      }
    }
  }

  label_extractors = each.value.labels
}
