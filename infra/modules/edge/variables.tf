variable "project_id" {
  description = "The Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run services behind the load balancer."
  type        = string
}

variable "primary_domain" {
  description = "The apex domain, in the Cloudflare zone var.cloudflare_zone_id."
  type        = string
  default     = "013a.tech"
}

variable "hosts" {
  description = "Host label (\"@\" = apex) -> the public Cloud Run service that answers it."
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

variable "public_services" {
  description = "Names of the public HTTP Cloud Run services (platform module output)."
  type        = list(string)

  validation {
    condition     = length(var.public_services) > 0
    error_message = "At least one public HTTP function is needed behind the load balancer."
  }
}

variable "refused_paths" {
  description = "Path prefixes the edge answers 404 on every host: probes, metrics, private functions' paths (platform output edge_refused_paths). Cloud Run's probes and the metrics sidecar reach the container directly."
  type        = list(string)

  validation {
    # They become one RE2 alternation in a Cloud Armor expression: keep them plain.
    condition     = length(var.refused_paths) > 0 && alltrue([for p in var.refused_paths : can(regex("^/[a-z0-9][a-z0-9/_-]*$", p))])
    error_message = "Each refused path is /lower-case-path (a-z, 0-9, /, _, -)."
  }
}

variable "candidate_tag" {
  description = "Cloud Run revision tag that Cloud Build gives each new revision before traffic moves to it."
  type        = string
  default     = "candidate"
}

variable "cloudflare_zone_id" {
  description = "Zone id of var.primary_domain in Cloudflare (dashboard, zone overview)."
  type        = string
}

variable "labels" {
  description = "Labels on every resource that takes them."
  type        = map(string)
  default     = { system = "aia", managed-by = "terraform" }
}
