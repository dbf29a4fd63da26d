/**
 * The shape of an override (the override file, or code overrides in project.ts) against the known
 * settings: unknown keys (typos) and a value where a group of settings belongs. What each value
 * must be is checked later, on the merged settings. `null` anywhere means "back to the default".
 */
import leven from "leven";
import { isPlainObject } from "../../constructs/model/checks";
import type { Problem } from "../../constructs/model/checks";
import { groupFields } from "../../constructs/model/props";
import type { RuleGroup } from "../../constructs/model/props";

export interface KnownSettings {
  /** Dotted paths of settings (leaves; map-valued settings such as tags included). */
  readonly fields: ReadonlySet<string>;
  /** Dotted paths of groups (network, service.autoscaling...). */
  readonly groups: ReadonlySet<string>;
}

/** The settings and groups of a rule tree. */
export function knownSettings(group: RuleGroup<unknown>): KnownSettings {
  const fields = new Set(groupFields(group).map((f) => f.path));
  const groups = new Set<string>();
  for (const path of fields) {
    const parts = path.split(".");
    for (let i = 1; i < parts.length; i++) groups.add(parts.slice(0, i).join("."));
  }
  return { fields, groups };
}

/** Problems of an override's shape, with fields named by dotted path. */
export function overrideProblems(override: unknown, known: KnownSettings, prefix = ""): Problem[] {
  if (override === undefined || override === null) return [];
  if (!isPlainObject(override)) {
    return [{ field: prefix || "(settings)", value: override, allowed: "an object of settings" }];
  }
  const problems: Problem[] = [];
  for (const [key, child] of Object.entries(override)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (known.fields.has(path)) continue;
    if (!known.groups.has(path)) {
      const names = namesBelow(known, prefix);
      const guess = closest(key, names);
      problems.push({
        field: path,
        value: child,
        allowed: `${guess === undefined ? "a known setting" : `did you mean "${guess}"? A known setting`}; settings here: ${names.join(", ")}`,
      });
    } else if (child !== null && !isPlainObject(child)) {
      problems.push({
        field: path,
        value: child,
        allowed: `an object with the settings ${namesBelow(known, path).join(", ")}`,
      });
    } else {
      problems.push(...overrideProblems(child, known, path));
    }
  }
  return problems;
}

/** The names directly below a group ("" for the top level). */
function namesBelow(known: KnownSettings, prefix: string): string[] {
  const below = [...known.fields, ...known.groups]
    .filter((p) => prefix === "" || p.startsWith(`${prefix}.`))
    .map((p) => (prefix === "" ? p : p.slice(prefix.length + 1)).split(".")[0] as string);
  return [...new Set(below)];
}

/** The name a typo most likely meant: the nearest by edit distance (case ignored), if near enough. */
export function closest(typed: string, names: readonly string[]): string | undefined {
  const distance = (name: string) => leven(typed.toLowerCase(), name.toLowerCase());
  const best = [...names].sort((a, b) => distance(a) - distance(b))[0];
  if (best === undefined) return undefined;
  return distance(best) <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined;
}
