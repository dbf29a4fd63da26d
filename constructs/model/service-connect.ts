/**
 * Internal workloads and their callers: who may call whom through ECS Service Connect, declared
 * once (`calledBy` on the internal workload). The security groups, the callers' Service Connect
 * clients and the synth-time checks all follow from it.
 */
import { entryPath } from "./checks";
import { DEFAULT_CONTAINER_PORT } from "./fargate-service";
import type { Problem } from "./checks";
import { workloadGroup } from "./security-groups";
import type { FlowGroup, TierFlow } from "./security-groups";
import { SERVICE_CONNECT_CLIENT_KINDS } from "./workloads";
import type { InternalOptions, WorkloadOptions } from "./workloads";

/** Name of the internal container's port mapping, which Service Connect publishes. */
export const SERVICE_CONNECT_PORT_NAME = "http";

type Workloads = Readonly<Record<string, WorkloadOptions>>;

/** The internal workloads, by name. */
export function internalWorkloads(workloads: Workloads): Array<[string, InternalOptions]> {
  return Object.entries(workloads).filter((e): e is [string, InternalOptions] => e[1].kind === "internal");
}

/** The internal workloads a caller calls, as `<name>:<port>`, sorted (empty when it calls none). */
export function callsOf(caller: string, workloads: Workloads): string[] {
  return internalWorkloads(workloads)
    .filter(([, w]) => w.calledBy.includes(caller))
    .map(([name, w]) => `${name}:${w.containerPort ?? DEFAULT_CONTAINER_PORT}`)
    .sort();
}

/**
 * Internal workloads that call each other in a circle. Service Connect gives a task only the names
 * that existed when it started, so each caller is deployed after what it calls: a circle has no
 * such order.
 */
function callCycleProblems(workloads: Workloads): Problem[] {
  const calls = new Map(internalWorkloads(workloads).map(([name]) => [name, callsOf(name, workloads)]));
  const names = (list: readonly string[]) => list.map((c) => c.split(":")[0] as string);
  const cycleFrom = (start: string): string[] | undefined => {
    const walk = (node: string, path: string[]): string[] | undefined => {
      for (const next of names(calls.get(node) ?? [])) {
        if (next === start) {
          if (path.length > 1) return [...path, next];
          continue; // calling itself is refused on its own
        }
        if (!path.includes(next)) {
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(start, [start]);
  };
  return [...calls.keys()].flatMap((name) => {
    const cycle = cycleFrom(name);
    return cycle === undefined
      ? []
      : [
          {
            field: `workloads${entryPath(name)}.calledBy`,
            value: internalWorkloads(workloads).find(([n]) => n === name)?.[1].calledBy,
            allowed: `callers that ${name} does not call, directly or through other internal workloads (here ${cycle.join(" calls ")}): Service Connect gives a task only the names that existed when it started, so each caller is deployed after what it calls, and a circle has no such order`,
          },
        ];
  });
}

/** Callers an internal workload names that are not ECS services of the environment, and circles of calls. */
export function internalCallerProblems(serviceName: string, workloads: Workloads): Problem[] {
  return [...unknownCallerProblems(serviceName, workloads), ...callCycleProblems(workloads)];
}

function unknownCallerProblems(serviceName: string, workloads: Workloads): Problem[] {
  const services = [
    serviceName,
    ...Object.entries(workloads)
      .filter(([, w]) => SERVICE_CONNECT_CLIENT_KINDS.includes(w.kind))
      .map(([name]) => name),
  ];
  return internalWorkloads(workloads).flatMap(([name, w]) =>
    w.calledBy.flatMap((caller, i) => {
      const kind = workloads[caller]?.kind;
      const allowed =
        caller === name
          ? "another service or workload: a workload does not call itself through Service Connect"
          : kind === "job"
            ? `a service, not the job "${caller}": a job's task is started alone by the scheduler and cannot use Service Connect; do the work in a worker, or call ${name} from the service`
            : services.includes(caller)
              ? undefined
              : `one of ${services
                  .filter((s) => s !== name)
                  .map((s) => `"${s}"`)
                  .join(", ")} (the service and the web, internal and worker workloads of this environment)`;
      return allowed === undefined
        ? []
        : [{ field: `workloads${entryPath(name)}.calledBy[${i}]`, value: caller, allowed }];
    }),
  );
}

/** The security-group flows of every call: each caller's group to the internal workload's, on its port. */
export function internalCallFlows(serviceName: string, workloads: Workloads): TierFlow[] {
  const groupOf = (caller: string): FlowGroup => (caller === serviceName ? "app" : workloadGroup(caller));
  const idOf = (name: string) => (name === serviceName ? "app" : `workload_${name.replace(/-/g, "_")}`);
  return internalWorkloads(workloads).flatMap(([name, w]) =>
    w.calledBy.map((caller): TierFlow => ({
      id: `${idOf(caller)}_to_${idOf(name)}`,
      from: groupOf(caller),
      to: workloadGroup(name),
      port: w.containerPort ?? DEFAULT_CONTAINER_PORT,
      description: `${caller === serviceName ? "The service" : `The ${caller} workload`} to the ${name} internal workload (Service Connect)`,
    })),
  );
}
