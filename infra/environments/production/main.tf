# Production: the whole platform in one project, driven by the wiring manifest.
# `terraform -chdir=infra/environments/production plan -var-file=production.tfvars`

locals {
  repo_root = abspath("${path.module}/../../..")
}

module "platform" {
  source = "../../modules/platform"

  project_id             = var.project_id
  region                 = var.region
  environment            = "production"
  primary_domain         = var.primary_domain
  manifest_path          = "${local.repo_root}/shared/wiring/manifest.yaml"
  repo_root              = local.repo_root
  prometheus_rules_path  = "${local.repo_root}/infra/monitoring/prometheus/alerts.yml"
  firestore_indexes_path = "${local.repo_root}/infra/firestore-indexes.yaml"
  image                  = var.image
  secret_ids             = var.secret_ids
  settings_env           = var.settings_env
  alert_emails           = var.alert_emails
  restore_operators      = var.restore_operators
  billing_account        = var.billing_account
}

module "edge" {
  source = "../../modules/edge"

  project_id         = var.project_id
  region             = var.region
  primary_domain     = var.primary_domain
  public_services    = module.platform.public_functions
  refused_paths      = module.platform.edge_refused_paths
  cloudflare_zone_id = var.cloudflare_zone_id
  hosts              = var.hosts
  start_paths        = var.start_paths

  depends_on = [module.platform]
}
