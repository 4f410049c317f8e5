# Least privilege for each function's runtime identity, derived from its manifest `uses`.
# Only additive `_iam_member` grants, on the narrowest resource that supports IAM.
#
#   documents -> roles/datastore.user                (project: Firestore has no finer IAM)
#   sql       -> roles/cloudsql.client               (project: connects over private IP)
#   secrets   -> roles/secretmanager.secretAccessor  on each secret its manifest `secrets` names
#   tasks     -> roles/cloudtasks.enqueuer           on each queue, and actAs the tasks invoker
#   events    -> roles/pubsub.publisher              on each topic its manifest `emits` names
#   workflows -> roles/workflows.invoker             (project: Workflows has no resource IAM)
# Every function also writes logs, metrics and traces.

locals {
  project_role_grants = merge(
    { for fn, f in local.functions : "${fn}/roles/logging.logWriter" => { function = fn, role = "roles/logging.logWriter" } },
    { for fn, f in local.functions : "${fn}/roles/monitoring.metricWriter" => { function = fn, role = "roles/monitoring.metricWriter" } },
    { for fn, f in local.functions : "${fn}/roles/cloudtrace.agent" => { function = fn, role = "roles/cloudtrace.agent" } },
    { for fn, f in local.functions : "${fn}/roles/datastore.user" => { function = fn, role = "roles/datastore.user" } if contains(f.uses, "documents") },
    { for fn, f in local.functions : "${fn}/roles/cloudsql.client" => { function = fn, role = "roles/cloudsql.client" } if contains(f.uses, "sql") },
    { for fn, f in local.functions : "${fn}/roles/workflows.invoker" => { function = fn, role = "roles/workflows.invoker" } if contains(f.uses, "workflows") },
  )

  # The application secrets each function's manifest `secrets` names (never project-wide,
  # never all of var.secret_ids); the settings secrets mounted as env (run.tf) for the
  # functions that mount them.
  secret_grants = merge(
    merge([
      for fn, f in local.functions : { for s in f.secrets : "${fn}/${s}" => { function = fn, secret = s } }
    ]...),
    { for fn, f in local.functions : "${fn}/database-url" => { function = fn, secret = "database-url" } if contains(f.uses, "sql") },
    { for fn, f in local.functions : "${fn}/redis-url" => { function = fn, secret = "redis-url" } if f.public },
  )
}

resource "google_project_iam_member" "function" {
  for_each = local.project_role_grants

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_secret_manager_secret_iam_member" "runtime_env" {
  for_each = local.secret_grants

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publisher_grants

  topic  = google_pubsub_topic.topic[each.value.topic].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# consume() forwards a message that can never succeed to the dead-letter topic itself.
resource "google_pubsub_topic_iam_member" "dead_letter_forwarder" {
  for_each = local.dead_lettered_functions

  topic  = google_pubsub_topic.topic[local.dead_letter_topic].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = local.enqueuer_grants

  name     = google_cloud_tasks_queue.queue[each.value.queue].name
  location = var.region
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# Creating a task that carries the tasks invoker's OIDC token requires actAs on it.
resource "google_service_account_iam_member" "tasks_invoker_user" {
  for_each = { for fn, f in local.functions : fn => f if contains(f.uses, "tasks") }

  service_account_id = google_service_account.tasks_invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.function[each.key].email}"
}
