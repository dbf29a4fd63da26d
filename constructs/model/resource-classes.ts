/**
 * What a resource is to the running environment, by Terraform type. Day-two checks (the address
 * baseline, the change-safety run) decide what an action may do to a resource from this alone:
 * - stateful: holds data or identity that a new copy does not have (the database, the cache,
 *   buckets, log groups, keys, secrets, the repository, topics with confirmed subscriptions,
 *   queues). Never replaced or deleted by a routine edit.
 * - serving: on the path of a request (load balancer, listeners, rules, target groups, the
 *   service and its cluster, DNS records, the certificate, the network and its groups, the
 *   Service Connect namespace). May be replaced only create-before-destroy.
 * - other: everything else (policies, alarms, task definitions, rules of a group, ...).
 */
export type ResourceClass = "stateful" | "serving" | "other";

const STATEFUL = new Set([
  "aws_cloudwatch_log_group",
  "aws_db_instance",
  "aws_ecr_repository",
  "aws_elasticache_replication_group",
  "aws_kms_key",
  "aws_s3_bucket",
  "aws_secretsmanager_secret",
  "aws_sns_topic",
  "aws_sqs_queue",
]);

const SERVING = new Set([
  "aws_acm_certificate",
  "aws_ecs_cluster",
  "aws_ecs_service",
  "aws_eip",
  "aws_internet_gateway",
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_lb_target_group",
  "aws_nat_gateway",
  "aws_route",
  "aws_route53_record",
  "aws_route_table",
  "aws_scheduler_schedule",
  "aws_security_group",
  "aws_service_discovery_http_namespace",
  "aws_subnet",
  "aws_vpc",
  "aws_vpc_endpoint",
  "aws_wafv2_web_acl",
]);

export function resourceClass(type: string): ResourceClass {
  if (STATEFUL.has(type)) return "stateful";
  if (SERVING.has(type)) return "serving";
  return "other";
}

/**
 * A resource's class by its address: as its type's, except the records that prove a domain to ACM
 * (`..._validation_record_...`), which carry no request: when a name is added to the certificate,
 * Terraform replaces them destroy-first, and must (the new record has the same name, so creating
 * it first and then deleting the old one would delete it).
 */
export function addressClass(address: string): ResourceClass {
  const type = typeOfAddress(address);
  if (type === "aws_route53_record" && /\.[^.]*validation_record/.test(address)) return "other";
  return resourceClass(type);
}

/** The type of a resource address such as `aws_lb.edge_load_balancer_1A2B3C` or `aws_x.y["key"]`. */
export function typeOfAddress(address: string): string {
  return address.split(".")[0] ?? address;
}

/** Resource addresses (type.name) of a synthesized stack's Terraform JSON. */
export function resourceAddresses(json: { resource?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** The `moved` blocks of a synthesized stack, from → to. */
export function movedBlocks(json: {
  moved?: ReadonlyArray<{ from: string; to: string }>;
}): Map<string, string> {
  return new Map((json.moved ?? []).map((m) => [m.from, m.to]));
}
