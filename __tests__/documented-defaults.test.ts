/**
 * A default is declared once, in a rule; the `@default` a props interface documents must say the
 * same. This reads the interfaces' doc comments and compares every literal `@default` with the
 * rule's static default (a `@default - words` describes a derived default and is not compared).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SERVICE_RULES } from "../constructs/model/fargate-service";
import { KMS_KEY_RULES } from "../constructs/model/iam";
import { LOAD_BALANCER_PROPS_RULES } from "../constructs/load-balancer";
import { NETWORK_RULES } from "../constructs/model/network";
import type { PropRules } from "../constructs/model/props";
import { staticDefaults } from "../constructs/model/props";
import { REGISTRY_RULES } from "../constructs/model/registry";

/** `prop → @default text` of the members of one interface in a source file. */
function documentedDefaults(file: string, name: string): Map<string, string> {
  const source = readFileSync(join(__dirname, "..", file), "utf8");
  const start = source.indexOf(`export interface ${name} `);
  if (start < 0) throw new Error(`${file} has no interface ${name}`);
  const body = source.slice(start, source.indexOf("\n}\n", start));
  const documented = new Map<string, string>();
  for (const member of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\?:/g)) {
    const found = /@default (.+?)\s*(?:\*\/|\n|$)/.exec(member[1] as string);
    if (found) documented.set(member[2] as string, (found[1] as string).trim());
  }
  return documented;
}

const INTERFACES: Array<[string, string, PropRules<never>]> = [
  ["constructs/model/fargate-service.ts", "ServiceOptions", SERVICE_RULES as PropRules<never>],
  ["constructs/load-balancer.ts", "LoadBalancerProps", LOAD_BALANCER_PROPS_RULES as PropRules<never>],
  ["constructs/network.ts", "NetworkProps", NETWORK_RULES as PropRules<never>],
  ["constructs/model/registry.ts", "RegistryOptions", REGISTRY_RULES as PropRules<never>],
  ["constructs/kms-key.ts", "KmsKeyProps", KMS_KEY_RULES as PropRules<never>],
];

describe.each(INTERFACES)("%s %s", (file, name, rules) => {
  const documented = documentedDefaults(file, name);
  const defaults = staticDefaults(rules) as Record<string, unknown>;

  test("documents every static default of its rules, with the same value", () => {
    const mismatches = Object.entries(defaults)
      .filter(([prop]) => documented.has(prop) || prop in rules)
      .flatMap(([prop, value]) => {
        const text = documented.get(prop);
        if (text === undefined) return [`${prop}: no @default (the rule says ${JSON.stringify(value)})`];
        if (text.startsWith("-")) return [];
        return JSON.stringify(JSON.parse(text)) === JSON.stringify(value)
          ? []
          : [`${prop}: documented ${text}, the rule says ${JSON.stringify(value)}`];
      });
    expect(mismatches).toEqual([]);
  });

  test("documents no literal default its rules do not have", () => {
    const extra = [...documented]
      .filter(([prop, text]) => !text.startsWith("-") && !(prop in defaults))
      .map(([prop, text]) => `${prop}: @default ${text}`);
    expect(extra).toEqual([]);
  });
});
