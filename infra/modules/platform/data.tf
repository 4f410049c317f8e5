# Data stores: Firestore (documents), Cloud SQL PostgreSQL 16 (relational: accounts,
# ledger), Memorystore Redis (rate limits). Sizes are the deployment strategy's.

# --- Firestore ---------------------------------------------------------------------------
resource "google_firestore_database" "main" {
  name                              = "(default)" # shared/adapters/gcp/firestore.py
  location_id                       = var.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "PESSIMISTIC"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"

  depends_on = [google_project_service.api]
}

# Backups beside PITR (7 days, to the minute, above). The product plan keeps 30 days; the
# API keeps a daily backup at most 7 days and a weekly one at most 14 weeks, so: a daily
# backup kept 7 days and a weekly one kept 6 weeks (42 days): any day of the last 30 has a
# backup at most a week older. Restoring: docs/runbooks/restore.md.
resource "google_firestore_backup_schedule" "daily" {
  database  = google_firestore_database.main.name
  retention = "${7 * 24 * 3600}s"

  daily_recurrence {}
}

resource "google_firestore_backup_schedule" "weekly" {
  database  = google_firestore_database.main.name
  retention = "${42 * 24 * 3600}s"

  weekly_recurrence {
    day = "SUNDAY"
  }
}

# Composite indexes for tenant-scoped listings: equality on owner_id (shared/tenancy.py
# adds it to every OwnedCollection query) plus the listing's order. One entry per
# collection and order field in infra/firestore-indexes.yaml.
locals {
  firestore_indexes = { for i in yamldecode(file(var.firestore_indexes_path)).indexes :
    "${i.collection}/${join(",", [for f in i.fields : "${f.field}:${f.order}"])}" => i
  }
}

resource "google_firestore_index" "owned" {
  for_each = local.firestore_indexes

  database   = google_firestore_database.main.name
  collection = each.value.collection

  fields {
    field_path = "owner_id"
    order      = "ASCENDING"
  }
  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value.field
      order      = fields.value.order
    }
  }
}

# --- Cloud SQL for PostgreSQL 16 -------------------------------------------------------------
resource "google_sql_database_instance" "main" {
  name   = "aia-postgres"
  region = var.region
  #checkov:skip=CKV_GCP_79:PostgreSQL 16 is the version the deployment strategy names and the code is tested with (tests run PostgreSQL locally); a major upgrade is its own change
  database_version    = "POSTGRES_16"
  deletion_protection = var.deletion_protection

  settings {
    tier                        = "db-custom-4-16384" # 4 vCPU, 16 GB
    edition                     = "ENTERPRISE"        # custom tiers; PG16 defaults to ENTERPRISE_PLUS
    availability_type           = "REGIONAL"          # HA: a standby in a second zone, automatic failover
    disk_type                   = "PD_SSD"
    disk_size                   = 100
    disk_autoresize             = true
    disk_autoresize_limit       = var.sql_disk_autoresize_limit_gb
    deletion_protection_enabled = var.deletion_protection
    user_labels                 = var.labels

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00" # daily, UTC
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
      location                       = var.sql_backup_location
      backup_retention_settings {
        retained_backups = 30 # one a day: 30 days
        retention_unit   = "COUNT"
      }
    }

    ip_configuration {
      ipv4_enabled                                  = false # private IP only
      private_network                               = google_compute_network.vpc.id
      enable_private_path_for_google_cloud_services = true
      # Functions connect through Cloud Run's Cloud SQL connection (the Auth Proxy, run.tf),
      # which presents a client certificate: mutual TLS on every connection.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
      # A per-instance CA that every connector verifies (the Auth Proxy behind Cloud Run's
      # connection, the language connectors); the shared CAS CA needs newer connectors.
      server_ca_mode = "GOOGLE_MANAGED_INTERNAL_CA"
    }

    maintenance_window {
      day          = 7 # Sunday
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = true
      record_client_address   = false
    }

    # Explicit, not the tier's default: sizing.tf checks pool x instances against it.
    database_flags {
      name  = "max_connections"
      value = tostring(local.sql_max_connections)
    }
    # Logging flags the CIS benchmark asks for (checkov CKV_GCP_51..58, 108-111).
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
    database_flags {
      name  = "pgaudit.log"
      value = "ddl,role"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_duration"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "aia" {
  name     = "aia"
  instance = google_sql_database_instance.main.name
}

# The application's login. Its password is set by an operator (`gcloud sql users
# set-password`) and stored in the database-url secret: never in Terraform.
resource "google_sql_user" "aia" {
  name     = "aia"
  instance = google_sql_database_instance.main.name
  type     = "BUILT_IN"

  lifecycle {
    ignore_changes = [password]
  }
}

# --- Memorystore for Redis -------------------------------------------------------------------
resource "google_redis_instance" "main" {
  name               = "aia-redis"
  region             = var.region
  tier               = "STANDARD_HA" # a replica in another zone, automatic failover
  memory_size_gb     = 4
  redis_version      = "REDIS_7_2"
  connect_mode       = "PRIVATE_SERVICE_ACCESS"
  authorized_network = google_compute_network.vpc.id
  auth_enabled       = true
  # The rate limiter connects with AIA_REDIS_URL (redis-url secret) and has no way yet to
  # trust Memorystore's server CA: TLS waits for that client change. The traffic stays on
  # the private service access range of our VPC.
  #checkov:skip=CKV_GCP_97:in-transit TLS needs the client to trust Memorystore's CA (docs/decisions/0008-infrastructure.md); traffic stays inside the VPC's private service range
  transit_encryption_mode = "DISABLED"
  labels                  = var.labels

  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }

  maintenance_policy {
    weekly_maintenance_window {
      day = "SUNDAY"
      start_time {
        hours   = 4
        minutes = 0
      }
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}
