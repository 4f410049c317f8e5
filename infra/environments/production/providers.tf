provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

# Reads CLOUDFLARE_API_TOKEN from the environment (Cloud Build: the cloudflare-api-token
# secret). The token needs Zone:DNS:Edit and Zone:Zone Settings:Edit on the zone.
provider "cloudflare" {}
