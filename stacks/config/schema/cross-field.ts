/**
 * Checks across settings that no single field rule can express: within the edge, across the
 * groups of one environment, and across the stacks of the project. Each runs only when every
 * setting it reads passed its own rule, so it never sees a value of the wrong shape.
 */
import { arnPlacementProblem } from "../../../constructs/rules/arns";
import { cidrsOverlap, parseIpv4Cidr } from "../../../constructs/rules/cidr";
import type { Problem } from "../../../constructs/rules/checks";
import { domainIsInZone } from "../../../constructs/rules/aws-limits";
import { CACHE_VARIABLES, DATABASE_VARIABLES } from "../../../constructs/rules/data-tier";
import { deregistrationDelayProblem } from "../../../constructs/rules/load-balancer";
import type { InterfaceEndpointService } from "../../../constructs/rules/network";
import type { CrossCheck } from "../../../constructs/rules/props";
import { INTERNET_CIDR } from "../../../constructs/rules/security-groups";
import { parseSecretReference, secretPlacementProblems } from "../../../constructs/rules/secrets";
import type { EdgeSettings, EnvironmentSettings, ProjectSettings } from "../settings";

type EdgeView = EdgeSettings & { region: string; account?: string };

export const EDGE_CROSS_CHECKS: ReadonlyArray<CrossCheck<EdgeView>> = [
  {
    description:
      "HTTPS has a certificate source: edge.certificateArn, or edge.domainName with edge.hostedZoneId or edge.hostedZoneName (a DNS-validated certificate); the domain and alternative names lie inside a zone given by name.",
    reads: ["domainName", "hostedZoneId", "hostedZoneName", "certificateArn", "subjectAlternativeNames"],
    check: (edge) => {
      const { domainName: domain, hostedZoneId: zoneId, hostedZoneName: zoneName, certificateArn } = edge;
      const problems: Problem[] = [];
      if (zoneId !== undefined && zoneName !== undefined) {
        problems.push({
          field: "hostedZoneName",
          value: zoneName,
          allowed:
            "unset when edge.hostedZoneId is set (give one of them; null in the override file drops an inherited one)",
        });
      }
      const hasZone = zoneId !== undefined || zoneName !== undefined;
      if (certificateArn === undefined && !(domain !== undefined && hasZone)) {
        problems.push({
          field: domain === undefined ? "domainName" : "hostedZoneName",
          value: domain === undefined ? undefined : zoneName,
          allowed:
            "a certificate source for HTTPS: set edge.certificateArn, or edge.domainName with edge.hostedZoneId or edge.hostedZoneName",
        });
      } else if (hasZone && domain === undefined) {
        problems.push({
          field: "domainName",
          value: undefined,
          allowed: "the domain to publish in the hosted zone when one is set",
        });
      }
      if (zoneName !== undefined && domain !== undefined && !domainIsInZone(domain, zoneName)) {
        problems.push({
          field: "domainName",
          value: domain,
          allowed: `a name inside the hosted zone ${zoneName}`,
        });
      }
      const outsideZone = edge.subjectAlternativeNames.filter(
        (n) => zoneName !== undefined && !domainIsInZone(n, zoneName),
      );
      if (outsideZone.length > 0) {
        problems.push({
          field: "subjectAlternativeNames",
          value: outsideZone,
          allowed: `names inside the hosted zone ${zoneName ?? ""} (their validation records go there)`,
        });
      }
      if (certificateArn !== undefined && edge.subjectAlternativeNames.length > 0) {
        problems.push({
          field: "subjectAlternativeNames",
          value: edge.subjectAlternativeNames,
          allowed: "[] when edge.certificateArn is set (the names belong to that certificate)",
        });
      }
      return problems;
    },
  },
  {
    description:
      "An existing certificate is in the environment's partition, region and (when pinned) account: an ALB uses only certificates of its own region and account.",
    reads: ["certificateArn", "region", "account"],
    check: (edge) => {
      const found =
        edge.certificateArn === undefined
          ? undefined
          : arnPlacementProblem("certificateArn", edge.certificateArn, {
              region: edge.region,
              account: edge.account,
              sameRegion: true,
              sameAccount: true,
            });
      return found ? [found] : [];
    },
  },
];

/** The variables the stack gives the service for its database and cache. */
export function dataTierVariableNames(env: Pick<EnvironmentSettings, "database" | "cache">): Set<string> {
  return new Set([
    ...(env.database.enabled ? Object.values(DATABASE_VARIABLES) : []),
    ...(env.cache.enabled ? Object.values(CACHE_VARIABLES) : []),
  ]);
}

const requiredEndpoints = (env: EnvironmentSettings): Array<[InterfaceEndpointService, string]> => {
  const kinds = new Set(Object.values(env.service.secrets).map((arn) => parseSecretReference(arn)?.kind));
  return [
    ["ecr.api", "image pulls"],
    ["ecr.dkr", "image pulls"],
    ["logs", "container logs"],
    ...(kinds.has("secretsmanager") || env.database.enabled
      ? [
          [
            "secretsmanager",
            kinds.has("secretsmanager") ? "service.secrets from Secrets Manager" : "the database password",
          ] as [InterfaceEndpointService, string],
        ]
      : []),
    ...(kinds.has("ssm")
      ? [["ssm", "service.secrets from SSM Parameter Store"] as [InterfaceEndpointService, string]]
      : []),
  ];
};

/** Key administrators of another account than the stack's pinned one need an acknowledgement. */
export function foreignKeyAdministrators(stack: string): CrossCheck<{
  accountId?: string;
  keyAdministratorArns: readonly string[];
  foreignKeyAdministratorsAcknowledged: boolean;
}> {
  return {
    description: `Key administrators (keyAdministratorArns) of the ${stack} belong to its account, unless foreignKeyAdministratorsAcknowledged.`,
    reads: ["keyAdministratorArns", "accountId", "foreignKeyAdministratorsAcknowledged"],
    check: (s) =>
      s.accountId === undefined || s.foreignKeyAdministratorsAcknowledged
        ? []
        : s.keyAdministratorArns.flatMap((arn, index) => {
            const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
            return account === undefined || account === s.accountId
              ? []
              : [
                  {
                    field: `keyAdministratorArns[${index}]`,
                    value: arn,
                    allowed: `a role of ${s.accountId} (the ${stack}'s account); a role of ${account} would manage this stack's keys from another account: set foreignKeyAdministratorsAcknowledged: true if that is intended`,
                  },
                ];
          }),
  };
}

export const ENVIRONMENT_CROSS_CHECKS: ReadonlyArray<CrossCheck<EnvironmentSettings>> = [
  foreignKeyAdministrators("environment"),
  {
    description:
      "The data tier's variables (DATABASE_*, REDIS_*) are set by the stack while the database or the cache exists; service.environment and service.secrets may not set them too.",
    reads: ["database.enabled", "cache.enabled", "service.environment", "service.secrets"],
    check: (env) => {
      const reserved = dataTierVariableNames(env);
      return (["environment", "secrets"] as const).flatMap((group) =>
        Object.keys(env.service[group])
          .filter((name) => reserved.has(name))
          .map((name) => ({
            field: `service.${group}.${name}`,
            value: name,
            allowed: `a name other than ${[...reserved].join(", ")} (the stack sets those from ${name.startsWith("REDIS") ? "the cache" : "the database"})`,
          })),
      );
    },
  },
  {
    description:
      'Private tasks can reach ECR, S3, CloudWatch Logs and (when secrets are used) Secrets Manager / SSM: through NAT with "0.0.0.0/0" in network.appInternetEgress, or through interface endpoints (S3 always has its gateway endpoint).',
    reads: [
      "network.natStrategy",
      "network.appInternetEgress",
      "network.interfaceEndpoints",
      "service.secrets",
      "database.enabled",
    ],
    check: (env) => {
      if (env.network.natStrategy !== "none" && env.network.appInternetEgress.includes(INTERNET_CIDR)) {
        return [];
      }
      const required = requiredEndpoints(env);
      const missing = required.filter(([service]) => !env.network.interfaceEndpoints.includes(service));
      return missing.length === 0
        ? []
        : [
            {
              field: "network.interfaceEndpoints",
              value: env.network.interfaceEndpoints,
              allowed: `${cheaperThanEndpoints(env, missing.length)}a list including ${required.map(([s]) => s).join(", ")} when ${env.network.natStrategy === "none" ? 'network.natStrategy is "none"' : 'network.appInternetEgress does not include "0.0.0.0/0"'} (missing: ${missing.map(([s, why]) => `${s} for ${why}`).join(", ")}; about $7.5 a month each per AZ)`,
            },
          ];
    },
  },
  {
    description:
      "network.appInternetEgress entries do not overlap (one inside another is a mistake: the wider one already allows it).",
    reads: ["network.appInternetEgress"],
    check: (env) => {
      const cidrs = env.network.appInternetEgress.flatMap((text) => {
        const cidr = parseIpv4Cidr(text);
        return cidr === undefined ? [] : [{ text, cidr }];
      });
      const overlaps = cidrs.flatMap((a, i) =>
        cidrs.slice(i + 1).flatMap((b) => (cidrsOverlap(a.cidr, b.cidr) ? [`${a.text} and ${b.text}`] : [])),
      );
      return overlaps.length === 0
        ? []
        : [
            {
              field: "network.appInternetEgress",
              value: env.network.appInternetEgress,
              allowed: `entries that do not overlap (${overlaps.join("; ")} overlap: keep the wider one)`,
            },
          ];
    },
  },
  {
    description:
      "Internet egress and NAT go together: destinations need a NAT gateway, and a NAT gateway needs a destination (else it costs about $32 a month for nothing).",
    reads: ["network.natStrategy", "network.appInternetEgress"],
    check: (env) => {
      const { natStrategy, appInternetEgress } = env.network;
      if (natStrategy === "none" && appInternetEgress.length > 0) {
        return [
          {
            field: "network.appInternetEgress",
            value: appInternetEgress,
            allowed:
              '[] while network.natStrategy is "none" (the private subnets have no route to the internet)',
          },
        ];
      }
      if (natStrategy !== "none" && appInternetEgress.length === 0) {
        return [
          {
            field: "network.natStrategy",
            value: natStrategy,
            allowed: '"none" while network.appInternetEgress is [] (no task may use a NAT gateway)',
          },
        ];
      }
      return [];
    },
  },
  {
    description: "The ALB's deregistration delay does not exceed the container's stop timeout.",
    reads: ["edge.deregistrationDelaySeconds", "service.stopTimeoutSeconds"],
    check: (env) => {
      const found = deregistrationDelayProblem(
        "edge.deregistrationDelaySeconds",
        env.edge.deregistrationDelaySeconds,
        "service.stopTimeoutSeconds",
        env.service.stopTimeoutSeconds,
      );
      return found ? [found] : [];
    },
  },
  {
    description:
      "Secrets and their KMS keys are in the environment's partition; with a pinned account, SSM parameters are in it, and a secret of another account comes with that account's customer managed KMS key.",
    reads: ["region", "accountId", "service.secrets", "service.secretsKmsKeyArns"],
    check: (env) =>
      secretPlacementProblems({
        region: env.region,
        accountId: env.accountId,
        secrets: env.service.secrets,
        secretsKmsKeyArns: env.service.secretsKmsKeyArns,
      }),
  },
];

/** A check of one environment against the rest of the project (the registry, the other environments). */
export interface ProjectCheck {
  readonly description: string;
  readonly reads: readonly string[];
  readonly check: (env: EnvironmentSettings, project: ProjectSettings) => Problem[];
}

/**
 * A cheaper fix than interface endpoints, named first when there is one: NAT gateways (about $32
 * a month each; one per AZ in prod) with internet egress, against about $7.5 per endpoint and AZ.
 */
function cheaperThanEndpoints(env: EnvironmentSettings, missing: number): string {
  const zones = env.network.availabilityZones.length;
  const endpointsMonthly = 7.5 * missing * zones;
  const [strategy, gateways] = env.preset === "prod" ? ["per-az", zones] : ["single", 1];
  const natMonthly = 32 * gateways;
  if (endpointsMonthly <= natMonthly) return "";
  return `cheapest: network.natStrategy "${strategy}" with network.appInternetEgress ["0.0.0.0/0"] (${gateways === 1 ? "one NAT gateway" : `${gateways} NAT gateways`}, about $${natMonthly} a month, against about $${Math.round(endpointsMonthly)} for the missing endpoints); or `;
}

export const PROJECT_CHECKS: readonly ProjectCheck[] = [
  {
    description:
      "An environment that deploys release tags only has tags to deploy: registry.protectedTagPatterns is not empty.",
    reads: ["service.releaseTagsOnly"],
    check: (env, project) =>
      env.service.releaseTagsOnly && project.registry.protectedTagPatterns.length === 0
        ? [
            {
              field: "service.releaseTagsOnly",
              value: true,
              allowed:
                'false, or true with at least one registry.protectedTagPatterns entry (e.g. "v*"): the release tags the environment may deploy',
            },
          ]
        : [],
  },
  {
    description:
      "Without NAT, the registry must be in the environment's region: interface endpoints serve their own region only.",
    reads: ["network.natStrategy", "region"],
    check: (env, project) =>
      env.network.natStrategy === "none" && project.registry.region !== env.region
        ? [
            {
              field: "network.natStrategy",
              value: "none",
              allowed: `"per-az" or "single" while the registry is in ${project.registry.region} and the environment in ${env.region} (endpoints cannot reach another region's ECR)`,
            },
          ]
        : [],
  },
  {
    description:
      "An environment pinned to another account than the registry's is listed in registry.pullAccountIds (the repository policy lets its execution roles pull).",
    reads: ["accountId"],
    check: (env, project) =>
      env.accountId !== undefined &&
      project.registry.accountId !== undefined &&
      env.accountId !== project.registry.accountId &&
      !project.registry.pullAccountIds.includes(env.accountId)
        ? [
            {
              field: "accountId",
              value: env.accountId,
              allowed: `the registry's account ${project.registry.accountId}, or an account listed in registry.pullAccountIds (${project.registry.pullAccountIds.join(", ") || "none yet"})`,
            },
          ]
        : [],
  },
  {
    description:
      "Names AWS requires to be unique in an account and region (load balancers) differ between environments that may share one (same region, and the same or an unpinned account).",
    reads: ["edge.loadBalancerName", "region", "accountId"],
    check: (env, project) => {
      const clash = project.environments.find(
        (other) =>
          other.name !== env.name &&
          other.region === env.region &&
          (other.accountId === undefined ||
            env.accountId === undefined ||
            other.accountId === env.accountId) &&
          other.edge.loadBalancerName === env.edge.loadBalancerName,
      );
      return clash === undefined
        ? []
        : [
            {
              field: "edge.loadBalancerName",
              value: env.edge.loadBalancerName,
              allowed: `a name the ${clash.name} environment does not use too (both deploy to ${env.region}${env.accountId === undefined ? "" : ` in ${env.accountId}`})`,
            },
          ];
    },
  },
  {
    description:
      "Environments pinned to the same account and region have VPC CIDRs that do not overlap (overlapping VPCs cannot be peered or routed to each other through a transit gateway).",
    reads: ["network.vpcCidr", "region", "accountId"],
    check: (env, project) => {
      const mine = parseIpv4Cidr(env.network.vpcCidr);
      const clash = project.environments.find((other) => {
        const theirs = parseIpv4Cidr(other.network.vpcCidr);
        return (
          other.name !== env.name &&
          other.region === env.region &&
          env.accountId !== undefined &&
          other.accountId === env.accountId &&
          mine !== undefined &&
          theirs !== undefined &&
          cidrsOverlap(mine, theirs)
        );
      });
      return clash === undefined
        ? []
        : [
            {
              field: "network.vpcCidr",
              value: env.network.vpcCidr,
              allowed: `a range that does not overlap ${clash.name}'s ${clash.network.vpcCidr} (both in ${env.region} of ${env.accountId ?? ""}), e.g. ${nextFreeRange(project, env)}`,
            },
          ];
    },
  },
  {
    description:
      "An environment's settings name no resource of another environment of the project (roles, secrets, keys, policies, buckets): names carry <project>-<environment>, so dev cannot reach prod by a setting.",
    reads: [
      "service.secrets",
      "service.taskRoleStatements",
      "service.taskRoleManagedPolicyArns",
      "keyAdministratorArns",
      "network.s3EndpointBuckets",
    ],
    check: (env, project) =>
      namedResources(env).flatMap(([field, value]) => {
        const other = otherEnvironmentNamed(value, env, project);
        return other === undefined
          ? []
          : [
              {
                field,
                value,
                allowed: `a resource of ${env.name}, not of ${other} (${project.project}-${other}...): one environment must not reach another's roles, secrets, keys or buckets`,
              },
            ];
      }),
  },
];

/** Settings of an environment that name AWS resources: (field, value) pairs. */
function namedResources(env: EnvironmentSettings): Array<[string, string]> {
  return [
    ...Object.entries(env.service.secrets).map(([name, arn]): [string, string] => [
      `service.secrets.${name}`,
      arn,
    ]),
    ...env.service.taskRoleStatements.flatMap((statement, i) =>
      statement.resources.map((r, j): [string, string] => [
        `service.taskRoleStatements[${i}].resources[${j}]`,
        r,
      ]),
    ),
    ...env.service.taskRoleManagedPolicyArns.map((arn, i): [string, string] => [
      `service.taskRoleManagedPolicyArns[${i}]`,
      arn,
    ]),
    ...env.keyAdministratorArns.map((arn, i): [string, string] => [`keyAdministratorArns[${i}]`, arn]),
    ...env.network.s3EndpointBuckets.map((bucket, i): [string, string] => [
      `network.s3EndpointBuckets[${i}]`,
      bucket,
    ]),
  ];
}

/**
 * The other environment of the project whose resource a value names (by the `<project>-<env>`
 * prefix every resource name carries), if any; the longest name wins ("prod-eu" over "prod").
 */
function otherEnvironmentNamed(
  value: string,
  env: EnvironmentSettings,
  project: ProjectSettings,
): string | undefined {
  const named = project.environments
    .filter((e) => new RegExp(`(^|[:/])${escapeRegExp(e.namePrefix)}(?=$|[-/:._])`).test(value))
    .sort((a, b) => b.namePrefix.length - a.namePrefix.length)[0];
  return named !== undefined && named.name !== env.name ? named.name : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A /16 of 10.0.0.0/8 that no environment of the project uses, to suggest. */
function nextFreeRange(project: ProjectSettings, env: EnvironmentSettings): string {
  const used = project.environments.flatMap((e) => {
    const cidr = parseIpv4Cidr(e.network.vpcCidr);
    return cidr === undefined || e.name === env.name ? [] : [cidr];
  });
  for (let second = 0; second < 256; second++) {
    const candidate = parseIpv4Cidr(`10.${second}.0.0/16`);
    if (candidate !== undefined && !used.some((u) => cidrsOverlap(u, candidate))) {
      return `10.${second}.0.0/16`;
    }
  }
  return "a private range no other environment uses";
}
