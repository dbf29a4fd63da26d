/**
 * Findings the design accepts, as conditions over the settings: each exception names the rules,
 * the resources (construct paths inside the stack) and when it applies. For any valid
 * configuration the policy tests and npm run scan expect exactly these findings: one not covered
 * fails, and so does an exception whose finding no longer occurs.
 */
import {
  isAwsManagedPolicy,
  isWildcardResource,
  managedPolicyAttachmentId,
} from "../../constructs/model/iam";
import { oneOffTaskDefinitionId } from "../../constructs/model/fargate-service";
import { REGISTRY_STACK_NAME } from "../../stacks/config/settings";
import type { EnvironmentSettings, ProjectSettings, RegistrySettings } from "../../stacks/config/settings";
import { findingKey } from "./findings";

/** What an exception's condition sees: the stack's own settings. */
export type StackSettings =
  | { readonly kind: "registry"; readonly settings: RegistrySettings }
  | { readonly kind: "environment"; readonly settings: EnvironmentSettings };

export interface PolicyException {
  readonly rules: readonly string[];
  /** The condition in words, for the catalog document: "edge.waf is off". */
  readonly condition: string;
  /** Resources (construct paths) the exception covers in a stack, or [] where it does not apply. */
  readonly resources: (stack: StackSettings) => readonly string[];
  /** Why the finding is accepted; literally true of the output. */
  readonly why: string;
}

/** An exception for environment stacks only, for the listed resources while `when` holds. */
function inEnvironments(
  when: (env: EnvironmentSettings) => boolean,
  resources: (env: EnvironmentSettings) => readonly string[],
): PolicyException["resources"] {
  return (stack) => (stack.kind === "environment" && when(stack.settings) ? resources(stack.settings) : []);
}

const always = () => true;
const LOAD_BALANCER = "load_balancer/load_balancer";
const DATABASE = "database/instance";
const CACHE = "cache/replication_group";

/** The task definitions of service.oneOffTasks (they share the service's container settings). */
const oneOffTaskDefinitions = (env: EnvironmentSettings) =>
  Object.keys(env.service.oneOffTasks).map((name) => `service/${oneOffTaskDefinitionId(name)}`);

/** A database exception while the database exists and `when` holds. */
const whileDatabase = (when: (db: EnvironmentSettings["database"]) => boolean) =>
  inEnvironments(
    (env) => env.database.enabled && when(env.database),
    () => [DATABASE],
  );

export const POLICY_EXCEPTIONS: readonly PolicyException[] = [
  {
    rules: ["CKV_AWS_260"],
    condition: "edge.httpRedirect is on",
    resources: inEnvironments(
      (env) => env.edge.httpRedirect,
      () => ["security_groups/internet_to_alb_http_ingress"],
    ),
    why: "Port 80 stays open only to answer with a 301 to HTTPS (CKV_AWS_2 and CKV2_AWS_20 pass). edge.httpRedirect=false closes it.",
  },
  {
    rules: ["AwsSolutions-EC23"],
    condition: "always (the HTTP and IPv6 rules while edge.httpRedirect and edge.ipv6 are on)",
    resources: inEnvironments(always, (env) => [
      "security_groups/internet_to_alb_https_ingress",
      ...(env.edge.ipv6 ? ["security_groups/internet_to_alb_https_ipv6_ingress"] : []),
      ...(env.edge.httpRedirect ? ["security_groups/internet_to_alb_http_ingress"] : []),
      ...(env.edge.httpRedirect && env.edge.ipv6
        ? ["security_groups/internet_to_alb_http_ipv6_ingress"]
        : []),
    ]),
    why: "A public API: the load balancer accepts the internet on 443, and on 80 only to redirect. No other group is reachable from outside.",
  },
  {
    rules: ["AWS-0053"],
    condition: "always",
    resources: inEnvironments(always, () => [LOAD_BALANCER]),
    why: "The load balancer is internet-facing by design; the tasks behind it are private and have no public IP.",
  },
  {
    rules: ["AWS-0104"],
    condition: 'network.appInternetEgress includes "0.0.0.0/0" (any HTTPS)',
    resources: inEnvironments(
      (env) => env.network.appInternetEgress.includes("0.0.0.0/0"),
      () => ["security_groups/app_to_internet_https_egress"],
    ),
    why: "An explicit choice in the configuration: tasks reach ECR, CloudWatch Logs and Secrets Manager through NAT on tcp/443 only, and AWS publishes no fixed addresses for them. List CIDRs or prefix lists in network.appInternetEgress instead (with the interface endpoints the tasks then need, about $7-8 per endpoint per AZ per month) to remove this rule.",
  },
  {
    rules: ["CKV2_AWS_28"],
    condition: "edge.waf is off (a prod invariant keeps it on in prod)",
    resources: inEnvironments(
      (env) => !env.edge.waf,
      () => [LOAD_BALANCER],
    ),
    why: "No WAF in front of this load balancer (about $5 per web ACL, $1 per rule group and $0.60 per million requests each month). edge.waf=true attaches AWS managed rule groups, KnownBadInputs included.",
  },
  {
    rules: ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"],
    condition: "always",
    resources: (stack) =>
      stack.kind === "registry"
        ? ["ecr_key/policy"]
        : [
            "logs_key/policy",
            "audit_logs_key/policy",
            "secrets_key/policy",
            ...(stack.settings.service.enableExecuteCommand ? ["exec_key/policy"] : []),
            ...(stack.settings.alarms.enabled ? ["notifications_key/policy"] : []),
            ...(stack.settings.database.enabled || stack.settings.cache.enabled ? ["data_key/policy"] : []),
          ],
    why: 'KMS key policies, not IAM identity policies: Resource "*" means the key itself. The account-root statement (kms:*) is AWS\'s default key policy: it hands access control to IAM, so any principal of the account whose IAM policy allows a kms action on the key may use it, directly or through a service; without it the key can become unmanageable. The ViaService statements name the intended path (ECR, Secrets Manager and SSM, RDS and ElastiCache) and narrow nothing beyond that.',
  },
  {
    rules: ["CKV_AWS_150"],
    condition: "edge.deletionProtection is off (a prod invariant keeps it on in prod)",
    resources: inEnvironments(
      (env) => !env.edge.deletionProtection,
      () => [LOAD_BALANCER],
    ),
    why: "Throw-away environments: deletion protection would block terraform destroy. prod has it, enforced by a prod invariant.",
  },
  {
    rules: ["CKV_AWS_91", "AwsSolutions-ELB2"],
    condition: "edge.accessLogs is off (a prod invariant keeps it on in prod)",
    resources: inEnvironments(
      (env) => !env.edge.accessLogs,
      () => [LOAD_BALANCER],
    ),
    why: "No access logs for this load balancer, so no log bucket to pay for; edge.accessLogs=true turns them on. prod keeps them, enforced by a prod invariant.",
  },
  {
    rules: ["CKV_AWS_338"],
    condition:
      "a log group keeps its logs less than a year (network.flowLogRetentionDays, service.logRetentionDays, which the database's log groups keep too)",
    resources: inEnvironments(always, (env) => [
      ...(env.network.flowLogRetentionDays < 365 ? ["network/flow_log_group"] : []),
      ...(env.service.logRetentionDays < 365 ? ["service/log_group"] : []),
      ...(env.service.logRetentionDays < 365 && env.edge.waf ? ["waf/log_group"] : []),
      ...(env.service.logRetentionDays < 365 && env.service.enableExecuteCommand
        ? ["service/exec_log_group"]
        : []),
      ...(env.service.logRetentionDays < 365 && env.database.enabled
        ? ["database/postgresql_log_group", "database/upgrade_log_group"]
        : []),
    ]),
    why: "Shorter retention outside prod to save cost; prod keeps a year, enforced by a prod invariant.",
  },
  {
    rules: ["CKV_AWS_145", "CKV_AWS_18", "AWS-0089", "CKV_AWS_144", "CKV2_AWS_62"],
    condition: "edge.accessLogs is on",
    resources: inEnvironments(
      (env) => env.edge.accessLogs,
      () => ["access_logs/bucket"],
    ),
    why: "The ALB access-log bucket: ELB log delivery supports SSE-S3 only (no KMS key), and access-logging, replicating or sending notifications for the log bucket itself would need more buckets for no gain. It blocks public access, denies plain HTTP and is versioned: logs expire after edge.accessLogRetentionDays, and overwritten or deleted versions after edge.accessLogNoncurrentVersionDays (a year in prod). Only with edge.accessLogObjectLockDays above 0 is each log version also write-once (Object Lock, governance mode) for that long; otherwise a principal allowed s3:DeleteObjectVersion on the bucket can remove logs before they expire.",
  },
  {
    rules: ["AWS-0132"],
    condition: "edge.accessLogs is on",
    resources: inEnvironments(
      (env) => env.edge.accessLogs,
      () => ["access_logs/encryption"],
    ),
    why: "ELB log delivery writes only to buckets encrypted with SSE-S3 (AES256), so the access-log bucket cannot name a customer-managed key.",
  },
  {
    rules: ["AWS-0057"],
    condition:
      "always for the log-stream patterns (and the ECS Exec policy while service.enableExecuteCommand is on); for the application's policy while service.taskRoleStatements use a wildcard",
    resources: inEnvironments(always, (env) => [
      "network/flow_log_policy",
      "service/execution_policy",
      ...(env.database.enabled && Object.keys(env.service.oneOffTasks).length > 0
        ? ["service/one_off_execution_policy"]
        : []),
      ...(env.service.enableExecuteCommand ? ["service/task_exec_policy"] : []),
      ...(env.database.enabled && env.database.enhancedMonitoringSeconds > 0
        ? ["database/monitoring_policy_document"]
        : []),
      ...(env.service.taskRoleStatements.some(
        (st) => st.actions.some((a) => a.includes("*")) || st.resources.some((r) => isWildcardResource(r)),
      )
        ? ["service/task_application_policy"]
        : []),
    ]),
    why: 'The project\'s only wildcards are the log streams of one log group (flow logs, container logs, ECS Exec sessions: `<log group ARN>:*`; the RDSOSMetrics group of RDS enhanced monitoring: `:log-stream:*`): stream names carry the task or instance ID, unknown until it starts. Actions are listed one by one; `Resource: "*"` appears only for actions IAM cannot scope (ecr:GetAuthorizationToken, the Session Manager channels). The application\'s policy holds what its team wrote in service.taskRoleStatements; service-wide actions and Resource "*" there are refused at synth unless service.taskRoleBroadAccessAcknowledged is on (and then the broad-access checks report them). S3 object patterns (arn:aws:s3:::bucket/*) do not count.',
  },
  {
    rules: ["CKV_AWS_336", "ECS.5"],
    condition: "service.enableExecuteCommand is on (prod only with service.executeCommandBreakGlass)",
    resources: inEnvironments(
      (env) => env.service.enableExecuteCommand,
      (env) => ["service/task_definition", ...oneOffTaskDefinitions(env)],
    ),
    why: "ECS Exec does not work with a read-only root filesystem (its agent writes inside the container), so the container's root filesystem is writable while ECS Exec is on, and read-only again when it is turned off.",
  },
  {
    rules: ["AwsSolutions-IAM4"],
    condition: "service.taskRoleManagedPolicyArns lists AWS-managed policies",
    resources: inEnvironments(always, (env) =>
      env.service.taskRoleManagedPolicyArns
        .filter((arn) => isAwsManagedPolicy(arn))
        .map((arn) => `service/${managedPolicyAttachmentId(arn)}`),
    ),
    why: "The team chose an AWS-managed policy for its application's task role; AWS may widen it without notice. Only the task role gets it; the project's own roles use inline policies.",
  },

  {
    rules: ["PROJECT-SERVICE-ALARMS"],
    condition: "alarms.enabled is off (a prod invariant keeps it on in prod)",
    resources: inEnvironments(
      (env) => !env.alarms.enabled,
      () => ["service/service"],
    ),
    why: "A throw-away environment nobody is paged for (the dev preset): no alarms and no topic, only the dashboard. alarms.enabled=true turns them on.",
  },
  {
    rules: ["AwsSolutions-ECS2"],
    condition: "always",
    resources: inEnvironments(always, (env) => ["service/task_definition", ...oneOffTaskDefinitions(env)]),
    why: "Plain, non-secret settings (such as LOG_LEVEL) go in environment; with none, the key stays as an empty list because ECS returns one and leaving it out would show a change on every plan. Secret-looking names and values are refused at synth and secrets come from Secrets Manager or SSM (AWS-0036 passes).",
  },
  {
    rules: ["PROJECT-ECR-RELEASE-TAGS"],
    condition: "registry.protectedTagPatterns is []",
    resources: (stack) =>
      stack.kind === "registry" && stack.settings.protectedTagPatterns.length === 0
        ? ["registry/repository"]
        : [],
    why: "With no protected tag patterns, every tagged image counts towards registry.taggedImagesToKeep, so an image a running environment still uses can expire once that many newer ones are pushed.",
  },
  {
    rules: ["PROJECT-ALB-HSTS"],
    condition: "edge.hstsMaxAgeSeconds is below a year (0 sends no header)",
    resources: inEnvironments(
      (env) => env.edge.hstsMaxAgeSeconds < 31536000,
      () => ["load_balancer/https_listener"],
    ),
    why: "A shorter Strict-Transport-Security max-age (or none) lets a browser fall back to plain HTTP sooner, for example while a domain moves; the default is a year.",
  },
  {
    rules: ["PROJECT-ALB-HOST-404"],
    condition: "edge.domainName is unset (an existing certificate without a name to match)",
    resources: inEnvironments(
      (env) => env.edge.domainName === undefined,
      () => ["load_balancer/https_listener"],
    ),
    why: "Without edge.domainName the stack does not know which Host names the certificate serves, so the listener forwards every request to the service.",
  },
  {
    rules: ["CKV_AWS_378"],
    condition: "edge.domainName is set (the target group hangs off the HTTPS listener's Host rules)",
    resources: inEnvironments(
      (env) => env.edge.domainName !== undefined,
      () => ["load_balancer/target_group"],
    ),
    why: "TLS ends at the load balancer: the tasks, in private subnets and reachable only from the ALB's security group, speak HTTP. checkov accepts that only when a non-HTTP listener forwards to the target group as its default action; here the HTTPS listener's default is the fixed 404 and its Host rules forward.",
  },
  {
    rules: ["CKV_AWS_157", "AwsSolutions-RDS3"],
    condition: "database.multiAz is off (a prod invariant keeps it on in prod)",
    resources: whileDatabase((db) => !db.multiAz),
    why: "A single-AZ database outside prod halves its cost; an AZ failure then takes it down until RDS recovers it, and an instance-class change restarts it.",
  },
  {
    rules: ["CKV_AWS_293", "AWS-0177", "AwsSolutions-RDS10"],
    condition: "database.deletionProtection is off (a prod invariant keeps it on in prod)",
    resources: whileDatabase((db) => !db.deletionProtection),
    why: "Environments that are torn down and rebuilt (dev, review) must be destroyable by terraform destroy; prod's database refuses deletion until the documented break-glass step turns protection off.",
  },
  {
    rules: ["PROJECT-RDS-FINAL-SNAPSHOT"],
    condition: "database.finalSnapshot is off (the dev preset; a prod invariant keeps it on in prod)",
    resources: whileDatabase((db) => !db.finalSnapshot),
    why: "A destroyed dev database holds nothing worth keeping, and a fixed final-snapshot name would make the next destroy of a rebuilt environment fail while the old snapshot exists.",
  },
  {
    rules: ["CKV_AWS_118"],
    condition: "database.enhancedMonitoringSeconds is 0 (the dev preset)",
    resources: whileDatabase((db) => db.enhancedMonitoringSeconds === 0),
    why: "Enhanced monitoring's OS metrics cost CloudWatch Logs ingestion; outside prod the standard CloudWatch metrics (CPU, memory, storage, connections, which the alarms watch) are enough.",
  },
  {
    rules: ["CKV_AWS_353", "AWS-0133"],
    condition: "database.performanceInsights is off (the dev preset)",
    resources: whileDatabase((db) => !db.performanceInsights),
    why: "The dev preset's smallest instance classes are where Performance Insights is least useful (and, for some classes, not offered); turn it on with database.performanceInsights.",
  },
  {
    rules: ["AwsSolutions-RDS11"],
    condition: "always while the database exists",
    resources: whileDatabase(always),
    why: "PostgreSQL listens on its standard port 5432. Another port hides nothing from anyone inside the VPC: the database is in subnets with no route out and its security group admits 5432 from the service's group only.",
  },
  {
    rules: ["CKV2_AWS_50"],
    condition: "cache.nodeCount is 1 (a prod invariant requires 2 or more in prod)",
    resources: inEnvironments(
      (env) => env.cache.enabled && env.cache.nodeCount < 2,
      () => [CACHE],
    ),
    why: "A single cache node outside prod halves its cost; when it fails, ElastiCache replaces it and the cache starts empty.",
  },
];

/** The settings of a synthesized stack, by stack name. */
export function stackSettings(project: ProjectSettings, stack: string): StackSettings {
  if (stack === REGISTRY_STACK_NAME) return { kind: "registry", settings: project.registry };
  const settings = project.environments.find((e) => e.name === stack);
  if (settings === undefined) throw new Error(`no settings for the stack ${stack}`);
  return { kind: "environment", settings };
}

/** `rule | stack | resource` for every finding the exceptions accept in these stacks. */
export function acceptedFindings(
  project: ProjectSettings,
  stacks: readonly string[],
  ids?: readonly string[],
): string[] {
  return stacks
    .flatMap((stack) =>
      POLICY_EXCEPTIONS.flatMap((e) =>
        e.rules
          .filter((rule) => ids === undefined || ids.includes(rule))
          .flatMap((rule) =>
            e.resources(stackSettings(project, stack)).map((resource) => findingKey(rule, stack, resource)),
          ),
      ),
    )
    .sort();
}
