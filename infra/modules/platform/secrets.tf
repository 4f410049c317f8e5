# Secret Manager: the secrets' NAMES only. Their values are added by an operator
# (docs/deploy.md, "Manual steps"); no value ever passes through Terraform or its state.
#
#   var.secret_ids   application secrets read through the Secrets port by name
#                    (shared/adapters/gcp/secret_manager.py), e.g. jwt-signing-key
#   database-url     AIA_DATABASE_URL of functions that use `sql` (postgresql+psycopg://...)
#   redis-url        AIA_REDIS_URL of the public HTTP functions (rate limits)

locals {
  settings_secrets = ["database-url", "redis-url"]
  all_secrets      = toset(concat(var.secret_ids, local.settings_secrets))
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.all_secrets

  secret_id = each.key
  labels    = merge(var.labels, { kind = contains(local.settings_secrets, each.key) ? "settings" : "application" })

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.api]
}
