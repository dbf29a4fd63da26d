/**
 * The workers and jobs of a deployed environment, as far as the emulator can show them (moto runs
 * no containers and no schedules): a message sent to a worker's queue is counted by the metric its
 * scaling policy tracks and its service runs; a job's schedule names the task it deploys, and that
 * task, started with the schedule's own parameters, runs to completion.
 */
import { spawnSync } from "node:child_process";
import { emulatorTool } from "./emulator";
import type { Context, Emulator, StackReport } from "./context";
import { namePrefix } from "./context";
import { CheckFailed } from "./process";

interface WorkerSeen {
  readonly kind: "worker";
  readonly messagesWaiting: number;
  readonly scalingTracksQueue: boolean;
  readonly serviceStatus: string;
  readonly runningCount: number;
  readonly capacityProviders: readonly string[];
}

interface WebSeen {
  readonly kind: "web";
  readonly rulePriorities: readonly number[];
  readonly otherRulePriorities: readonly number[];
  readonly serviceStatus: string;
  readonly runningCount: number;
  readonly registeredIn: readonly string[];
}

interface InternalSeen {
  readonly kind: "internal";
  /** The type of the environment's Cloud Map namespace (HTTP), or null when there is none. */
  readonly namespace: string | null;
  readonly published: {
    readonly namespaceMatches: boolean;
    readonly discoveryName: string | null;
    readonly clientAliases: ReadonlyArray<{ readonly port: number; readonly dnsName: string }>;
  };
  readonly serviceStatus: string | null;
  readonly runningCount: number;
  /** Security groups its group lets in on its port, and its callers' groups. */
  readonly letIn: readonly string[];
  readonly callerGroups: readonly string[];
  readonly callersWithoutClient: readonly string[];
  /** Any other ingress of its group (another port, or an address range). */
  readonly otherIngress: readonly string[];
}

interface JobSeen {
  readonly kind: "job";
  readonly scheduleState: string;
  readonly taskDefinitionMatches: boolean;
  readonly hasDeadLetterQueue: boolean;
  readonly lastStatus: string;
  readonly exitCode: number | null;
  /** Groups of the task state changes found in its dead-letter queue after one of its own and one of another family. */
  readonly failedRunGroups: readonly string[];
  readonly expectedFailedRunGroup: string;
}

/** Checks every workload of a deployed stack (its `workloads` output); notes what was seen. */
export function checkWorkloads(
  ctx: Context,
  emulator: Emulator,
  env: NodeJS.ProcessEnv,
  stack: string,
  stackDir: string,
  report: StackReport,
): void {
  const settings = ctx.settings.environments.find((e) => e.name === stack);
  if (settings === undefined || Object.keys(settings.workloads).length === 0) return;
  const output = spawnSync(ctx.terraform, ["output", "-json", "workloads"], {
    cwd: stackDir,
    env,
    encoding: "utf8",
  });
  if (output.status !== 0) {
    throw new CheckFailed(`${stack}: terraform output workloads failed: ${output.stderr}`);
  }
  const seen = JSON.parse(
    emulatorTool(ctx, emulator, [
      "workloads",
      "--region",
      settings.region,
      "--cluster",
      namePrefix(ctx, stack),
      "--workloads",
      output.stdout.trim(),
    ]),
  ) as Record<string, WebSeen | InternalSeen | WorkerSeen | JobSeen>;
  const problems: string[] = [];
  for (const [name, w] of Object.entries(seen)) {
    if (w.kind === "web") {
      const [priority] = w.rulePriorities;
      if (w.rulePriorities.length !== 1 || priority === undefined) {
        problems.push(`${name}: ${w.rulePriorities.length} listener rules forward to its target group`);
      } else if (w.otherRulePriorities.some((p) => p >= 40000 && p <= priority)) {
        problems.push(`${name}: its rule (${priority}) does not come before the service's Host rules`);
      }
      if (w.serviceStatus !== "ACTIVE" || w.runningCount < 1 || w.registeredIn.length !== 1) {
        problems.push(
          `${name}: its service is ${w.serviceStatus}, ${w.runningCount} running, in ${w.registeredIn.length} target group(s)`,
        );
      }
    } else if (w.kind === "internal") {
      problems.push(...internalProblems(name, w));
    } else if (w.kind === "worker") {
      if (w.messagesWaiting < 1) problems.push(`${name}: a message sent to its queue was not counted`);
      if (!w.scalingTracksQueue) problems.push(`${name}: its scaling policy does not track its queue`);
      if (w.serviceStatus !== "ACTIVE" || w.runningCount < 1) {
        problems.push(`${name}: its service is ${w.serviceStatus} with ${w.runningCount} running task(s)`);
      }
    } else {
      if (w.scheduleState !== "ENABLED") problems.push(`${name}: its schedule is ${w.scheduleState}`);
      if (!w.taskDefinitionMatches) problems.push(`${name}: its schedule starts another task definition`);
      if (!w.hasDeadLetterQueue) problems.push(`${name}: its schedule has no dead-letter queue`);
      if (JSON.stringify(w.failedRunGroups) !== JSON.stringify([w.expectedFailedRunGroup])) {
        problems.push(
          `${name}: a failed run of ${w.expectedFailedRunGroup} (and one of another family) left ${JSON.stringify(w.failedRunGroups)} in its dead-letter queue`,
        );
      }
      if (w.lastStatus !== "STOPPED" || w.exitCode !== 0) {
        problems.push(`${name}: its task ended ${w.lastStatus} with exit code ${String(w.exitCode)}`);
      }
    }
  }
  if (problems.length > 0) throw new CheckFailed(`${stack}: workloads:\n  ${problems.join("\n  ")}`);
  report.notes.push(`workloads: ${seenNote(seen)}`);
}

/** An internal workload: published in the namespace, reachable by its callers' groups only, callers are clients. */
function internalProblems(name: string, w: InternalSeen): string[] {
  const problems: string[] = [];
  const [alias] = w.published.clientAliases;
  if (w.namespace !== "HTTP") problems.push(`${name}: no HTTP namespace named after the environment`);
  if (!w.published.namespaceMatches || w.published.discoveryName !== name || alias?.dnsName !== name) {
    problems.push(
      `${name}: its service does not publish ${name} in the namespace (${JSON.stringify(w.published)})`,
    );
  }
  if (w.serviceStatus !== "ACTIVE" || w.runningCount < 1) {
    problems.push(
      `${name}: its service is ${String(w.serviceStatus)} with ${w.runningCount} running task(s)`,
    );
  }
  if (JSON.stringify(w.letIn) !== JSON.stringify(w.callerGroups)) {
    problems.push(
      `${name}: its group lets in ${w.letIn.join(", ")}, its callers' groups are ${w.callerGroups.join(", ")}`,
    );
  }
  if (w.callersWithoutClient.length > 0) {
    problems.push(
      `${name}: callers without Service Connect in its namespace: ${w.callersWithoutClient.join(", ")}`,
    );
  }
  if (w.otherIngress.length > 0) problems.push(`${name}: other ingress: ${w.otherIngress.join(" ")}`);
  return problems;
}

/** What the run saw of each kind, for the report. */
function seenNote(seen: Record<string, { readonly kind: string }>): string {
  const of = (kind: string) =>
    Object.entries(seen)
      .filter(([, w]) => w.kind === kind)
      .map(([n]) => n);
  const [webs, internals, workers, jobs] = [of("web"), of("internal"), of("worker"), of("job")];
  const seenAs = [
    webs.length > 0
      ? `web ${webs.join(", ")} (its own listener rule ahead of the service's Host rule, its service running in its target group)`
      : "",
    internals.length > 0
      ? `internal ${internals.join(", ")} (published in the environment's Cloud Map namespace under its name and port, its callers Service Connect clients of that namespace, its group open to their groups only)`
      : "",
    workers.length > 0
      ? `worker ${workers.join(", ")} (a queued message counted by its backlog-per-task scaling metric, service running)`
      : "",
    jobs.length > 0
      ? `job ${jobs.join(", ")} (its schedule's task started with the schedule's parameters, exit 0; a run that never started recorded in its dead-letter queue, another family's not)`
      : "",
  ];
  return seenAs.filter((s) => s !== "").join("; ");
}
