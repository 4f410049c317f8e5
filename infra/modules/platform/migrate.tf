# Schema migrations (Alembic, `aia migrate`) as a Cloud Run job: the functions' image, the
# functions' network (Direct VPC egress into the same subnet) and Cloud SQL connection, its
# own identity that may only connect to Cloud SQL and read the database-url secret.
# Cloud Build runs it with each new image before any new revision exists and waits for it
# (cloudbuild.yaml `migrate`, scripts/deploy-production.sh phase_migrate); migrations stay
# backward compatible with the serving release (docs/decisions/0033-migrations-and-restore.md).

resource "google_service_account" "migrate" {
  account_id   = "aia-migrate"
  display_name = "AIA schema migrations"
  description  = "Runtime identity of the aia-migrate Cloud Run job: Cloud SQL client, reads database-url."
}

resource "google_project_iam_member" "migrate" {
  for_each = toset(["roles/cloudsql.client", "roles/logging.logWriter"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.migrate.email}"
}

resource "google_secret_manager_secret_iam_member" "migrate_database_url" {
  secret_id = google_secret_manager_secret.secret["database-url"].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.migrate.email}"
}

resource "google_cloud_run_v2_job" "migrate" {
  name                = "aia-migrate"
  location            = var.region
  deletion_protection = var.deletion_protection
  labels              = merge(var.labels, { role = "migrate" })

  template {
    task_count  = 1
    parallelism = 1
    labels      = merge(var.labels, { role = "migrate" })

    template {
      service_account       = google_service_account.migrate.email
      timeout               = "900s"
      max_retries           = 0 # a failed migration is looked at, not retried blind
      execution_environment = "EXECUTION_ENVIRONMENT_GEN2"

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.vpc.id
          subnetwork = google_compute_subnetwork.run.id
        }
      }

      volumes {
        name = "cloudsql"
        cloud_sql_instance {
          instances = [google_sql_database_instance.main.connection_name]
        }
      }

      containers {
        image   = var.image
        command = ["aia"]
        # refuses a database before the release the expand-only rule assumed serves
        # (shared/adapters/sql/releases.py); its log line records the schema before/after
        args = ["migrate", "--after-previous-release"]

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }

        env {
          name  = "AIA_BACKEND"
          value = "gcp"
        }
        env {
          name  = "GOOGLE_CLOUD_PROJECT"
          value = var.project_id
        }
        env {
          name = "AIA_DATABASE_URL"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret["database-url"].secret_id
              version = "latest"
            }
          }
        }
        volume_mounts {
          name       = "cloudsql"
          mount_path = "/cloudsql"
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].template[0].containers[0].image, # each deploy's image, set by Cloud Build
      client,
      client_version,
    ]
  }

  depends_on = [google_secret_manager_secret_iam_member.migrate_database_url]
}
