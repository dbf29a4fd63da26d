/**
 * The findings the design accepts, as the synthesized stacks record them: the construct or tier
 * that made a decision attached the accepted finding to the resource it created (a `//` comment,
 * see constructs/model/accepted-findings.ts for the list, its conditions and reasons). The policy
 * tests and npm run scan expect exactly these findings: one not accepted fails, and so does an
 * accepted one that no longer occurs.
 */
import { ACCEPTED_FINDINGS, ACCEPTED_FINDINGS_KEY } from "../../constructs/model/accepted-findings";
import type { AcceptedFinding, AcceptedFindingId } from "../../constructs/model/accepted-findings";
import { findingKey } from "./findings";
import type { StackView } from "./stack-view";

/** One accepted finding of the list, with its id. */
export interface PolicyException extends AcceptedFinding {
  readonly id: AcceptedFindingId;
}

export const POLICY_EXCEPTIONS: readonly PolicyException[] = Object.entries(ACCEPTED_FINDINGS).map(
  ([id, finding]) => ({ id: id as AcceptedFindingId, ...finding }),
);

type Accepted = Map<string, Map<AcceptedFindingId, readonly string[]>>;

/** Read once per stack: every rule and exception of the catalog asks for it. */
const acceptedByStack = new WeakMap<StackView, Accepted>();

/** Where a stack accepts findings: construct path → accepted finding id → the rule ids recorded. */
export function acceptedIn(stack: StackView): Accepted {
  const known = acceptedByStack.get(stack);
  if (known !== undefined) return known;
  const accepted: Accepted = new Map();
  for (const entry of stack.all()) {
    const recorded = (entry.block["//"]?.[ACCEPTED_FINDINGS_KEY] ?? {}) as Record<string, readonly string[]>;
    for (const [id, rules] of Object.entries(recorded)) {
      if (!(id in ACCEPTED_FINDINGS)) {
        throw new Error(`${stack.stack}: ${entry.path} records an unknown accepted finding "${id}"`);
      }
      const own = accepted.get(entry.path) ?? new Map<AcceptedFindingId, readonly string[]>();
      own.set(id as AcceptedFindingId, rules);
      accepted.set(entry.path, own);
    }
  }
  acceptedByStack.set(stack, accepted);
  return accepted;
}

/** The construct paths of a stack where an accepted finding is attached. */
export function resourcesAccepting(stack: StackView, id: AcceptedFindingId): string[] {
  return [...acceptedIn(stack)].filter(([, ids]) => ids.has(id)).map(([path]) => path);
}

/** `rule | stack | resource` for every finding the stacks accept (of these rule IDs, when given). */
export function acceptedFindings(stacks: readonly StackView[], ruleIds?: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const stack of stacks) {
    for (const [path, ids] of acceptedIn(stack)) {
      for (const rules of ids.values()) {
        for (const rule of rules) {
          if (ruleIds === undefined || ruleIds.includes(rule)) keys.add(findingKey(rule, stack.stack, path));
        }
      }
    }
  }
  return [...keys].sort();
}
