/**
 * Checks of one environment against the rest of the project: the registry and the other
 * environments (names, accounts, ranges and resources they must not share).
 */
import { cidrsOverlap, parseIpv4Cidr } from "../../../constructs/model/cidr";
import type { Problem } from "../../../constructs/model/checks";
import type { EnvironmentSettings, ProjectSettings } from "../settings";

/** A check of one environment against the rest of the project (the registry, the other environments). */
export interface ProjectCheck {
  readonly description: string;
  readonly reads: readonly string[];
  readonly check: (env: EnvironmentSettings, project: ProjectSettings) => Problem[];
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
