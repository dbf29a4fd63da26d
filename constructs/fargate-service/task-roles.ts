/**
 * The IAM roles ECS tasks run with: only this account's ECS tasks may assume one, and its inline
 * policy holds exactly the statements it is given. Shared by the service and the workloads.
 */
import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { forPolicyDocument, serviceTrustStatement, usesWildcard } from "../model/iam";
import type { PolicyStatement } from "../model/iam";
import { acceptFindings } from "../support/accepted-findings";

export interface TaskRoleInput {
  /** Construct id of the role; its trust policy is `<id>_trust_policy`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The inline policy: its construct ids, its name and its statements (none: no policy). */
  readonly policy: {
    readonly id: string;
    readonly documentId: string;
    readonly name: string;
    readonly statements: readonly PolicyStatement[];
  };
}

/** A role only this account's ECS tasks in this region can assume, with its inline policy. */
export function addTaskRole(scope: Construct, input: TaskRoleInput): IamRole {
  const { partition, region, accountId, policy } = input;
  const role = new IamRole(scope, input.id, {
    name: input.name,
    description: input.description,
    assumeRolePolicy: new DataAwsIamPolicyDocument(scope, `${input.id}_trust_policy`, {
      statement: forPolicyDocument([
        serviceTrustStatement({
          service: "ecs-tasks.amazonaws.com",
          accountId,
          sourceArnLike: `arn:${partition}:ecs:${region}:${accountId}:*`,
        }),
      ]),
    }).json,
  });
  if (policy.statements.length > 0) {
    const document = new DataAwsIamPolicyDocument(scope, policy.documentId, {
      statement: forPolicyDocument([...policy.statements]),
    });
    // Roles that write log streams name them with a wildcard: a stream's name is known only when a task starts.
    if (
      policy.statements.some((st) => usesWildcard({ actions: st.actions, resources: st.resources ?? [] }))
    ) {
      acceptFindings(document, "logStreamWildcard");
    }
    new IamRolePolicy(scope, policy.id, { name: policy.name, role: role.id, policy: document.json });
  }
  return role;
}
