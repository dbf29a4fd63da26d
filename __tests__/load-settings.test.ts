import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import { SettingsError } from "../stacks/config/problems";
import type { ProcessEnv } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import type { EnvironmentSettings, ProjectDefinition } from "../stacks/config/settings";

const dir = mkdtempSync(join(tmpdir(), "settings-test-"));
let fileCount = 0;

/** Writes an override file and returns the env pointing at it. */
function withFile(content: unknown, env: ProcessEnv = {}): ProcessEnv {
  const path = join(dir, `override-${fileCount++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return { ...env, STACK_CONFIG_FILE: path };
}

function environment(
  name: string,
  env: ProcessEnv = {},
  definition: ProjectDefinition = PROJECT,
): EnvironmentSettings {
  const found = loadSettings(definition, env).environments.find((e) => e.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

/** The problem lines of a failing load, or a test failure when it succeeds. */
function problemsOf(env: ProcessEnv, definition: ProjectDefinition = PROJECT): string[] {
  try {
    loadSettings(definition, env);
  } catch (error) {
    if (error instanceof SettingsError) {
      // Override files are numbered per test; the messages name them by line.
      return error.message
        .split("\n")
        .slice(1)
        .map((l) => l.trim().replace(/override-\d+\.json/g, "overrides.json"));
    }
    throw error;
  }
  throw new Error("expected the settings to be rejected");
}

describe("loadSettings", () => {
  test("resolves the built-in example: three environments with derived AZs and subnet size", () => {
    const settings = loadSettings(PROJECT, {});
    expect(settings.environments.map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
    const dev = environment("dev");
    expect(dev.network).toMatchObject({
      vpcCidr: "10.10.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      subnetPrefixLength: 20,
      natStrategy: "single",
    });
    expect(dev.state).toEqual({ region: "eu-west-1" });
    expect(environment("prod").network.natStrategy).toBe("per-az");
  });

  test("takes the state bucket and region from TF_STATE_BUCKET and TF_STATE_REGION", () => {
    const env = { TF_STATE_BUCKET: "acme-terraform-state", TF_STATE_REGION: "eu-central-1" };
    for (const e of loadSettings(PROJECT, env).environments) {
      expect(e.state).toEqual({ bucket: "acme-terraform-state", region: "eu-central-1" });
    }
  });

  test("applies a STACK_CONFIG_FILE override to its environment only, above code and variables", () => {
    const env = withFile(
      {
        prod: {
          region: "us-east-1",
          network: { flowLogRetentionDays: 731 },
          state: { bucket: "prod-state" },
        },
      },
      { TF_STATE_BUCKET: "shared-state" },
    );
    const prod = environment("prod", env);
    expect(prod.region).toBe("us-east-1");
    expect(prod.network.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(prod.network.flowLogRetentionDays).toBe(731);
    expect(prod.network.vpcCidr).toBe("10.30.0.0/16");
    expect(prod.state).toEqual({ bucket: "prod-state", region: "us-east-1" });
    expect(environment("dev", env).state.bucket).toBe("shared-state");
  });

  test("null in an override file unsets a setting", () => {
    const env = withFile({ dev: { state: { bucket: null } } }, { TF_STATE_BUCKET: "shared-state" });
    expect(environment("dev", env).state.bucket).toBeUndefined();
  });

  test("STACK_ENVIRONMENTS selects environments", () => {
    expect(
      loadSettings(PROJECT, { STACK_ENVIRONMENTS: "prod, dev" }).environments.map((e) => e.name),
    ).toEqual(["dev", "prod"]);
  });

  describe("rejects invalid network settings, naming environment, field, value and what is allowed", () => {
    test.each<[string, unknown, string]>([
      [
        "a malformed CIDR",
        { dev: { network: { vpcCidr: "10.0.0.0/33" } } },
        "[dev] network.vpcCidr: got '10.0.0.0/33' (from overrides.json:1); allowed: an IPv4 network CIDR",
      ],
      [
        "a prefix outside /16-/24",
        { staging: { network: { vpcCidr: "10.0.0.0/26" } } },
        "[staging] network.vpcCidr: got '10.0.0.0/26' (from overrides.json:1); allowed: an IPv4 network CIDR such as \"10.0.0.0/16\" (host bits zero) with a prefix from /16 to /24",
      ],
      [
        "fewer than 2 AZs",
        { prod: { network: { availabilityZones: ["eu-west-1a"] } } },
        "[prod] network.availabilityZones: got [ 'eu-west-1a' ] (from overrides.json:1); allowed: a list of 2 to 3 distinct items, each an availability zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c",
      ],
      [
        "more AZs than the CIDR fits",
        {
          dev: {
            network: {
              vpcCidr: "10.0.0.0/22",
              subnetPrefixLength: 24,
              availabilityZones: ["eu-west-1a", "eu-west-1b"],
            },
          },
        },
        "[dev] network.availabilityZones: got [ 'eu-west-1a', 'eu-west-1b' ] (from overrides.json:1); allowed: at most 1 AZs, because 10.0.0.0/22 split into /24 subnets holds 1 subnet(s) per tier for 3 tiers",
      ],
      [
        "an unknown NAT strategy",
        { dev: { network: { natStrategy: "shared" } } },
        "[dev] network.natStrategy: got 'shared' (from overrides.json:1); allowed: one of 'per-az', 'single', 'none'",
      ],
      [
        "natStrategy none without the endpoints private tasks need",
        {
          prod: { network: { natStrategy: "none", appInternetEgress: [], interfaceEndpoints: ["ecr.api"] } },
        },
        "[prod] network.interfaceEndpoints: got [ 'ecr.api' ] (from overrides.json:1); allowed: a list including ecr.api, ecr.dkr, logs, secretsmanager, sqs when network.natStrategy is \"none\" (missing: ecr.dkr for image pulls, logs for container logs, secretsmanager for the database password, sqs for the workers' queues; about $7.5 a month each per AZ); given network.natStrategy 'none' (from overrides.json:1), database.enabled true (from stacks/config/example-project.ts)",
      ],
      [
        "an interface endpoint that is not offered",
        { dev: { network: { interfaceEndpoints: ["kinesis"] } } },
        "[dev] network.interfaceEndpoints[0]: got 'kinesis' (from overrides.json:1); allowed: one of 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'sqs'",
      ],
      [
        "an AZ of another region",
        { dev: { network: { availabilityZones: ["eu-west-1a", "eu-west-2b"] } } },
        "[dev] network.availabilityZones[1]: got 'eu-west-2b' (from overrides.json:1); allowed: an availability zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c",
      ],
      [
        "an unknown region",
        { dev: { region: "eu-west-9" } },
        "[dev] region: got 'eu-west-9' (from overrides.json:1); allowed: an AWS region name",
      ],
      [
        "a flow-log retention CloudWatch does not offer",
        { dev: { network: { flowLogRetentionDays: 45 } } },
        "[dev] network.flowLogRetentionDays: got 45 (from overrides.json:1); allowed: a CloudWatch Logs retention in days",
      ],
    ])("%s", (_, override, expected) => {
      const problems = problemsOf(withFile(override));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(expected);
    });
  });

  test("reports every problem of every environment in one run", () => {
    const problems = problemsOf(
      withFile({
        dev: { network: { vpcCidr: "bad", natStrategy: "x" } },
        prod: { region: "mars-1", network: { flowLogRetentionDays: 2 } },
      }),
    );
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "[dev] network.vpcCidr",
      "[dev] network.natStrategy",
      "[prod] region",
      "[prod] network.flowLogRetentionDays",
    ]);
  });

  test("skips checks that depend on an invalid setting instead of piling up follow-on errors", () => {
    // An invalid region makes the default AZ names invalid too; only the region is reported.
    expect(problemsOf(withFile({ dev: { region: "nowhere" } }))).toEqual([
      expect.stringContaining("[dev] region:"),
    ]);
  });

  describe("override files", () => {
    test("rejects an unknown setting and lists the known ones", () => {
      expect(problemsOf(withFile({ dev: { network: { natStrategys: "single" } } }))).toEqual([
        expect.stringContaining(
          "[dev] network.natStrategys: got 'single' (from overrides.json:1); allowed: did you mean \"natStrategy\"? A known setting; settings here: vpcCidr, availabilityZones",
        ),
      ]);
    });

    test("rejects an environment that does not exist", () => {
      expect(problemsOf(withFile({ qa: {} }))).toEqual([
        '[config-file] qa: got {}; allowed: an environment name (dev, staging, prod) or "registry"',
      ]);
    });

    test("rejects a scalar where a group of settings belongs", () => {
      expect(problemsOf(withFile({ dev: { network: "10.0.0.0/16" } }))[0]).toContain(
        "[dev] network: got '10.0.0.0/16' (from overrides.json:1); allowed: an object with the settings vpcCidr",
      );
    });

    test("rejects name and preset, which only code may set", () => {
      expect(problemsOf(withFile({ prod: { preset: "dev" } }))[0]).toContain(
        "[prod] preset: got 'dev' (from overrides.json:1); allowed: a known setting",
      );
    });

    test("rejects a file that is missing, not JSON, or not an object", () => {
      expect(problemsOf({ STACK_CONFIG_FILE: join(dir, "missing.json") })[0]).toMatch(
        /^\[config-file\] STACK_CONFIG_FILE: got '.*missing\.json'; allowed: a readable JSON file \(ENOENT\)$/,
      );
      expect(problemsOf(withFile("{ not json"))[0]).toMatch(
        /STACK_CONFIG_FILE: got .*; allowed: valid JSON: InvalidSymbol at line 1, column 3$/,
      );
      expect(problemsOf(withFile("[1]"))[0]).toContain("allowed: a JSON object keyed by environment name");
    });
  });

  test("rejects invalid TF_STATE_BUCKET and unknown STACK_ENVIRONMENTS", () => {
    expect(problemsOf({ TF_STATE_BUCKET: "Not_A_Bucket", STACK_ENVIRONMENTS: "dev,qa" })).toEqual([
      expect.stringContaining(
        "[environment-variables] TF_STATE_BUCKET: got 'Not_A_Bucket'; allowed: an S3 bucket name",
      ),
      expect.stringContaining(
        "[environment-variables] STACK_ENVIRONMENTS: got 'dev,qa'; allowed: a comma-separated list",
      ),
    ]);
  });

  test("rejects duplicate, malformed and reserved environment names", () => {
    const definition: ProjectDefinition = {
      ...PROJECT,
      environments: ["dev", "dev", "Prod_1", "registry"].map(
        (name) => ({ ...PROJECT.environments[0], name }) as never,
      ),
    };
    expect(problemsOf({}, definition)).toEqual([
      "[project] environments[1].name: got 'dev' (from stacks/config/project.ts); allowed: a name no other environment uses",
      expect.stringContaining(
        "[project] environments[2].name: got 'Prod_1' (from stacks/config/project.ts); allowed: 2-16 lowercase letters",
      ),
      expect.stringContaining(
        "[project] environments[3].name: got 'registry' (from stacks/config/project.ts); allowed: 2-16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, other than registry",
      ),
    ]);
  });
});
