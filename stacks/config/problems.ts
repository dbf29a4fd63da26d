/** Problems of the configuration: where, what was received and from where, what is allowed. */
import { formatProblem } from "../../constructs/model/checks";
import type { Problem } from "../../constructs/model/checks";

export interface SettingsProblem extends Problem {
  /** Environment name, "registry", "project", "config-file" or "environment-variables". */
  readonly scope: string;
}

export class SettingsError extends Error {
  public readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    super(
      `Invalid configuration (${count}); nothing was synthesized.\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
    );
    this.name = "SettingsError";
    this.problems = problems;
  }
}
