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

/** Names (the service's or workloads') that call at least one internal workload. */
export function serviceConnectCallers(workloads: Workloads): ReadonlySet<string> {
  return new Set(internalWorkloads(workloads).flatMap(([, w]) => w.calledBy));
}

/** Callers an internal workload names that are not ECS services of the environment. */
export function internalCallerProblems(serviceName: string, workloads: Workloads): Problem[] {
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
