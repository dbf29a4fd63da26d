/**
 * What a Terraform plan would do to each resource, in the words day-two safety is judged in, read
 * from `terraform show -json <plan>` (its `resource_changes`).
 */
import { addressClass } from "../../constructs/model/resource-classes";

export type ChangeClass =
  | "no-op"
  | "create"
  | "in-place"
  /** An in-place update of an ECS service that starts a new deployment: tasks replaced one by one. */
  | "rolling"
  /** Replaced, the new one created before the old one is destroyed. */
  | "replace-cbd"
  /** Replaced, the old one destroyed first. */
  | "replace-dtc"
  | "delete";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
  };
}

export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
}

/** Attributes of an ECS service whose change starts a new deployment. */
const DEPLOYING = ["task_definition", "network_configuration", "capacity_provider_strategy", "load_balancer"];

export function classify(change: ResourceChange): ChangeClass {
  const actions = change.change.actions.join(",");
  switch (actions) {
    case "no-op":
    case "read":
      return "no-op";
    case "create":
      return "create";
    case "delete":
      return "delete";
    case "create,delete":
      return "replace-cbd";
    case "delete,create":
      return "replace-dtc";
    case "update": {
      if (change.type !== "aws_ecs_service") return "in-place";
      const { before, after } = change.change;
      const differs = (key: string) => JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]);
      return DEPLOYING.some(differs) ? "rolling" : "in-place";
    }
    default:
      throw new Error(`${change.address}: unknown plan actions ${actions}`);
  }
}

/** Every managed resource's class in a plan, by address. */
export function planClasses(plan: PlanJson): Map<string, ChangeClass> {
  return new Map(
    (plan.resource_changes ?? [])
      .filter((c) => c.mode === "managed")
      .map((c) => [c.address, classify(c)] as const),
  );
}

/**
 * What no routine edit may do, whatever its catalogue entry expects: delete or replace a stateful
 * resource, or destroy a serving one before its replacement serves.
 */
export function invariantViolations(classes: ReadonlyMap<string, ChangeClass>): string[] {
  const violations: string[] = [];
  for (const [address, seen] of classes) {
    const kind = addressClass(address);
    if (kind === "stateful" && ["delete", "replace-cbd", "replace-dtc"].includes(seen)) {
      violations.push(`${address} (stateful): ${seen}`);
    }
    if (kind === "serving" && ["delete", "replace-dtc"].includes(seen)) {
      violations.push(`${address} (serving): ${seen}`);
    }
  }
  return violations;
}

/** What an entry expects of a resource type: one class, or the classes allowed (with "no-op": it may not change). */
export type Expected = ChangeClass | readonly ChangeClass[];

/**
 * The plan's classes against an entry's expectation: `expected` maps resource types to the class
 * every changed resource of that type must have (at least one must change, unless "no-op" is
 * among the allowed); every other resource must be a no-op. Returns one line per difference.
 */
export function unexpectedChanges(
  classes: ReadonlyMap<string, ChangeClass>,
  expected: Readonly<Record<string, Expected>>,
): string[] {
  const allowed = (type: string): readonly ChangeClass[] => {
    const want = expected[type] ?? "no-op";
    return typeof want === "string" ? [want] : want;
  };
  const differences: string[] = [];
  const seenTypes = new Set<string>();
  for (const [address, seen] of classes) {
    const type = address.split(".")[0] ?? "";
    if (seen === "no-op") continue;
    seenTypes.add(type);
    if (!allowed(type).includes(seen)) {
      differences.push(`${address}: ${seen}, expected ${allowed(type).join(" or ")}`);
    }
  }
  for (const type of Object.keys(expected)) {
    if (!seenTypes.has(type) && !allowed(type).includes("no-op")) {
      differences.push(`${type}: no change, expected ${allowed(type).join(" or ")}`);
    }
  }
  return differences;
}

/**
 * What a plan must contain (each type: at least one resource in one of the classes), whatever
 * else it does; one line per type it lacks.
 */
export function missingChanges(
  classes: ReadonlyMap<string, ChangeClass>,
  includes: Readonly<Record<string, Expected>>,
): string[] {
  return Object.entries(includes).flatMap(([type, want]) => {
    const allowed: readonly ChangeClass[] = typeof want === "string" ? [want] : want;
    const found = [...classes].some(
      ([address, seen]) => address.split(".")[0] === type && allowed.includes(seen),
    );
    return found ? [] : [`${type}: no ${allowed.join(" or ")} in the plan`];
  });
}

/** A short summary of a plan's changes, e.g. "2 in-place, 1 rolling, 1 replace-dtc". */
export function summary(classes: ReadonlyMap<string, ChangeClass>): string {
  const counts = new Map<ChangeClass, number>();
  for (const seen of classes.values()) {
    if (seen !== "no-op") counts.set(seen, (counts.get(seen) ?? 0) + 1);
  }
  return counts.size === 0 ? "no change" : [...counts.entries()].map(([c, n]) => `${n} ${c}`).join(", ");
}
