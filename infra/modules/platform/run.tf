# One Cloud Run service per manifest function, all from ONE image: the function is chosen
# by FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE (see the Dockerfile's CMD).
#
# Terraform owns each service's configuration; Cloud Build owns its revisions: it deploys
# each new image as a revision with no traffic, smoke-tests it, then shifts traffic
# (cloudbuild.yaml). Hence `ignore_changes` on the image and on traffic below.

locals {
  # Settings every function reads (shared/settings.py), besides its target.
  common_env = {
    AIA_BACKEND                       = "gcp"
    AIA_ENVIRONMENT                   = var.environment
    GOOGLE_CLOUD_PROJECT              = var.project_id
    AIA_REGION                        = var.region
    AIA_TASKS_LOCATION                = var.region
    AIA_TASKS_INVOKER_SERVICE_ACCOUNT = google_service_account.tasks_invoker.email
    AIA_FUNCTION_URLS                 = jsonencode({ for name, f in local.http_functions : name => local.function_urls[name] })
    AIA_PUBLIC_BASE_URL               = "https://api.${var.primary_domain}"
    PRIMARY_DOMAIN                    = var.primary_domain
    AIA_SCHEDULER_ENABLED             = "false" # Cloud Scheduler fires the schedules
    LOG_EXECUTION_ID                  = "true"
    # X-Forwarded-For entries appended after the client's: Cloudflare's edge, then the
    # load balancer (shared/adapters/http/app.py client_address)
    AIA_TRUSTED_PROXY_HOPS = "2"
  }
  # Settings that hold credentials come from Secret Manager, mounted as env at start.
  secret_env = {
    sql   = { AIA_DATABASE_URL = "database-url" }
    redis = { AIA_REDIS_URL = "redis-url" }
  }
}

resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = each.value.account_id
  display_name = "AIA function ${each.key}"
  description  = "Runtime identity of the ${each.key} Cloud Run service (roles from its manifest `uses`)."
}

resource "google_cloud_run_v2_service" "function" {
  for_each = local.functions

  name                = each.key
  location            = var.region
  description         = each.value.description
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { function = each.key, trigger = each.value.kind, public = tostring(each.value.public) })
  # Public HTTP functions are reached only through the load balancer (and so only from
  # Cloudflare); event functions and private HTTP functions only from Pub/Sub, Cloud
  # Tasks, Workflows and Scheduler inside the project.
  ingress = each.value.public ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_INTERNAL_ONLY"

  template {
    service_account                  = google_service_account.function[each.key].email
    timeout                          = "${each.value.service.timeout_seconds}s"
    max_instance_request_concurrency = each.value.service.concurrency
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    labels                           = merge(var.labels, { function = each.key })

    scaling {
      min_instance_count = each.value.service.min_instances
      max_instance_count = each.value.service.max_instances
    }

    # Direct VPC egress: Cloud SQL and Memorystore have private IPs only. Only functions
    # that reach one attach (each instance holds two subnet addresses; network.tf).
    dynamic "vpc_access" {
      for_each = each.value.vpc_egress ? [1] : []
      content {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.vpc.id
          subnetwork = google_compute_subnetwork.run.id
        }
      }
    }

    # Cloud SQL through Cloud Run's built-in connection (the Cloud SQL Auth Proxy): a Unix
    # socket under /cloudsql, mutual TLS and IAM (cloudsql.client) on every connection.
    # The database-url secret names the socket:
    # postgresql+psycopg://aia:PASSWORD@/aia?host=/cloudsql/PROJECT:REGION:aia-postgres
    dynamic "volumes" {
      for_each = contains(each.value.uses, "sql") ? [1] : []
      content {
        name = "cloudsql"
        cloud_sql_instance {
          instances = [google_sql_database_instance.main.connection_name]
        }
      }
    }

    containers {
      name  = "function"
      image = var.image

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = each.value.service.cpu
          memory = each.value.service.memory
        }
        cpu_idle          = each.value.service.min_instances == 0
        startup_cpu_boost = true
      }

      env {
        name  = "FUNCTION_TARGET"
        value = each.value.target
      }
      env {
        name  = "FUNCTION_SIGNATURE_TYPE"
        value = each.value.kind == "http" ? "http" : "cloudevent"
      }
      env {
        # functions-framework's gunicorn runs one worker with THREADS threads: as many as
        # the requests Cloud Run sends one instance, so none waits for a thread.
        name  = "THREADS"
        value = tostring(each.value.service.concurrency)
      }
      env {
        name  = "WORKERS"
        value = "1"
      }
      env {
        # PostgreSQL connections one instance holds at most (docs/capacity.md: pool x
        # max SQL-using instances stays under the instance's max_connections).
        name  = "AIA_SQL_POOL_SIZE"
        value = tostring(local.sql_pool_size)
      }
      env {
        # Rate limits are shared across API instances through Memorystore.
        name  = "AIA_RATE_LIMITER"
        value = each.value.public ? "redis" : "local"
      }
      dynamic "env" {
        for_each = merge(local.common_env, var.settings_env)
        content {
          name  = env.key
          value = env.value
        }
      }
      dynamic "env" {
        for_each = merge(
          contains(each.value.uses, "sql") ? local.secret_env.sql : {},
          each.value.public ? local.secret_env.redis : {},
        )
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret[env.value].secret_id
              version = "latest"
            }
          }
        }
      }

      dynamic "volume_mounts" {
        for_each = contains(each.value.uses, "sql") ? [1] : []
        content {
          name       = "cloudsql"
          mount_path = "/cloudsql"
        }
      }

      # Traffic only once the function is configured: every function's container serves
      # GET /ready (shared/runtime/function_server.py, the image's CMD; the API's own
      # also asks its backends), so the probe is one HTTP check for every service.
      startup_probe {
        initial_delay_seconds = 0
        period_seconds        = 2
        failure_threshold     = 30
        timeout_seconds       = 2
        http_get {
          path = "/ready"
          port = 8080
        }
      }
      dynamic "liveness_probe" {
        for_each = each.value.health ? [1] : []
        content {
          period_seconds    = 30
          failure_threshold = 3
          timeout_seconds   = 5
          http_get {
            path = "/health"
            port = 8080
          }
        }
      }
    }

    # Google Cloud Managed Service for Prometheus: a sidecar scrapes the function's
    # /metrics (port 8080; only functions whose manifest routes include it) and writes the series to Cloud Monitoring, where the PromQL
    # alert policies (monitoring.tf) and the Grafana dashboards read them.
    dynamic "containers" {
      for_each = each.value.metrics && var.prometheus_sidecar_image != "" ? [1] : []
      content {
        name       = "collector"
        image      = var.prometheus_sidecar_image
        depends_on = ["function"]
        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image, # each deploy's image, set by Cloud Build
      template[0].revision,
      traffic, # Cloud Build moves traffic between revisions
      client,
      client_version,
    ]
  }

  depends_on = [
    google_project_service.api,
    google_secret_manager_secret_iam_member.runtime_env,
  ]
}

# --- who may invoke what ---------------------------------------------------------------
# Each event function gets its own push identity, allowed to invoke that one service.
resource "google_service_account" "push" {
  for_each = local.event_functions

  account_id   = local.functions[each.key].push_id
  display_name = "AIA push to ${each.key}"
  description  = "OIDC identity of the ${each.value.subscription} push subscription."
}

resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = local.event_functions

  name     = google_cloud_run_v2_service.function[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push[each.key].email}"
}

# Public HTTP functions answer everyone who reaches them (ingress limits that to the load
# balancer); the API authenticates its callers itself (JWT, API keys).
resource "google_cloud_run_v2_service_iam_member" "public_invoker" {
  for_each = local.public_functions

  name     = google_cloud_run_v2_service.function[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  # Not a leak: ingress admits only the load balancer (Cloudflare's ranges, edge module),
  # and the API authenticates each call itself.
  member = "allUsers"
}

# Cloud Tasks carry an OIDC token of this identity (AIA_TASKS_INVOKER_SERVICE_ACCOUNT);
# it may invoke only the functions that some queue targets.
resource "google_service_account" "tasks_invoker" {
  account_id   = "tasks-invoker"
  display_name = "AIA Cloud Tasks invoker"
  description  = "OIDC identity of HTTP tasks dispatched by Cloud Tasks."
}

resource "google_cloud_run_v2_service_iam_member" "tasks_invoker" {
  for_each = toset([for q in local.queues : q.function])

  name     = google_cloud_run_v2_service.function[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.tasks_invoker.email}"
}

resource "google_cloud_run_v2_service_iam_member" "workflow_invoker" {
  for_each = local.workflow_invoker_grants

  name     = google_cloud_run_v2_service.function[each.value.function].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.workflow[each.value.workflow].email}"
}
