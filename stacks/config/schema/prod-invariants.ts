/**
 * What a prod environment must keep, whatever its overrides say. Each invariant names the setting
 * to fix; a prod configuration that breaks one fails synth.
 */
import { broadAccessFindings, escalationActionsOf } from "../../../constructs/model/iam";
import type { CrossCheck } from "../../../constructs/model/props";
import type { EnvironmentSettings } from "../settings";

export const PROD_INVARIANTS: ReadonlyArray<CrossCheck<EnvironmentSettings>> = [
  {
    description:
      "prod keeps egress when an AZ fails: natStrategy per-az, or none with interface endpoints (never single).",
    reads: ["network.natStrategy"],
    check: (env) =>
      env.network.natStrategy === "single"
        ? [
            {
              field: "network.natStrategy",
              value: "single",
              allowed: '"per-az" or "none" in prod (a single NAT gateway is a single point of failure)',
            },
          ]
        : [],
  },
  {
    description: "prod runs at least 2 tasks: desiredCount and autoscaling.minCount ≥ 2.",
    reads: ["service.desiredCount", "service.autoscaling.minCount"],
    check: (env) => [
      ...(env.service.desiredCount < 2
        ? [{ field: "service.desiredCount", value: env.service.desiredCount, allowed: "at least 2 in prod" }]
        : []),
      ...(env.service.autoscaling.minCount < 2
        ? [
            {
              field: "service.autoscaling.minCount",
              value: env.service.autoscaling.minCount,
              allowed: "at least 2 in prod",
            },
          ]
        : []),
    ],
  },
  {
    description: "prod spreads over at least 2 AZs.",
    reads: ["network.availabilityZones"],
    check: (env) =>
      env.network.availabilityZones.length < 2
        ? [
            {
              field: "network.availabilityZones",
              value: env.network.availabilityZones,
              allowed: "at least 2 AZs in prod",
            },
          ]
        : [],
  },
  {
    description: "prod's load balancer has deletion protection.",
    reads: ["edge.deletionProtection"],
    check: (env) =>
      env.edge.deletionProtection
        ? []
        : [{ field: "edge.deletionProtection", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod keeps ALB access logs.",
    reads: ["edge.accessLogs"],
    check: (env) =>
      env.edge.accessLogs ? [] : [{ field: "edge.accessLogs", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod alarms notify someone: alarms on, with at least one subscription.",
    reads: ["alarms.enabled", "alarms.subscriptions"],
    check: (env) => [
      ...(env.alarms.enabled ? [] : [{ field: "alarms.enabled", value: false, allowed: "true in prod" }]),
      ...(env.alarms.enabled && env.alarms.subscriptions.length === 0
        ? [
            {
              field: "alarms.subscriptions",
              value: [],
              allowed: "at least one email address or HTTPS endpoint in prod (someone must hear the alarms)",
            },
          ]
        : []),
    ],
  },
  {
    description: "prod is an internet API behind a WAF (rate limit and managed rule groups).",
    reads: ["edge.waf"],
    check: (env) => (env.edge.waf ? [] : [{ field: "edge.waf", value: false, allowed: "true in prod" }]),
  },
  {
    description: "prod rolls failed deployments back (circuit breaker with rollback).",
    reads: ["service.circuitBreakerRollback"],
    check: (env) =>
      env.service.circuitBreakerRollback
        ? []
        : [{ field: "service.circuitBreakerRollback", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod keeps logs at least a year (container and flow logs).",
    reads: ["service.logRetentionDays", "network.flowLogRetentionDays"],
    check: (env) => [
      ...(env.service.logRetentionDays < 365
        ? [
            {
              field: "service.logRetentionDays",
              value: env.service.logRetentionDays,
              allowed: "at least 365 in prod",
            },
          ]
        : []),
      ...(env.network.flowLogRetentionDays < 365
        ? [
            {
              field: "network.flowLogRetentionDays",
              value: env.network.flowLogRetentionDays,
              allowed: "at least 365 in prod",
            },
          ]
        : []),
    ],
  },
  {
    description:
      "prod is pinned to its AWS account (accountId, which becomes the provider's allowed_account_ids), so a plan with the wrong credentials stops before it changes anything.",
    reads: ["accountId"],
    check: (env) =>
      env.accountId === undefined
        ? [
            {
              field: "accountId",
              value: undefined,
              allowed: "the 12-digit account prod deploys to (required in prod)",
            },
          ]
        : [],
  },
  {
    description:
      "prod gives no shell into running tasks: enableExecuteCommand stays off unless service.executeCommandBreakGlass is on.",
    reads: ["service.enableExecuteCommand", "service.executeCommandBreakGlass"],
    check: (env) =>
      env.service.enableExecuteCommand && !env.service.executeCommandBreakGlass
        ? [
            {
              field: "service.enableExecuteCommand",
              value: true,
              allowed:
                "false in prod, or true together with service.executeCommandBreakGlass: true (an explicit break-glass change, reverted after the incident)",
            },
          ]
        : [],
  },
  {
    description:
      "prod's database survives an AZ failure and a mistaken destroy: Multi-AZ, deletion protection, a final snapshot, backups kept at least 7 days.",
    reads: [
      "database.enabled",
      "database.multiAz",
      "database.deletionProtection",
      "database.finalSnapshot",
      "database.backupRetentionDays",
    ],
    check: (env) => {
      const db = env.database;
      if (!db.enabled) return [];
      return [
        ...(db.multiAz ? [] : [{ field: "database.multiAz", value: false, allowed: "true in prod" }]),
        ...(db.deletionProtection
          ? []
          : [{ field: "database.deletionProtection", value: false, allowed: "true in prod" }]),
        ...(db.finalSnapshot
          ? []
          : [{ field: "database.finalSnapshot", value: false, allowed: "true in prod" }]),
        ...(db.backupRetentionDays < 7
          ? [
              {
                field: "database.backupRetentionDays",
                value: db.backupRetentionDays,
                allowed: "at least 7 in prod",
              },
            ]
          : []),
      ];
    },
  },
  {
    description:
      "prod's cache fails over and survives a destroy: at least 2 nodes (automatic failover and Multi-AZ), a final snapshot.",
    reads: ["cache.enabled", "cache.nodeCount", "cache.finalSnapshot"],
    check: (env) => [
      ...(env.cache.enabled && env.cache.nodeCount < 2
        ? [
            {
              field: "cache.nodeCount",
              value: env.cache.nodeCount,
              allowed: "at least 2 in prod (a primary and a replica in another AZ)",
            },
          ]
        : []),
      ...(env.cache.enabled && !env.cache.finalSnapshot
        ? [{ field: "cache.finalSnapshot", value: false, allowed: "true in prod" }]
        : []),
    ],
  },
  {
    description:
      "prod refuses a destroy at plan time: destroyProtection stays on (destroyBreakGlass is the deliberate way to lift it).",
    reads: ["destroyProtection"],
    check: (env) =>
      env.destroyProtection
        ? []
        : [
            {
              field: "destroyProtection",
              value: false,
              allowed:
                "true in prod; to destroy prod on purpose, set destroyBreakGlass: true and apply first (help/day-two.md, Tearing an environment down)",
            },
          ],
  },
  {
    description:
      "prod runs only images no lifecycle rule can expire: service.releaseTagsOnly stays on (image_tag must match registry.protectedTagPatterns).",
    reads: ["service.releaseTagsOnly"],
    check: (env) =>
      env.service.releaseTagsOnly
        ? []
        : [
            {
              field: "service.releaseTagsOnly",
              value: false,
              allowed:
                "true in prod (deploy a release tag that registry.protectedTagPatterns protects, e.g. v1.4.2; promote a tested image by adding that tag)",
            },
          ],
  },
  {
    description:
      "prod grants no action that can escalate privileges (iam:PassRole, sts:AssumeRole, IAM and policy writes, kms:CreateGrant, beyond their narrow forms) unless service.taskRoleEscalationReason says why.",
    reads: ["service.taskRoleStatements", "service.taskRoleEscalationReason"],
    check: (env) =>
      env.service.taskRoleEscalationReason !== undefined
        ? []
        : env.service.taskRoleStatements.flatMap((statement, index) => {
            const found = escalationActionsOf(statement);
            return found.length === 0
              ? []
              : [
                  {
                    field: `service.taskRoleStatements[${index}]`,
                    value: statement,
                    allowed: `no action that can escalate privileges in prod (found ${found.join(", ")}): ${broadAccessFindings(statement)}; or service.taskRoleEscalationReason saying why (taskRoleBroadAccessAcknowledged is not enough in prod)`,
                  },
                ];
          }),
  },
];
