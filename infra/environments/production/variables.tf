variable "project_id" {
  description = "The Google Cloud project (GCP_PROJECT_ID)."
  type        = string
}

variable "region" {
  description = "Region of the platform."
  type        = string
  default     = "europe-west1"
}

variable "primary_domain" {
  description = "Apex domain (PRIMARY_DOMAIN)."
  type        = string
  default     = "013a.tech"
}

variable "image" {
  description = "Image the services are created with; Cloud Build passes the image it just built."
  type        = string
}

variable "cloudflare_zone_id" {
  description = "Cloudflare zone id of the apex domain (manual step: from the Cloudflare dashboard)."
  type        = string
}

variable "hosts" {
  description = "Host label (\"@\" = apex) -> public function that answers it."
  type        = map(string)
  default = {
    "@"   = "api"
    api   = "api"
    app   = "api"
    admin = "api"
  }
}

variable "start_paths" {
  description = "Host label (a key of var.hosts) -> the path its `/` answers 303 to: the face that host opens on the same service."
  type        = map(string)
  default = {
    admin = "/admin/"
  }

  validation {
    condition     = alltrue([for label, path in var.start_paths : can(regex("^/[a-z0-9/_-]*$", path)) && path != "/"])
    error_message = "Each start path is a /lower-case-path other than / itself."
  }
}

variable "secret_ids" {
  description = "Application secrets (names only)."
  type        = list(string)
  default = [
    "jwt-signing-keys",
    "stripe-secret-key",
    "stripe-webhook-secret",
    "sendgrid-api-key",
    "sendgrid-webhook-public-key",
    "email-unsubscribe-key",
    "smtp-password",
    "gmail-service-account",
    "openai-api-key",
    "anthropic-api-key",
    "xai-api-key",
    "groq-api-key",
    "huggingface-api-token",
  ]
}

variable "alert_emails" {
  description = "Where alerts are sent."
  type        = list(string)
  default     = ["alerts@013a.tech"]
}

variable "settings_env" {
  description = "More AIA_* settings for every function (shared/settings.py)."
  type        = map(string)
  default = {
    AIA_MAIL_BACKEND = "sendgrid"
  }
}

variable "billing_account" {
  description = "Billing account id of the project: the monthly budget alert is set on it (Cloud Build passes _BILLING_ACCOUNT)."
  type        = string
  default     = ""
}

variable "restore_operators" {
  description = "IAM members who run a restore (docs/runbooks/restore.md): Firestore export/import and read access to the restore bucket."
  type        = list(string)
  default     = []
}
