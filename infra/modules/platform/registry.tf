# Artifact Registry: the one image every function runs (Dockerfile), tagged by commit.
resource "google_artifact_registry_repository" "images" {
  location      = var.region
  repository_id = "aia"
  format        = "DOCKER"
  description   = "The AIA System image (all functions; the function is chosen by its target)."
  kms_key_name  = google_kms_crypto_key.data.id
  labels        = var.labels

  docker_config {
    immutable_tags = true # a commit's tag always names the image that was tested
  }

  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 30 # enough revisions to roll back weeks
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "7776000s" # 90 days, unless kept above
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.agent]
}
