import "cdktf/lib/testing/adapters/jest";
import { ref, resources } from "./support/synth";
import { build, roleStatements } from "./support/fargate-service";

const UPLOADS = {
  sid: "ReadUploads",
  actions: ["s3:GetObject"],
  resources: ["arn:aws:s3:::orders-api-uploads/*"],
  conditions: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }],
};

describe("FargateService, the application's own settings", () => {
  test("runs the image's own command and entry point unless told otherwise", () => {
    const { container } = build();
    expect(container).not.toHaveProperty("command");
    expect(container).not.toHaveProperty("entryPoint");
    const custom = build({
      command: ["gunicorn", "app:wsgi"],
      entryPoint: ["/usr/bin/tini", "--"],
    }).container;
    expect([custom.command, custom.entryPoint]).toEqual([
      ["gunicorn", "app:wsgi"],
      ["/usr/bin/tini", "--"],
    ]);
  });

  test("gives the task role the team's statements in a policy of their own, beside the project's", () => {
    const { service, json } = build({ taskRoleStatements: [UPLOADS], enableExecuteCommand: true });
    const statements = roleStatements(json, ref(service.taskRole));
    expect(statements).toContainEqual({
      sid: "ReadUploads",
      effect: "Allow",
      actions: ["s3:GetObject"],
      resources: ["arn:aws:s3:::orders-api-uploads/*"],
      condition: UPLOADS.conditions,
    });
    expect(statements.some((s) => s.sid === "EcsExecChannels")).toBe(true);
    const names = Object.values(resources(json, "aws_iam_role_policy")).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["application", "ecs-exec"]));
  });

  test("attaches managed policies to the task role only, one attachment each with a stable name", () => {
    const arns = [
      "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
      "arn:aws:iam::123456789012:policy/team/reporting",
    ];
    const { service, json } = build({ taskRoleManagedPolicyArns: arns });
    const attachments = resources(json, "aws_iam_role_policy_attachment");
    const byName = Object.entries(attachments)
      .map(([k, a]) => [k.replace(/_[0-9A-F]{8}$/, ""), a.role, a.policy_arn])
      .sort();
    expect(byName).toEqual([
      ["service_task_role_managed_123456789012_team_reporting", ref(service.taskRole, "name"), arns[1]],
      ["service_task_role_managed_aws_AmazonSQSReadOnlyAccess", ref(service.taskRole, "name"), arns[0]],
    ]);
  });

  test("refuses service-wide actions, Resource * and AWS's broadest policies unless acknowledged", () => {
    const broad = { actions: ["s3:*"], resources: ["*"] };
    expect(() => build({ taskRoleStatements: [UPLOADS, broad] })).toThrow(
      /taskRoleStatements\[1\]: got .*; allowed: named actions and resources: s3:\* grants every action .*; \* is as broad as "\*" .*; or taskRoleBroadAccessAcknowledged: true/,
    );
    expect(() =>
      build({ taskRoleManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
    ).toThrow(/taskRoleManagedPolicyArns\[0\]: got 'arn:aws:iam::aws:policy\/AdministratorAccess'/);
    expect(() => build({ taskRoleStatements: [broad], taskRoleBroadAccessAcknowledged: true })).not.toThrow();
  });

  test("refuses malformed statements, arguments and policy ARNs", () => {
    expect(() => build({ taskRoleStatements: [{ actions: ["GetObject"], resources: ["bucket"] }] })).toThrow(
      /taskRoleStatements\[0\]: got .*; allowed: a statement/,
    );
    expect(() => build({ command: ["ok", ""] })).toThrow(/command\[1\]: got ''; allowed: a non-empty string/);
    expect(() => build({ taskRoleManagedPolicyArns: ["AmazonS3ReadOnlyAccess"] })).toThrow(
      /taskRoleManagedPolicyArns\[0\]: got 'AmazonS3ReadOnlyAccess'; allowed: an IAM managed policy ARN/,
    );
  });
});
