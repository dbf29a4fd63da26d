/**
 * Rules declared once per prop: what it means, its default and its check. The settings schema
 * checks every setting with them, under a path prefix ("network.vpcCidr"), once, at the edge; a
 * construct takes its defaults from the same rules and trusts the values it is given, so a range
 * or a default never has a second home.
 */
import { problemsOf } from "./checks";
import type { Check, Problem } from "./checks";
import { deepMerge } from "./merge";

export interface PropRule<P, V = unknown> {
  /** What the value means (configuration reference, JSON Schema). */
  readonly description: string;
  /** The check, or a function of the other props (already checked) that returns it. */
  readonly check: Check | ((props: P) => Check);
  /** Props the check reads besides this one; it is skipped while one of them is invalid. */
  readonly after?: ReadonlyArray<keyof P & string>;
  /** What is allowed, in words, when the check depends on other props. */
  readonly documented?: string;
  /** The default, or a function of the other props that derives it. */
  readonly default?: V | ((props: P) => V);
}

/** Rules for some of the props of P, keyed by prop name. */
export type PropRules<P> = { readonly [K in keyof P]?: PropRule<P, NonNullable<P[K]>> };

/** A rule across props that no single check can express; it runs only when every prop it reads is valid. */
export interface CrossCheck<P> {
  readonly description: string;
  /** Props (or dotted paths below them) it reads; it is skipped while one of them is invalid. */
  readonly reads: ReadonlyArray<(keyof P & string) | `${keyof P & string}.${string}`>;
  /**
   * Problems, with fields named by prop (the caller adds its prefix); `prefix` is how the caller
   * names this group ("service.healthCheck."), for messages that name a sibling.
   */
  readonly check: (props: P, prefix: string) => Problem[];
}

/** The check of a rule for these props. */
export function ruleCheck<P>(rule: PropRule<P>, props: P): Check {
  return typeof rule.check === "function" ? rule.check(props) : rule.check;
}

/** The static defaults of a rule set (derived defaults need the other props: see `withDefaults`). */
export function staticDefaults<P>(rules: PropRules<P>): Partial<P> {
  const defaults: Record<string, unknown> = {};
  for (const [name, rule] of ruleEntries(rules)) {
    if (rule.default !== undefined && typeof rule.default !== "function") defaults[name] = rule.default;
  }
  return defaults as Partial<P>;
}

/**
 * A tree of rules: a group's own prop rules and cross checks, and groups for props that are
 * objects themselves (`service.autoscaling`). A nested group may see values of its parent through
 * `context` (view key → parent prop), e.g. the network's AZ check needs the environment's region.
 */
export interface RuleGroup<P> {
  readonly rules: PropRules<P>;
  readonly crossChecks?: ReadonlyArray<CrossCheck<P>>;
  readonly nested?: { readonly [K in keyof P]?: NestedGroup };
}

export interface NestedGroup {
  readonly group: RuleGroup<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** View key → key of the parent whose value the nested group also sees. */
  readonly context?: Readonly<Record<string, string>>;
  /** What the object is, for the reference and for an error when it is not an object. */
  readonly description?: string;
}

type Values = Record<string, unknown>;
const isObject = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** The rules of a rule set with their prop names (props without a rule are left out). */
function ruleEntries<P>(rules: PropRules<P>): Array<[string, PropRule<P>]> {
  return Object.entries<PropRule<P> | undefined>(
    rules as Readonly<Record<string, PropRule<P> | undefined>>,
  ).filter((entry): entry is [string, PropRule<P>] => entry[1] !== undefined);
}

function nestedEntries<P>(group: RuleGroup<P>): Array<[string, NestedGroup]> {
  return Object.entries<NestedGroup | undefined>(
    (group.nested ?? {}) as Readonly<Record<string, NestedGroup | undefined>>,
  ).filter((entry): entry is [string, NestedGroup] => entry[1] !== undefined);
}

function viewOf(nested: NestedGroup, parent: Values, name: string): Values {
  const own = isObject(parent[name]) ? parent[name] : {};
  const context = Object.fromEntries(
    Object.entries(nested.context ?? {}).map(([k, from]) => [k, parent[from]]),
  );
  return { ...context, ...own };
}

/** True when `path`, a parent of it or a child of it is among the failed paths. */
export function touchesFailed(failed: ReadonlySet<string>, path: string): boolean {
  for (const f of failed) {
    if (path === f || path.startsWith(`${f}.`) || f.startsWith(`${path}.`)) return true;
  }
  return false;
}

/**
 * Every problem of a value against a rule group: the group's own rules (each skipped while a prop
 * it depends on failed), then nested groups (which see their context's failures), then its cross
 * checks (skipped while a path they read failed), so a check never sees a value of the wrong shape
 * and a root cause is reported once. Fields are prefixed;
 * `failed` collects the full paths that failed and may hold failures reported outside.
 */
export function checkGroup<P>(
  group: RuleGroup<P>,
  value: unknown,
  prefix = "",
  failed: Set<string> = new Set(),
): Problem[] {
  const values = isObject(value) ? value : {};
  const problems: Problem[] = [];
  const report = (p: Problem) => {
    problems.push(p);
    failed.add(p.field);
  };
  for (const [name, rule] of ruleEntries(group.rules)) {
    const path = `${prefix}${name}`;
    if (touchesFailed(failed, path)) continue;
    if ((rule.after ?? []).some((dep) => touchesFailed(failed, `${prefix}${dep}`))) {
      // Not checkable now (a value it depends on is invalid), so nothing may rely on it either.
      failed.add(path);
      continue;
    }
    const found = problemsOf(path, values[name], ruleCheck(rule, values as P));
    found.forEach(report);
    if (found.length > 0) failed.add(path);
  }
  for (const [name, nested] of nestedEntries(group)) {
    const own = values[name];
    if (own !== undefined && !isObject(own)) {
      if (!touchesFailed(failed, `${prefix}${name}`)) {
        report({ field: `${prefix}${name}`, value: own, allowed: "an object of settings" });
      }
      continue;
    }
    for (const [key, from] of Object.entries(nested.context ?? {})) {
      if (touchesFailed(failed, `${prefix}${from}`)) failed.add(`${prefix}${name}.${key}`);
    }
    problems.push(...checkGroup(nested.group, viewOf(nested, values, name), `${prefix}${name}.`, failed));
  }
  for (const cross of group.crossChecks ?? []) {
    if (cross.reads.some((read) => touchesFailed(failed, `${prefix}${read}`))) continue;
    for (const p of cross.check(values as P, prefix)) {
      report({ ...p, field: `${prefix}${p.field}`, reads: cross.reads.map((read) => `${prefix}${read}`) });
    }
  }
  return problems;
}

/** The static defaults of a group tree, as a nested object. */
export function groupDefaults(group: RuleGroup<unknown>): Values {
  const defaults: Values = { ...staticDefaults(group.rules as PropRules<Values>) };
  for (const [name, nested] of nestedEntries(group)) {
    const inner = groupDefaults(nested.group);
    if (Object.keys(inner).length > 0) defaults[name] = inner;
  }
  return defaults;
}

/** The value with derived defaults filled in where unset (nested groups see their context); `onFill` hears each path. */
export function fillDerivedDefaults(
  group: RuleGroup<unknown>,
  value: Values,
  onFill?: (path: string) => void,
  prefix = "",
): Values {
  const filled: Values = { ...value };
  for (const [name, rule] of ruleEntries(group.rules as PropRules<Values>)) {
    if (filled[name] === undefined && typeof rule.default === "function") {
      try {
        filled[name] = (rule.default as (v: Values) => unknown)(filled);
        onFill?.(`${prefix}${name}`);
      } catch {
        // A default derived from an invalid value stays unset; the value's own problem is reported.
      }
    }
  }
  for (const [name, nested] of nestedEntries(group)) {
    if (filled[name] !== undefined && !isObject(filled[name])) continue;
    const view = fillDerivedDefaults(nested.group, viewOf(nested, filled, name), onFill, `${prefix}${name}.`);
    for (const key of Object.keys(nested.context ?? {})) delete view[key];
    filled[name] = view;
  }
  return filled;
}

/** One documented setting of a group tree: its dotted path and rule. */
export interface GroupField {
  readonly path: string;
  readonly rule: PropRule<Values>;
  /** The values the rule's check sees for a settings object (its group's view). */
  readonly view: (root: Values) => Values;
}

/** Every rule of a group tree with its path, in declaration order (reference, JSON Schema, unknown keys). */
export function groupFields(
  group: RuleGroup<unknown>,
  prefix = "",
  view: (root: Values) => Values = (r) => r,
): GroupField[] {
  const own = ruleEntries(group.rules as PropRules<Values>).map(([name, rule]) => ({
    path: `${prefix}${name}`,
    rule,
    view,
  }));
  const nested = nestedEntries(group).flatMap(([name, n]) =>
    groupFields(n.group, `${prefix}${name}.`, (root) => viewOf(n, view(root), name)),
  );
  return [...own, ...nested];
}

/** Every cross check of a group tree, with the prefix its fields get. */
export function groupCrossChecks(
  group: RuleGroup<unknown>,
  prefix = "",
): Array<{ prefix: string; check: CrossCheck<unknown> }> {
  const own = (group.crossChecks ?? []).map((check) => ({ prefix, check: check }));
  const nested = nestedEntries(group).flatMap(([name, n]) => groupCrossChecks(n.group, `${prefix}${name}.`));
  return [...nested, ...own];
}

/**
 * The value with every default of the group tree filled in: static ones, then derived ones. What a
 * construct does with its props: they were validated once, as settings, so it trusts them.
 */
export function withGroupDefaults<P>(group: RuleGroup<P>, value: P): P {
  const g = group as RuleGroup<unknown>;
  return fillDerivedDefaults(g, deepMerge<Values>(groupDefaults(g), value)) as P;
}
