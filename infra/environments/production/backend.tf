# State lives in a GCS bucket created once by hand (docs/deploy.md, "Manual steps");
# `terraform init -backend-config="bucket=<project>-tfstate"` names it.
terraform {
  backend "gcs" {
    prefix = "aia/production"
  }
}
