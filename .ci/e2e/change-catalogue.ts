/**
 * The routine edits the change-safety run applies to deployed environments, one at a time and on
 * top of each other, through the override file as a user would. Each declares, per resource type,
 * the class its plan must show (every other resource: no-op); whatever an entry says, no edit may
 * delete or replace a stateful resource or destroy a serving one before its replacement serves
 * (plan-classes.ts).
 *
 * Edits that are not routine are here too, with what they must do instead (`notRoutine`): be
 * refused at synth or at plan with the reason, or (where they need a window) show in their plan
 * what makes them unsafe; they are planned against the real state and never applied. Renaming the
 * project or an environment is not: it starts a new state, so no plan against the deployed one
 * exists (help/day-two.md says what to do instead).
 */
import type { EnvironmentSettings } from "../../stacks/config/settings";
import { databaseIdentifier } from "../../constructs/model/data-tier";
import type { ChangeClass, Expected } from "./plan-classes";

/** What an edit that is not routine must do instead of applying cleanly. */
export type NotRoutine =
  /** Planned, not applied: the plan must contain these (what makes a window necessary). */
  | { readonly kind: "needs a window"; readonly includes: Readonly<Record<string, Expected>> }
  /** The docs' synth block fails, naming the field. */
  | { readonly kind: "refused at synth"; readonly message: RegExp }
  /** `terraform plan` fails (prevent_destroy), nothing changed. */
  | { readonly kind: "refused at plan"; readonly message: RegExp };

export interface CatalogueEdit {
  readonly name: string;
  /** The override-file section of the environment, given its settings before the edit; or the image tag. */
  readonly change: (
    env: EnvironmentSettings,
    made: { readonly secretArn: string },
  ) => { readonly overrides?: object; readonly newImage?: true };
  /** Only in environments where this holds (e.g. WAF is off, there is a database). */
  readonly when?: (env: EnvironmentSettings) => boolean;
  readonly expect: (env: EnvironmentSettings) => Readonly<Record<string, Expected>>;
  /** Where the edit is not routine in this environment: what it must do instead (never applied). */
  readonly notRoutine?: (env: EnvironmentSettings) => NotRoutine | undefined;
  /**
   * A change AWS makes by itself (not through the configuration), made on the emulator before
   * the plan, which then reads every resource back from the API: the emulator tool's arguments.
   */
  readonly byAws?: (env: EnvironmentSettings, namePrefix: string) => readonly string[];
}

/** A new task definition revision and a rolling deployment of the service. */
const ROLLOUT = (): Record<string, ChangeClass> => ({
  aws_ecs_task_definition: "replace-dtc",
  aws_ecs_service: "rolling",
});

/**
 * A policy whose document references a resource the edit updates: Terraform reads the document
 * again at apply, so the plan shows the policy "in place" (it comes out the same).
 */
const REREAD_POLICY: Record<string, Expected> = { aws_iam_role_policy: ["in-place", "no-op"] };

/**
 * A new revision of every task of the environment, the workloads' too: a job's schedule names the
 * revision it starts and its scheduler role may start only that one, so both change in place.
 */
const ROLLOUT_WITH_WORKLOADS = (): Record<string, Expected> => ({
  ...ROLLOUT(),
  aws_scheduler_schedule: ["in-place", "no-op"],
  aws_iam_role_policy: ["in-place", "no-op"],
});

const NEXT_RETENTION: Readonly<Record<number, number>> = { 14: 30, 30: 60, 90: 120, 365: 400, 400: 545 };
const nextRetention = (days: number) => NEXT_RETENTION[days] ?? 400;

export const CHANGE_CATALOGUE: readonly CatalogueEdit[] = [
  {
    name: "image tag (a new release)",
    change: () => ({ newImage: true }),
    expect: ROLLOUT_WITH_WORKLOADS,
  },
  {
    name: "cpu and memory",
    change: (env) => ({
      overrides: { service: { cpu: env.service.cpu * 2, memory: env.service.memory * 2 } },
    }),
    expect: ROLLOUT,
  },
  {
    name: "desired count (autoscaling owns it)",
    change: (env) => ({ overrides: { service: { desiredCount: env.service.desiredCount + 1 } } }),
    expect: () => ({}),
  },
  {
    name: "autoscaling min and max",
    change: (env) => ({
      overrides: {
        service: {
          autoscaling: {
            minCount: env.service.autoscaling.minCount + 1,
            maxCount: env.service.autoscaling.maxCount + 2,
          },
        },
      },
    }),
    expect: () => ({ aws_appautoscaling_target: "in-place" }),
  },
  {
    name: "autoscaling CPU target",
    change: (env) => ({
      overrides: {
        service: { autoscaling: { cpuTargetPercent: env.service.autoscaling.cpuTargetPercent + 10 } },
      },
    }),
    expect: () => ({ aws_appautoscaling_policy: "in-place" }),
  },
  {
    name: "capacity: Fargate Spot on or off",
    change: (env) => ({
      overrides: {
        service: {
          capacity:
            env.service.capacity.spotWeight > 0
              ? { fargateBase: 1, fargateWeight: 1, spotWeight: 0 }
              : { ...env.service.capacity, spotWeight: 1 },
        },
      },
    }),
    expect: () => ({ aws_ecs_service: "rolling", aws_ecs_cluster_capacity_providers: "in-place" }),
  },
  {
    name: "health-check path and timings",
    change: () => ({
      overrides: { service: { healthCheck: { path: "/healthz", intervalSeconds: 20, healthyThreshold: 3 } } },
    }),
    expect: () => ({ ...ROLLOUT(), aws_lb_target_group: "in-place" }),
  },
  {
    name: "deregistration delay",
    change: (env) => ({
      overrides: { edge: { deregistrationDelaySeconds: env.edge.deregistrationDelaySeconds - 10 } },
    }),
    expect: () => ({ aws_lb_target_group: "in-place" }),
  },
  {
    name: "stop timeout",
    change: (env) => ({
      overrides: { service: { stopTimeoutSeconds: env.service.stopTimeoutSeconds + 15 } },
    }),
    expect: ROLLOUT_WITH_WORKLOADS,
  },
  {
    name: "a plain environment variable",
    change: () => ({ overrides: { service: { environment: { FEATURE_FLAGS: "e2e" } } } }),
    expect: ROLLOUT_WITH_WORKLOADS,
  },
  {
    name: "a secret (created first)",
    change: (_, made) => ({ overrides: { service: { secrets: { E2E_API_KEY: made.secretArn } } } }),
    expect: () => ({ ...ROLLOUT(), aws_iam_role_policy: "in-place" }),
  },
  {
    name: "task-role statements",
    change: () => ({
      overrides: {
        service: {
          taskRoleStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::e2e-assets/*"] }],
        },
      },
    }),
    expect: () => ({ aws_iam_role_policy: "create" }),
  },
  {
    name: "log retention",
    change: (env) => ({
      overrides: { service: { logRetentionDays: nextRetention(env.service.logRetentionDays) } },
    }),
    expect: () => ({ aws_cloudwatch_log_group: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "flow-log retention",
    change: (env) => ({
      overrides: { network: { flowLogRetentionDays: nextRetention(env.network.flowLogRetentionDays) } },
    }),
    expect: () => ({ aws_cloudwatch_log_group: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "alarm thresholds",
    when: (env) => env.alarms.enabled,
    change: () => ({ overrides: { alarms: { target5xxRate: { threshold: 7, evaluationPeriods: 4 } } } }),
    expect: () => ({ aws_cloudwatch_metric_alarm: "in-place" }),
  },
  {
    name: "database backup retention",
    when: (env) => env.database.enabled,
    change: (env) => ({
      overrides: { database: { backupRetentionDays: env.database.backupRetentionDays + 7 } },
    }),
    expect: () => ({ aws_db_instance: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "database instance class",
    when: (env) => env.database.enabled,
    change: (env) => ({
      overrides: {
        database: { instanceClass: env.database.instanceClass.replace(/\.[a-z0-9]+$/, ".xlarge") },
      },
    }),
    expect: () => ({ aws_db_instance: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "database storage",
    when: (env) => env.database.enabled,
    change: (env) => ({
      overrides: {
        database: {
          allocatedStorageGb: env.database.allocatedStorageGb + 10,
          maxAllocatedStorageGb: env.database.maxAllocatedStorageGb + 10,
        },
      },
    }),
    expect: () => ({ aws_db_instance: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "cache node type",
    when: (env) => env.cache.enabled,
    change: (env) => ({
      overrides: { cache: { nodeType: env.cache.nodeType.replace(/\.[a-z0-9]+$/, ".xlarge") } },
    }),
    expect: () => ({ aws_elasticache_replication_group: "in-place", ...REREAD_POLICY }),
  },
  {
    name: "NAT gateways: single to one per AZ",
    when: (env) => env.network.natStrategy === "single",
    change: () => ({ overrides: { network: { natStrategy: "per-az" } } }),
    expect: () => ({ aws_eip: "create", aws_nat_gateway: "create", aws_route: "in-place" }),
  },
  {
    name: "a third availability zone",
    when: (env) => env.network.availabilityZones.length === 2,
    change: (env) => ({
      overrides: { network: { availabilityZones: [...env.network.availabilityZones, `${env.region}c`] } },
    }),
    expect: (env) => ({
      aws_subnet: "create",
      aws_route_table: "create",
      aws_route_table_association: "create",
      aws_route: "create",
      ...(env.network.natStrategy === "per-az" ? { aws_eip: "create", aws_nat_gateway: "create" } : {}),
      aws_db_subnet_group: "in-place",
      aws_elasticache_subnet_group: "in-place",
      aws_vpc_endpoint: "in-place",
      aws_lb: "in-place",
      aws_ecs_service: "rolling",
      // A job's schedule starts its tasks in the private subnets, the new one included.
      aws_scheduler_schedule: ["in-place", "no-op"],
      ...REREAD_POLICY,
    }),
  },
  {
    name: "WAF on",
    when: (env) => !env.edge.waf,
    change: () => ({ overrides: { edge: { waf: true } } }),
    expect: () => ({
      aws_wafv2_web_acl: "create",
      aws_wafv2_web_acl_association: "create",
      aws_wafv2_web_acl_logging_configuration: "create",
      aws_cloudwatch_log_group: "create",
      aws_cloudwatch_dashboard: "in-place",
    }),
  },
  {
    name: "a subject alternative name",
    when: (env) => env.edge.domainName !== undefined && env.edge.certificateArn === undefined,
    change: (env) => ({
      overrides: {
        edge: {
          subjectAlternativeNames: [...env.edge.subjectAlternativeNames, `www.${env.edge.domainName ?? ""}`],
        },
      },
    }),
    expect: () => ({
      aws_acm_certificate: "replace-cbd",
      aws_acm_certificate_validation: "replace-dtc",
      // The existing name's validation record: destroy-first, see addressClass.
      aws_route53_record: ["create", "replace-dtc"],
      aws_lb_listener: "in-place",
      aws_lb_listener_rule: "in-place",
    }),
  },
  {
    name: "the subject alternative name removed",
    when: (env) => env.edge.subjectAlternativeNames.length > 0 && env.edge.certificateArn === undefined,
    change: (env) => ({
      overrides: { edge: { subjectAlternativeNames: env.edge.subjectAlternativeNames.slice(0, -1) } },
    }),
    expect: () => ({
      aws_acm_certificate: "replace-cbd",
      aws_acm_certificate_validation: "replace-dtc",
      aws_route53_record: ["delete", "replace-dtc"],
      aws_lb_listener: "in-place",
      aws_lb_listener_rule: "in-place",
    }),
  },
  {
    name: "database minor version (RDS upgrades it)",
    when: (env) => env.database.enabled,
    change: () => ({}),
    byAws: (env, namePrefix) => [
      "minor-upgrade-db",
      "--region",
      env.region,
      "--identifier",
      databaseIdentifier(namePrefix),
    ],
    expect: () => ({}),
  },
  {
    name: "WAF off",
    when: (env) => env.edge.waf,
    change: () => ({ overrides: { edge: { waf: false } } }),
    expect: () => ({}),
    notRoutine: (env) =>
      env.destroyProtection
        ? { kind: "refused at synth", message: /edge\.waf/ }
        : {
            kind: "needs a window",
            includes: { aws_wafv2_web_acl: "delete", aws_cloudwatch_log_group: "delete" },
          },
  },
  {
    name: "container port",
    change: (env) => ({ overrides: { service: { containerPort: env.service.containerPort + 1 } } }),
    expect: () => ({}),
    notRoutine: () => ({
      kind: "needs a window",
      includes: { aws_lb_target_group: "replace-cbd", aws_ecs_service: "rolling" },
    }),
  },
  {
    name: "service name",
    change: (env) => ({ overrides: { service: { name: `${env.service.name}-renamed` } } }),
    expect: () => ({}),
    notRoutine: (env) =>
      env.destroyProtection
        ? { kind: "refused at plan", message: /Instance cannot be destroyed/ }
        : {
            kind: "needs a window",
            includes: {
              aws_ecs_service: ["replace-dtc", "replace-cbd"],
              aws_cloudwatch_log_group: ["replace-dtc", "replace-cbd"],
            },
          },
  },
];
