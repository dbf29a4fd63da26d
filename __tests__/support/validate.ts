/**
 * What the settings schema does with a rule group (constructs trust their props and only fill in
 * defaults): checks the values with their defaults and throws a ValidationError naming `path` and
 * every problem. Tests of a rule use it with the same props a construct takes.
 */
import { throwIfProblems } from "../../constructs/model/checks";
import { checkGroup, withGroupDefaults } from "../../constructs/model/props";
import type { RuleGroup } from "../../constructs/model/props";

export function validate<P>(path: string, group: RuleGroup<any>, props: P): P {
  const resolved = withGroupDefaults(group as RuleGroup<P>, props);
  throwIfProblems(path, checkGroup(group as RuleGroup<P>, resolved));
  return resolved;
}
