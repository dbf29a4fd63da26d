/**
 * How web workloads share the environment's HTTPS listener: a rule priority per workload from its
 * name, ahead of the service's own Host rules, and the test of whether two routes could match the
 * same request.
 */

/** Listener-rule priorities of web workloads: below the service's own rules, which come after. */
export const WEB_RULE_PRIORITIES = { first: 100, count: 39000 } as const;
/** The service's Host rules, when web workloads exist: after every web workload's rule. */
export const SERVICE_RULE_PRIORITY_AFTER_WEB = 40000;

/**
 * A web workload's listener-rule priority, from its name alone (FNV-1a), so adding or removing
 * another never renumbers it. Two names that meet are refused at synth.
 */
export function webRulePriority(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return WEB_RULE_PRIORITIES.first + (hash % WEB_RULE_PRIORITIES.count);
}

/** A path pattern as a regular expression (ALB: * any characters, ? one). */
const patternRegex = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
const isWild = (pattern: string) => /[*?]/.test(pattern);
const literalPrefix = (pattern: string) => pattern.split(/[*?]/)[0] ?? "";

/**
 * Whether two path patterns could match the same request path: equal literals, a literal the
 * pattern matches, or (conservatively) two patterns whose literal prefixes do not diverge.
 */
export function pathsOverlap(a: string, b: string): boolean {
  if (!isWild(a) && !isWild(b)) return a === b;
  if (!isWild(a)) return patternRegex(b).test(a);
  if (!isWild(b)) return patternRegex(a).test(b);
  const [pa, pb] = [literalPrefix(a), literalPrefix(b)];
  return pa.startsWith(pb) || pb.startsWith(pa);
}
