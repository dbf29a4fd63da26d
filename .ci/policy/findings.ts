/**
 * Findings as `rule | stack | resource` lines, the form both the policy tests and npm run scan
 * compare against the accepted findings the stacks record (.ci/policy/exceptions.ts reads them).
 */
import type { StackView } from "./stack-view";
import type { PolicyRule } from "./stack-view";

export const findingKey = (rule: string, stack: string, resource: string) =>
  `${rule} | ${stack} | ${resource}`;

/** Every finding of one catalog rule, for each of its IDs, over these stacks. */
export function ruleFindings(rule: PolicyRule, stacks: readonly StackView[]): string[] {
  return stacks
    .flatMap((stack) =>
      rule.violations(stack).flatMap((path) => rule.ids.map((id) => findingKey(id, stack.stack, path))),
    )
    .sort();
}

export interface FindingComparison {
  /** Findings that no exception accepts. */
  readonly unexpected: string[];
  /** Accepted findings that do not occur (the exception is stale for this configuration). */
  readonly stale: string[];
}

export function compareFindings(found: readonly string[], accepted: readonly string[]): FindingComparison {
  const acceptedSet = new Set(accepted);
  const foundSet = new Set(found);
  return {
    unexpected: found.filter((f) => !acceptedSet.has(f)),
    stale: accepted.filter((a) => !foundSet.has(a)),
  };
}
