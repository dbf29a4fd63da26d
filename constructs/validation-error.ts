import type { IConstruct } from "constructs";

/**
 * Thrown by a construct whose props are invalid. Lists every problem at once and names the
 * construct path, so the user sees which construct in which stack refused which value.
 */
export class ValidationError extends Error {
  public readonly problems: readonly string[];

  constructor(scope: IConstruct, problems: readonly string[]) {
    super(`${scope.node.path}: invalid props:\n  - ${problems.join("\n  - ")}`);
    this.name = "ValidationError";
    this.problems = problems;
  }
}

/** Throws a ValidationError when any entry is a problem line; ignores undefined entries. */
export function throwIfProblems(scope: IConstruct, results: ReadonlyArray<string | undefined>): void {
  const problems = results.filter((r): r is string => r !== undefined);
  if (problems.length > 0) throw new ValidationError(scope, problems);
}
