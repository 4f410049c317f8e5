# Cloud Workflows: one per manifest workflow, its source read from
# workflows/<name>.workflows.yaml, run by its own identity that may invoke exactly the
# functions the manifest says it calls.
resource "google_service_account" "workflow" {
  for_each = local.workflows

  account_id   = each.value.account_id
  display_name = "AIA workflow ${each.key}"
  description  = "Runtime identity of the ${each.key} workflow."
}

resource "google_project_iam_member" "workflow_log_writer" {
  for_each = local.workflows

  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.workflow[each.key].email}"
}

resource "google_workflows_workflow" "workflow" {
  for_each = local.workflows

  name            = each.key
  region          = var.region
  description     = each.value.description
  service_account = google_service_account.workflow[each.key].id
  source_contents = file(each.value.source)
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = var.labels

  # Where the workflow finds the functions it calls (sys.get_env in its YAML).
  user_env_vars = merge(
    { AIA_FUNCTION_URLS = jsonencode({ for fn in each.value.calls : fn => local.function_urls[fn] }) },
    { for fn in each.value.calls : "FUNCTION_URL_${upper(replace(fn, "-", "_"))}" => local.function_urls[fn] },
  )

  depends_on = [google_project_service.api]
}
