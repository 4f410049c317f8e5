# The Firestore export/import path of the restore runbook (docs/runbooks/restore.md, step
# 3): a restored database (PITR clone or backup restore) is exported here and imported
# into `(default)`, which the functions read. Exports hold every document (e-mail
# addresses included), so the bucket is private, uniform, versioned against an
# accidental overwrite or delete, and forgets an export after the retention period.

resource "google_storage_bucket" "firestore_exports" {
  #checkov:skip=CKV_GCP_62:who reads or writes an export is in Cloud Audit Logs (Data Access for storage, the audit config below); usage-log buckets are the legacy form and would need a second bucket
  name     = "${var.project_id}-restore"
  location = var.region # a region of the database's multi-region (eur3 holds europe-west1)
  labels   = var.labels

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # An export is deleted once it is older than the retention period; the version that a
  # delete (or overwrite) leaves behind goes a week later.
  lifecycle_rule {
    condition {
      age = var.firestore_export_retention_days
    }
    action {
      type = "Delete"
    }
  }
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 7
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.api]
}

# Every read and write of an object is logged (the exports hold personal data). Project-
# wide for Cloud Storage, which here holds only this bucket and the Terraform state.
resource "google_project_iam_audit_config" "storage_data_access" {
  project = var.project_id
  service = "storage.googleapis.com"

  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

# Exports and imports run as the Firestore service agent, which must write, list and
# read the objects and read the bucket's metadata; nothing else (not storage.admin).
resource "google_project_service_identity" "firestore" {
  provider = google-beta

  project = var.project_id
  service = "firestore.googleapis.com"
}

locals {
  # legacyBucketWriter: buckets.get, objects.create, objects.delete, objects.list;
  # legacyObjectReader: objects.get (an import reads them back)
  firestore_agent_export_roles = toset(["roles/storage.legacyBucketWriter", "roles/storage.legacyObjectReader"])
}

resource "google_storage_bucket_iam_member" "firestore_agent_writes_exports" {
  for_each = local.firestore_agent_export_roles

  bucket = google_storage_bucket.firestore_exports.name
  role   = each.key
  member = google_project_service_identity.firestore.member
}

# The operators who run a restore start the export and import (Firestore's IAM is
# project-wide: importExportAdmin starts and watches those operations only) and may list
# and read what is in the bucket; they never write it (the service agent does).
resource "google_project_iam_member" "operators_export_import" {
  for_each = toset(var.restore_operators)

  project = var.project_id
  role    = "roles/datastore.importExportAdmin"
  member  = each.key
}

resource "google_storage_bucket_iam_member" "operators_read_exports" {
  for_each = toset(var.restore_operators)

  bucket = google_storage_bucket.firestore_exports.name
  role   = "roles/storage.objectViewer"
  member = each.key
}
