# A customer-managed key for the data that sits in queues and the image registry:
# Pub/Sub messages (events carry user ids and e-mail addresses) and the images. The
# services' own agents encrypt and decrypt with it; destroying the key would destroy
# that data, hence prevent_destroy.

resource "google_kms_key_ring" "main" {
  name     = "aia"
  location = var.region

  depends_on = [google_project_service.api]
}

resource "google_kms_crypto_key" "data" {
  name            = "aia-data"
  key_ring        = google_kms_key_ring.main.id
  rotation_period = "7776000s" # 90 days
  purpose         = "ENCRYPT_DECRYPT"
  labels          = var.labels

  lifecycle {
    prevent_destroy = true
  }
}

# Service agents exist only once something asks for them; create them explicitly so the
# key grants below can name them before the first topic or repository is created.
resource "google_project_service_identity" "agent" {
  provider = google-beta
  for_each = toset(["pubsub.googleapis.com", "artifactregistry.googleapis.com"])

  project = var.project_id
  service = each.key
}

resource "google_kms_crypto_key_iam_member" "agent" {
  for_each = google_project_service_identity.agent

  crypto_key_id = google_kms_crypto_key.data.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = each.value.member
}
