# Sizes that follow from the manifest (docs/capacity.md, docs/decisions/0034). The checks
# below fail `terraform plan` when a manifest change outgrows them; tests/infra/test_sizing.py
# asserts the same sums in Python.

locals {
  # Connections one instance keeps to PostgreSQL (AIA_SQL_POOL_SIZE; no overflow).
  sql_pool_size = 5
  # Set explicitly (database_flags in data.tf), not left to the tier's default.
  sql_max_connections = 1000
  # Kept free for superusers, the migrations job, operators and Cloud SQL's own agents.
  sql_reserved_connections = 50

  sql_instances_max   = sum(concat([0], [for f in local.functions : f.service.max_instances if contains(f.uses, "sql")]))
  vpc_instances_max   = sum(concat([0], [for f in local.functions : f.service.max_instances if f.vpc_egress]))
  run_subnet_capacity = pow(2, 32 - tonumber(split("/", var.run_subnet_cidr)[1])) - 4 # GCP reserves four
}

check "sql_connections_fit" {
  assert {
    condition     = local.sql_pool_size * local.sql_instances_max <= local.sql_max_connections - local.sql_reserved_connections
    error_message = "SQL pool x max SQL-using instances exceeds max_connections: raise the flag (and the tier) or lower max_instances."
  }
}

check "run_subnet_fits" {
  assert {
    # two addresses per instance, twice over while a rollout runs old and new revisions
    condition     = 2 * 2 * local.vpc_instances_max <= local.run_subnet_capacity
    error_message = "The Direct VPC egress subnet is too small for the functions' max instances."
  }
}
