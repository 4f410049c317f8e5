# What the platform's managed services report, beside the code's own metrics
# (docs/decisions/0034). The alert rules on Pub/Sub, Cloud SQL, Memorystore, Cloud Tasks,
# Workflows and Cloud Scheduler live in infra/monitoring/prometheus/alerts.yml (group
# aia-platform) and become policies through monitoring.tf like every rule; Cloud Scheduler
# has no failure metric, so its failed runs are counted from its logs here. And a
# billing budget, which is not a metric at all.

resource "google_logging_metric" "scheduler_job_failures" {
  name        = "aia_scheduler_job_failures_total"
  description = "Cloud Scheduler runs that failed to publish (the job's ERROR log entries)."
  filter      = "resource.type=\"cloud_scheduler_job\" AND severity>=ERROR"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "job_id"
      value_type = "STRING"
    }
  }

  label_extractors = {
    job_id = "EXTRACT(resource.labels.job_id)"
  }
}

resource "google_project_service" "billing_budgets" {
  project            = var.project_id
  service            = "billingbudgets.googleapis.com"
  disable_on_destroy = false
}

# Alerts at half, 90 % and all of the month's budget spent, and when the forecast passes
# it (docs/capacity.md computes the month's cost). The terraform identity needs
# roles/billing.costsManager on the billing account (docs/deploy.md, manual steps).
resource "google_billing_budget" "monthly" {
  count = var.billing_account == "" ? 0 : 1

  billing_account = var.billing_account
  display_name    = "AIA ${var.environment} monthly"

  budget_filter {
    projects               = ["projects/${data.google_project.this.number}"]
    calendar_period        = "MONTH"
    credit_types_treatment = "INCLUDE_ALL_CREDITS"
  }

  amount {
    specified_amount {
      currency_code = var.budget_currency
      units         = tostring(var.monthly_budget)
    }
  }

  dynamic "threshold_rules" {
    for_each = [0.5, 0.9, 1.0]
    content {
      threshold_percent = threshold_rules.value
      spend_basis       = "CURRENT_SPEND"
    }
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }

  all_updates_rule {
    monitoring_notification_channels = [for c in google_monitoring_notification_channel.email : c.id]
    disable_default_iam_recipients   = false
  }

  depends_on = [google_project_service.billing_budgets]
}
