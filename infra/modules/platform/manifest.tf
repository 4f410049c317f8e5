# The wiring manifest (shared/wiring/manifest.yaml) drives every per-function resource of
# this module. These locals turn its lists into maps keyed by name, with the defaults of
# shared/wiring/manifest.py filled in, so each resource is a plain `for_each` over one of
# them. tests/infra/test_manifest_driven.py re-computes the same keys and defaults from
# the manifest in Python: keep these expressions simple enough for that.

locals {
  manifest = yamldecode(file(var.manifest_path))

  # Field defaults of the pydantic models in shared/wiring/manifest.py (Service,
  # TopicTrigger, RetryPolicy, Queue). A test compares them with the models.
  manifest_defaults = {
    service = {
      min_instances   = 0
      max_instances   = 10
      concurrency     = 80
      cpu             = "1"
      memory          = "512Mi"
      timeout_seconds = 60
    }
    pubsub = {
      max_delivery_attempts = 5
      ordering              = false
      ack_deadline_seconds  = 60
    }
    retry = {
      minimum_backoff_seconds = 10
      maximum_backoff_seconds = 600
    }
    queue = {
      max_dispatches_per_second = 10
      max_concurrent_dispatches = 10
      max_attempts              = 5
    }
    queue_retry = {
      minimum_backoff_seconds = 1
      maximum_backoff_seconds = 300
    }
    schedule = {
      time_zone = "Etc/UTC"
    }
  }

  # --- topics ---------------------------------------------------------------------------
  topics = { for t in local.manifest.topics : t.name => {
    name        = t.name
    description = t.description
    events      = try(t.events, [])
    dead_letter = try(t.dead_letter, false)
  } }
  dead_letter_topic = one([for t in local.manifest.topics : t.name if try(t.dead_letter, false)])
  event_topics      = { for name, t in local.topics : name => t if !t.dead_letter }
  # Event type -> the topic that carries it (each type is on exactly one topic).
  topic_of_event = merge([for t in local.manifest.topics : { for e in try(t.events, []) : e => t.name }]...)

  # --- functions --------------------------------------------------------------------------
  functions = { for f in local.manifest.functions : f.name => {
    name        = f.name
    target      = f.target
    description = f.description
    kind        = try(f.http, null) != null ? "http" : "pubsub"
    public      = try(f.http.public, false)
    health      = contains(try(f.http.routes, []), "/health")
    metrics     = contains(try(f.http.routes, []), "/metrics")
    uses        = toset(try(f.uses, []))
    secrets     = toset(try(f.secrets, []))
    emits       = toset(try(f.emits, []))
    service     = merge(local.manifest_defaults.service, try(f.service, {}))
    # Direct VPC egress only where a private-IP data store is reached: Cloud SQL (`sql`)
    # and Memorystore (the public functions' rate limiter). Two subnet addresses each.
    vpc_egress = contains(try(f.uses, []), "sql") || try(f.http.public, false)
    # Service account ids are 6-30 characters: long names keep a readable prefix and a
    # hash suffix so that two long names never collide.
    account_id = length(f.name) <= 27 ? "fn-${f.name}" : "fn-${substr(f.name, 0, 20)}-${substr(md5(f.name), 0, 6)}"
    push_id    = length(f.name) <= 27 ? "ps-${f.name}" : "ps-${substr(f.name, 0, 20)}-${substr(md5(f.name), 0, 6)}"
  } }
  http_functions   = { for name, f in local.functions : name => f if f.kind == "http" }
  public_functions = { for name, f in local.functions : name => f if f.public }
  # Manifest.edge_refused_paths(), which the edge answers 404 on every host: a public
  # function's container-only routes (probes, scrapes), a private function's whole path.
  edge_refused_paths = sort(distinct(flatten([
    for f in local.manifest.functions : try(f.http.public, false) ? try(f.http.container_only, []) : [f.http.local_path]
    if try(f.http, null) != null
  ])))

  event_functions = { for f in local.manifest.functions : f.name => {
    name                  = f.name
    subscription          = "${f.name}-sub"
    topic                 = f.pubsub.topic
    dead_letters          = f.pubsub.topic != local.dead_letter_topic
    max_delivery_attempts = try(f.pubsub.max_delivery_attempts, local.manifest_defaults.pubsub.max_delivery_attempts)
    ordering              = try(f.pubsub.ordering, local.manifest_defaults.pubsub.ordering)
    # Pub/Sub waits this long for the push response: never shorter than the function may
    # run, or a slow delivery is redelivered while it is still being handled.
    ack_deadline_seconds = min(600, max(
      try(f.pubsub.ack_deadline_seconds, local.manifest_defaults.pubsub.ack_deadline_seconds),
      try(f.service.timeout_seconds, local.manifest_defaults.service.timeout_seconds),
    ))
    retry = merge(local.manifest_defaults.retry, try(f.pubsub.retry, {}))
  } if try(f.pubsub, null) != null }

  # --- schedules, queues, workflows --------------------------------------------------------
  schedules = { for s in try(local.manifest.schedules, []) : s.name => {
    name        = s.name
    description = s.description
    cron        = s.cron
    time_zone   = try(s.time_zone, local.manifest_defaults.schedule.time_zone)
    event       = s.event
    topic       = local.topic_of_event[s.event]
    data        = try(s.data, {})
  } }

  queues = { for q in try(local.manifest.queues, []) : q.name => {
    name                      = q.name
    description               = q.description
    function                  = q.function
    max_dispatches_per_second = try(q.max_dispatches_per_second, local.manifest_defaults.queue.max_dispatches_per_second)
    max_concurrent_dispatches = try(q.max_concurrent_dispatches, local.manifest_defaults.queue.max_concurrent_dispatches)
    max_attempts              = try(q.max_attempts, local.manifest_defaults.queue.max_attempts)
    retry                     = merge(local.manifest_defaults.queue_retry, try(q.retry, {}))
  } }

  workflows = { for w in try(local.manifest.workflows, []) : w.name => {
    name        = w.name
    description = w.description
    calls       = toset(try(w.calls, []))
    source      = "${var.repo_root}/workflows/${w.name}.workflows.yaml"
    account_id  = length(w.name) <= 27 ? "wf-${w.name}" : "wf-${substr(w.name, 0, 20)}-${substr(md5(w.name), 0, 6)}"
  } }

  # --- derived grants (flattened pairs keyed "a/b" for for_each) -----------------------------
  # Each function may publish to the topics its manifest `emits` names, and no other.
  publisher_grants = merge([
    for fn, f in local.functions : { for topic in f.emits : "${fn}/${topic}" => { function = fn, topic = topic } }
  ]...)
  # Event functions forward poison messages to the dead-letter topic themselves.
  dead_lettered_functions = { for fn, e in local.event_functions : fn => e if e.dead_letters }
  # Functions that enqueue Cloud Tasks may enqueue on every queue.
  enqueuer_grants = merge([
    for fn, f in local.functions : { for q in keys(local.queues) : "${fn}/${q}" => { function = fn, queue = q } }
    if contains(f.uses, "tasks")
  ]...)
  # Each workflow may invoke the functions it calls, and nothing else.
  workflow_invoker_grants = merge([
    for wf, w in local.workflows : { for fn in w.calls : "${wf}/${fn}" => { workflow = wf, function = fn } }
  ]...)
  # Function URLs are deterministic (https://NAME-PROJECT_NUMBER.REGION.run.app), so a
  # service can know another's URL without a dependency cycle between services.
  function_urls = { for name in keys(local.functions) : name => "https://${name}-${data.google_project.this.number}.${var.region}.run.app" }
}
