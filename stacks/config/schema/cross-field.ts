/**
 * Checks across settings that no single field rule can express: within the edge, across the
 * groups of one environment, and across the stacks of the project. Each runs only when every
 * setting it reads passed its own rule, so it never sees a value of the wrong shape.
 */
import { arnPlacementProblem } from "../../../constructs/model/arns";
import { cidrsOverlap, parseIpv4Cidr } from "../../../constructs/model/cidr";
import { entryPath, isPlainObject } from "../../../constructs/model/checks";
import type { Problem } from "../../../constructs/model/checks";
import { domainIsInZone } from "../../../constructs/model/aws-limits";
import { CACHE_VARIABLES, DATABASE_VARIABLES } from "../../../constructs/model/data-tier";
import { deregistrationDelayProblem } from "../../../constructs/model/load-balancer";
import type { InterfaceEndpointService } from "../../../constructs/model/network";
import type { CrossCheck } from "../../../constructs/model/props";
import { INTERNET_CIDR } from "../../../constructs/model/security-groups";
import { parseSecretReference, secretPlacementProblems } from "../../../constructs/model/secrets";
import { internalCallerProblems } from "../../../constructs/model/service-connect";
import { pathsOverlap, webRulePriority } from "../../../constructs/model/web-routing";
import type { WebOptions } from "../../../constructs/model/workloads";
import type { EdgeSettings, EnvironmentSettings } from "../settings";

/**
 * Workloads share the cluster, the log-group path and the task-definition families with the
 * service: a name may not collide with the service's or a one-off task's, and a workload reaches
 * only data stores that exist.
 */
const WORKLOAD_CROSS_CHECKS: ReadonlyArray<CrossCheck<EnvironmentSettings>> = [
  {
    description:
      "A workload's name is not the service's (service.name) nor a one-off task's family (<service.name>-<task>, <workload>-<task>): they share the cluster, the log groups and the task-definition families. Its dataAccess names only data stores the environment has (database.enabled, cache.enabled), and its variables do not take the names the stack sets for them.",
    reads: ["workloads", "service.name", "service.oneOffTasks", "database.enabled", "cache.enabled"],
    check: (env) => {
      const taken = new Map<string, string>([
        [env.service.name, `the service's name (service.name)`],
        ...Object.keys(env.service.oneOffTasks).map((task): [string, string] => [
          `${env.service.name}-${task}`,
          `the family of one-off task "${task}"`,
        ]),
        ...Object.entries(env.workloads).flatMap(([owner, w]) =>
          Object.keys(w.oneOffTasks ?? {}).map((task): [string, string] => [
            `${owner}-${task}`,
            `the family of ${owner}'s one-off task "${task}"`,
          ]),
        ),
      ]);
      const reserved = dataTierVariableNames(env);
      return Object.entries(env.workloads).flatMap(([name, w]) => {
        const field = `workloads${entryPath(name)}`;
        const clash = taken.get(name);
        return [
          ...(clash === undefined
            ? []
            : [{ field, value: name, allowed: `a workload name other than ${clash}: rename the workload` }]),
          ...(w.dataAccess ?? [])
            .filter((store) => !env[store].enabled)
            .map((store) => ({
              field: `${field}.dataAccess`,
              value: store,
              allowed: `only enabled data stores: set ${store}.enabled to true, or remove "${store}"`,
            })),
          ...(["environment", "secrets"] as const).flatMap((group) =>
            Object.keys(w[group] ?? {})
              .filter((variable) => reserved.has(variable))
              .map((variable) => ({
                field: `${field}.${group}.${variable}`,
                value: variable,
                allowed: `a name other than ${[...reserved].join(", ")} (the stack sets those through dataAccess)`,
              })),
          ),
        ];
      });
    },
  },
  {
    description:
      "An internal workload's callers (calledBy) are the service (service.name) or web, internal or worker workloads of the environment, other than itself: ECS services reach it through Service Connect; a job's task, started alone by the scheduler, cannot.",
    reads: ["workloads", "service.name"],
    check: (env) => internalCallerProblems(env.service.name, env.workloads),
  },
  {
    description:
      "Web workloads answer only host names the certificate serves (edge.domainName, edge.subjectAlternativeNames), never take every request of the service's own domain, and never match the same requests as another web workload (the load balancer would send them to one only); their listener-rule priorities, derived from their names, differ.",
    reads: ["workloads", "edge.domainName", "edge.subjectAlternativeNames"],
    check: (env) => webRoutingProblems(env),
  },
];

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
    ...(isPlainObject(env.workloads) &&
    Object.values(env.workloads).some((w) => isPlainObject(w) && w.kind === "worker")
      ? [["sqs", "the workers' queues"] as [InterfaceEndpointService, string]]
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
  ...WORKLOAD_CROSS_CHECKS,
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

/** What is wrong with the web workloads' routes, each named at the workload that comes second. */
function webRoutingProblems(env: EnvironmentSettings): Problem[] {
  const webs = Object.entries(env.workloads).filter(
    (entry): entry is [string, WebOptions] => entry[1].kind === "web",
  );
  const { domainName: domain, subjectAlternativeNames: alternatives } = env.edge;
  const served = domain === undefined ? undefined : [domain, ...alternatives];
  const problems: Problem[] = [];
  webs.forEach(([name, w], i) => {
    const field = `workloads${entryPath(name)}`;
    const hosts = w.hosts ?? [];
    const paths = w.paths ?? [];
    for (const host of hosts.filter((h) => served !== undefined && !served.includes(h))) {
      problems.push({
        field: `${field}.hosts`,
        value: host,
        allowed: `a name the certificate serves: ${(served ?? []).join(", ")} (add it to edge.subjectAlternativeNames)`,
      });
    }
    if (paths.length === 0 && domain !== undefined && hosts.includes(domain)) {
      problems.push({
        field: `${field}.paths`,
        value: paths,
        allowed: `path patterns: without them the workload takes every request for ${domain}, the service's own domain`,
      });
    }
    for (const [other, o] of webs.slice(0, i)) {
      const sameHosts =
        hosts.length === 0 || (o.hosts ?? []).length === 0 || hosts.some((h) => (o.hosts ?? []).includes(h));
      const samePaths =
        paths.length === 0 ||
        (o.paths ?? []).length === 0 ||
        paths.some((p) => (o.paths ?? []).some((q) => pathsOverlap(p, q)));
      if (sameHosts && samePaths) {
        problems.push({
          field: `${field}.paths`,
          value: paths,
          allowed: `routes that no other web workload matches: ${other} (hosts ${JSON.stringify(o.hosts ?? [])}, paths ${JSON.stringify(o.paths ?? [])}) matches some of the same requests, and the load balancer would send them to one only`,
        });
      }
      if (webRulePriority(name) === webRulePriority(other)) {
        problems.push({
          field,
          value: name,
          allowed: `another name: its listener-rule priority (${webRulePriority(name)}, from the name) is ${other}'s`,
        });
      }
    }
  });
  return problems;
}
