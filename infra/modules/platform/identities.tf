# Two identities run a release, each with only what its part needs (docs/decisions/0034):
#
#   terraform  applies infra/ (creates services, identities, grants): the admin roles
#              below. Nobody runs as it: the deployer's terraform steps impersonate it
#              (GOOGLE_IMPERSONATE_SERVICE_ACCOUNT in cloudbuild.yaml).
#   deployer   the Cloud Build trigger's service account: builds and pushes the image,
#              deploys revisions by digest and moves traffic. It cannot change IAM,
#              networks or data stores itself.
#
# Both are created by the bootstrap apply (docs/deploy.md, "Manual steps") by an operator;
# from then on Terraform keeps their roles.

locals {
  terraform_roles = toset([
    "roles/artifactregistry.admin",
    "roles/certificatemanager.owner",
    "roles/cloudkms.admin",
    "roles/cloudscheduler.admin",
    "roles/cloudsql.admin",
    "roles/cloudtasks.admin",
    "roles/compute.loadBalancerAdmin",
    "roles/compute.networkAdmin",
    "roles/compute.securityAdmin",
    "roles/datastore.owner",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/logging.configWriter",
    "roles/monitoring.admin",
    "roles/pubsub.admin",
    "roles/redis.admin",
    "roles/resourcemanager.projectIamAdmin",
    "roles/run.admin",
    "roles/secretmanager.admin",
    "roles/servicenetworking.networksAdmin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/workflows.admin",
  ])
  # Deploying a revision and moving traffic (run.developer), reading the metrics the
  # rollback watch samples, writing the build's logs.
  deployer_roles = toset([
    "roles/run.developer",
    "roles/monitoring.viewer",
    "roles/logging.logWriter",
  ])
}

resource "google_service_account" "terraform" {
  account_id   = "terraform"
  display_name = "AIA Terraform"
  description  = "Applies infra/: impersonated by the deployer's terraform steps, never a build's own identity."
}

resource "google_service_account" "deployer" {
  account_id   = "deployer"
  display_name = "AIA deployer (Cloud Build)"
  description  = "The Cloud Build trigger's identity: builds, pushes and deploys revisions by digest."
}

resource "google_project_iam_member" "terraform" {
  for_each = local.terraform_roles
  #checkov:skip=CKV_GCP_41:Terraform creates every Cloud Run service as the function identity it also creates; nothing else holds actAs project-wide, and no build runs as this account
  #checkov:skip=CKV_GCP_49:creating the per-function identities (serviceAccountAdmin) and services that run as them (serviceAccountUser) is what this account is for; only the deployer's terraform steps can impersonate it

  project = var.project_id
  role    = each.key
  member  = "serviceAccount:${google_service_account.terraform.email}"
}

resource "google_project_iam_member" "deployer" {
  for_each = local.deployer_roles

  project = var.project_id
  role    = each.key
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

# The deployer runs the terraform steps as the terraform identity.
resource "google_service_account_iam_member" "deployer_impersonates_terraform" {
  service_account_id = google_service_account.terraform.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

# A revision runs as its function's identity: deploying one needs actAs on that one.
resource "google_service_account_iam_member" "deployer_acts_as_function" {
  for_each = local.functions

  service_account_id = google_service_account.function[each.key].name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_pushes" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

# Cloud Build hands the Cloudflare token to the terraform steps (availableSecrets): the
# deployer reads that one secret, which an operator creates (it is not Terraform's).
resource "google_secret_manager_secret_iam_member" "deployer_reads_cloudflare_token" {
  secret_id = "projects/${var.project_id}/secrets/cloudflare-api-token"
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.deployer.email}"
}
