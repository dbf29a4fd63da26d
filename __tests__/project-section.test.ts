import { loadSettings } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { AWS_PROVIDER_VERSIONS, VERSION_CONSTRAINT } from "../stacks/config/settings";
import { overrideFile, problemsOf } from "./support/settings";

describe("the override file's project section", () => {
  test("renames the project and its repository tag, and replaces the environments", () => {
    const project = loadSettings(
      PROJECT,
      overrideFile({
        project: {
          name: "payments",
          repository: "github.com/acme/payments",
          environments: { qa: "staging", live: "prod" },
        },
        qa: { network: { appInternetEgress: ["0.0.0.0/0"] }, edge: { certificateArn: CERTIFICATE } },
        live: {
          accountId: "123456789012",
          network: { appInternetEgress: ["0.0.0.0/0"] },
          alarms: { subscriptions: [{ protocol: "email", endpoint: "oncall@acme.example" }] },
          edge: { certificateArn: CERTIFICATE },
        },
      }),
    );
    expect([project.project, project.repository, project.registry.repositoryName]).toEqual([
      "payments",
      "github.com/acme/payments",
      "payments",
    ]);
    expect(project.environments.map((e) => [e.name, e.preset, e.namePrefix])).toEqual([
      ["qa", "staging", "payments-qa"],
      ["live", "prod", "payments-live"],
    ]);
    // Nothing of stacks/config/project.ts's environments comes along: no example domain.
    expect(project.environments.map((e) => e.edge.domainName)).toEqual([undefined, undefined]);
  });

  test("narrows the AWS provider versions the stacks accept, and refuses what is not a version constraint", () => {
    expect(loadSettings(PROJECT, {}).awsProviderVersion).toBe(AWS_PROVIDER_VERSIONS);
    expect(
      loadSettings(PROJECT, overrideFile({ project: { awsProviderVersion: "~> 6.25" } })).awsProviderVersion,
    ).toBe("~> 6.25");
    expect(problemsOf(overrideFile({ project: { awsProviderVersion: "six" } }))).toEqual([
      expect.objectContaining({
        field: "project.awsProviderVersion",
        value: "six",
        allowed: VERSION_CONSTRAINT.allowed,
      }),
    ]);
  });

  test("reports each problem of the section with its line in the file", () => {
    const text = [
      "{",
      '  "project": {',
      '    "name": "Payments",',
      '    "title": "x",',
      '    "environments": { "qa": "test", "registry": "dev" }',
      "  }",
      "}",
    ].join("\n");
    const problems = problemsOf(overrideFile(text)).filter((p) => p.field.startsWith("project"));
    expect(problems.map((p) => [p.field, p.value, p.source?.replace(/^.*:/, "line ")])).toEqual([
      ["project.title", "x", "line 4"],
      ["project.name", "Payments", "line 3"],
      ["project.environments.qa", "test", "line 5"],
      ["project.environments.registry", "registry", "line 5"],
    ]);
    expect(problems.every((p) => p.scope === "config-file")).toBe(true);
  });

  test("refuses an empty environment list", () => {
    expect(problemsOf(overrideFile({ project: { environments: {} } }))).toEqual([
      expect.objectContaining({
        field: "project.environments",
        allowed: expect.stringContaining("at least one"),
      }),
    ]);
  });

  test("leaves stacks/config/project.ts as it is when the file has no project section", () => {
    const project = loadSettings(PROJECT, overrideFile({ dev: { tags: { team: "x" } } }));
    expect(project.project).toBe(PROJECT.project);
    expect(project.environments.map((e) => e.name)).toEqual(PROJECT.environments.map((e) => e.name));
  });
});

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234";

describe("a problem of a check across settings", () => {
  test("says what the other settings were and where they came from, when inherited", () => {
    const [problem, ...others] = problemsOf(overrideFile({ dev: { edge: { domainName: "api.acme.com" } } }));
    expect(others).toEqual([]);
    expect(problem).toMatchObject({
      field: "edge.domainName",
      source: expect.stringMatching(/^override-\d+\.json:1$/),
      context: "edge.hostedZoneName 'dev.example.com' (from stacks/config/example-project.ts)",
    });
  });
});
