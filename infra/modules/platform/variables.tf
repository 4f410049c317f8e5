variable "project_id" {
  description = "The Google Cloud project that runs the platform."
  type        = string
}

variable "region" {
  description = "Region of Cloud Run, Cloud SQL, Memorystore, Tasks, Scheduler, Workflows and Artifact Registry."
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "Environment name, passed to the functions as AIA_ENVIRONMENT."
  type        = string
  default     = "production"
}

variable "primary_domain" {
  description = "The platform's apex domain (PRIMARY_DOMAIN): api.<domain> serves the API."
  type        = string
  default     = "013a.tech"
}

variable "manifest_path" {
  description = "Path of the wiring manifest (shared/wiring/manifest.yaml) that drives every per-function resource."
  type        = string
}

variable "repo_root" {
  description = "Repository root: workflows/<name>.workflows.yaml are read from here."
  type        = string
}

variable "prometheus_rules_path" {
  description = "Path of infra/monitoring/prometheus/alerts.yml: each alerting rule becomes a Cloud Monitoring alert policy."
  type        = string
}

variable "firestore_indexes_path" {
  description = "Path of infra/firestore-indexes.yaml (composite indexes of tenant-scoped listings)."
  type        = string
}

variable "image" {
  description = "Image every function starts from when its service is first created (later images are deployed by Cloud Build)."
  type        = string
}

variable "prometheus_sidecar_image" {
  description = "Managed Service for Prometheus sidecar that scrapes the HTTP functions' /metrics; empty to run without it."
  type        = string
  default     = "us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.2.0"
}

variable "settings_env" {
  description = "More settings (shared/settings.py, AIA_*) for every function, e.g. the mail backend or the venture LLM provider."
  type        = map(string)
  default = {
    AIA_MAIL_BACKEND = "sendgrid" # never the local .eml outbox in production
  }
}

variable "secret_ids" {
  description = "Application secrets (names only) readable by the functions that use `secrets`. Values are added by an operator."
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

  validation {
    condition     = alltrue([for s in var.secret_ids : can(regex("^[a-z][a-z0-9-]{0,254}$", s))])
    error_message = "Secret ids are lower-case kebab-case (a secret `x-y` is read as X_Y locally)."
  }
  validation {
    condition     = length(setintersection(toset(var.secret_ids), toset(["database-url", "redis-url"]))) == 0
    error_message = "database-url and redis-url are created by the module itself."
  }
}

variable "firestore_location" {
  description = "Firestore location (multi-region eur3 keeps data in the EU with 99.999 % availability)."
  type        = string
  default     = "eur3"
}

variable "sql_backup_location" {
  description = "Where Cloud SQL keeps its backups (a multi-region survives the loss of the region)."
  type        = string
  default     = "eu"
}

variable "sql_disk_autoresize_limit_gb" {
  description = "Ceiling of Cloud SQL's automatic storage growth (0 = no ceiling)."
  type        = number
  default     = 500
}

variable "run_subnet_cidr" {
  description = "Subnet of Cloud Run's Direct VPC egress: two addresses per instance, doubled during a rollout (sizing.tf checks it)."
  type        = string
  default     = "10.8.0.0/21"
}

variable "alert_emails" {
  description = "Where alerts are sent (the strategy's alerts@ address)."
  type        = list(string)
  default     = ["alerts@013a.tech"]
}

variable "deletion_protection" {
  description = "Protect Cloud Run services and Cloud SQL from `terraform destroy`."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels on every resource that takes them."
  type        = map(string)
  default     = { system = "aia", managed-by = "terraform" }
}

variable "billing_account" {
  description = "Billing account id (XXXXXX-XXXXXX-XXXXXX) that pays for the project: the monthly budget is set on it. Empty: no budget (not for production)."
  type        = string
  default     = ""
}

variable "monthly_budget" {
  description = "The month's budget in budget_currency (docs/capacity.md: the 100k-user month with headroom)."
  type        = number
  default     = 3000
}

variable "budget_currency" {
  description = "Currency of the billing account."
  type        = string
  default     = "EUR"
}

variable "firestore_export_retention_days" {
  description = "Days a Firestore export stays in the restore bucket (the product plan keeps the database's backups 30 days)."
  type        = number
  default     = 30
  validation {
    condition     = var.firestore_export_retention_days >= 1
    error_message = "Keep an export at least a day."
  }
}

variable "restore_operators" {
  description = "Who runs a restore (docs/runbooks/restore.md): IAM members such as group:aia-operators@013a.tech, given Firestore export/import and read access to the restore bucket."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for m in var.restore_operators : can(regex("^(user|group|serviceAccount):", m))])
    error_message = "Each operator is an IAM member: user:, group: or serviceAccount:."
  }
}
