/**
 * The security catalog over every synthesized stack, for several configurations: for each rule,
 * the findings must be exactly the ones the stacks accept (each recorded on its resource by the
 * construct that decided, see constructs/model/accepted-findings.ts) for that
 * configuration. A finding no exception accepts fails, and so does an accepted finding that no
 * longer occurs.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import type { ProcessEnv } from "../stacks/config/load";
import { EXAMPLE_PROJECT } from "../stacks/config/example-project";
import { PROJECT } from "../stacks/config/project";
import { REGISTRY_STACK_NAME } from "../stacks/config/settings";
import type { ProjectDefinition } from "../stacks/config/settings";
import type { ProjectSettings } from "../stacks/config/settings";
import { synthesizeProject } from "../stacks/app/synthesize";
import { POLICY_RULES, ruleFor } from "../.ci/policy/catalog";
import { POLICY_EXCEPTIONS, acceptedFindings, resourcesAccepting } from "../.ci/policy/exceptions";
import { ruleFindings } from "../.ci/policy/findings";
import { readStacks as readStackViews } from "../.ci/policy/stack-view";
import type { StackView } from "../.ci/policy/stack-view";
import { inUseEnv } from "./support/settings";
import { shared } from "./support/shared-synth";

interface Synthesized {
  readonly project: ProjectSettings;
  readonly stacks: StackView[];
}

/** Synthesizes the project (with "//" metadata, as cdktf.out holds it) and reads every stack. */
function synthesized(env: ProcessEnv, definition: ProjectDefinition = EXAMPLE_PROJECT): Synthesized {
  const project = loadSettings(definition, env);
  // The jest run's shared npm run synth wrote project.ts's definition with no settings variables.
  if (definition === PROJECT && Object.keys(env).length === 0) {
    return readStacks(project, shared("synth").outdir);
  }
  const outdir = join(mkdtempSync(join(tmpdir(), "policy-")), "out");
  synthesizeProject(project, outdir);
  return readStacks(project, outdir);
}

function readStacks(project: ProjectSettings, outdir: string): Synthesized {
  return { project, stacks: readStackViews(outdir) };
}

/** The built-in example changed by these overrides (written to a file, as a user would). */
function withOverrides(overrides: object, env: ProcessEnv = {}): Synthesized {
  const file = join(mkdtempSync(join(tmpdir(), "policy-")), "overrides.json");
  writeFileSync(file, JSON.stringify(overrides));
  return synthesized({ ...env, STACK_CONFIG_FILE: file });
}

/** What npm run synth would use here. */
const IN_USE: ProcessEnv = inUseEnv();

const everyEnvironment = (settings: object) => ({ dev: settings, staging: settings, prod: settings });

const ALL_FEATURES = "every optional feature on (stacks/config/examples/all-features.json)";

/** Whether the configuration in use is the built-in example (no override file, project.ts unchanged). */
const IN_USE_IS_EXAMPLE = Object.keys(IN_USE).length === 0 && PROJECT === EXAMPLE_PROJECT;

/**
 * The configuration in use (stacks/config/project.ts with STACK_CONFIG_FILE), the built-in
 * example when that is something else, the example with every optional feature on, and the
 * leanest network with no redirect.
 */
const CONFIGURATIONS: Record<string, Synthesized> = {
  [IN_USE_IS_EXAMPLE
    ? "the built-in configuration"
    : `the configuration in use (stacks/config/project.ts${Object.entries(IN_USE)
        .map(([k, v]) => `, ${k}=${v}`)
        .join("")})`]: synthesized(IN_USE, PROJECT),
  ...(IN_USE_IS_EXAMPLE ? {} : { "the built-in configuration": synthesized({}) }),
  [ALL_FEATURES]: synthesized({
    STACK_CONFIG_FILE: join(__dirname, "..", "stacks", "config", "examples", "all-features.json"),
  }),
  // No protected release tags: dev and staging only, since prod deploys release tags only.
  "no NAT, no HTTP redirect, no IPv6, a cache tier, a year of logs, no HSTS, no domain name, no protected release tags, PostgreSQL, a worker and no job (dev and staging)":
    withOverrides(
      {
        registry: { protectedTagPatterns: [] },
        ...everyEnvironment({
          network: {
            natStrategy: "none",
            appInternetEgress: [],
            interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"],
            flowLogRetentionDays: 365,
          },
          cache: { enabled: true },
          database: { enabled: true },
          // No job: the exceptions a job brings are off here.
          workloads: { "nightly-report": null },
          service: {
            logRetentionDays: 365,
            environment: { LOG_LEVEL: null },
            oneOffTasks: { migrate: ["python", "manage.py", "migrate"] },
          },
          edge: {
            httpRedirect: false,
            ipv6: false,
            deletionProtection: true,
            accessLogs: true,
            hstsMaxAgeSeconds: 0,
            domainName: null,
            hostedZoneName: null,
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234",
          },
        }),
      },
      { STACK_ENVIRONMENTS: "dev,staging" },
    ),
};

describe.each(Object.entries(CONFIGURATIONS))("security policy with %s", (_, { project, stacks }) => {
  test("covers the registry and every environment", () => {
    expect(stacks.map((s) => s.stack).sort()).toEqual(
      [REGISTRY_STACK_NAME, ...project.environments.map((e) => e.name)].sort(),
    );
    expect(stacks.length).toBeGreaterThanOrEqual(2);
  });

  test.each(POLICY_RULES.map((rule) => [`${rule.ids.join("/")}: ${rule.title}`, rule] as const))(
    "%s",
    (_title, rule) => {
      expect(ruleFindings(rule, stacks)).toEqual(acceptedFindings(stacks, rule.ids));
    },
  );
});

describe("the configurations between them", () => {
  const all = Object.values(CONFIGURATIONS);

  const environments = all.flatMap(({ stacks }) => stacks.filter((s) => s.stack !== REGISTRY_STACK_NAME));

  test("switch off every conditional exception at least once", () => {
    const neverOff = POLICY_EXCEPTIONS.filter((exception) =>
      environments.every((stack) => resourcesAccepting(stack, exception.id).length > 0),
    ).map((e) => e.condition);
    expect(neverOff.filter((condition) => !condition.startsWith("always"))).toEqual([]);
  });

  test("make every exception occur at least once", () => {
    const unused = POLICY_EXCEPTIONS.filter((exception) =>
      all.every(({ stacks }) => stacks.every((s) => resourcesAccepting(s, exception.id).length === 0)),
    ).map((e) => e.rules.join(", "));
    expect(unused).toEqual([]);
  });

  test("the access-log bucket passes its own checks when access logs are on", () => {
    const { stacks } = CONFIGURATIONS[ALL_FEATURES] as Synthesized;
    for (const id of [
      "CKV2_AWS_6",
      "CKV_AWS_21",
      "CKV2_AWS_61",
      "CKV_AWS_300",
      "CKV_AWS_19",
      "PROJECT-S3-TLS-ONLY",
    ]) {
      const rule = ruleFor(id);
      expect([id, rule !== undefined && ruleFindings(rule, stacks)]).toEqual([id, []]);
    }
  });
});

describe("the exceptions", () => {
  const knownIds = new Set(POLICY_RULES.flatMap((r) => r.ids));

  test.each(POLICY_EXCEPTIONS.map((e) => [e.rules.join(", "), e] as const))(
    "%s names known rules, a condition and why",
    (_rules, exception) => {
      exception.rules.forEach((r) => expect([r, knownIds.has(r)]).toEqual([r, true]));
      expect(exception.condition.length).toBeGreaterThan(5);
      expect(exception.why.length).toBeGreaterThan(40);
    },
  );

  test("stay short: few unconditional entries, the rest tied to an optional feature or a cheaper environment", () => {
    // Each opt-out setting (HSTS, protected tags, the Host 404, alarms off, a single-AZ
    // database...) brings its own conditional entry; the unconditional ones are the public API,
    // key policies, the empty environment list, the log-stream wildcards and the database port.
    const unconditional = POLICY_EXCEPTIONS.filter((e) => e.condition.startsWith("always"));
    expect(unconditional.length).toBeLessThanOrEqual(6);
    expect(POLICY_EXCEPTIONS.length).toBeLessThanOrEqual(32);
  });
});
