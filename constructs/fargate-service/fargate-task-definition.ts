/**
 * The Fargate task definition every task of the project runs (service, workloads, one-off tasks):
 * one hardened container, awsvpc networking, a scratch volume for /tmp, and the accepted findings
 * that come with it.
 */
import type { Construct } from "constructs";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { CpuArchitecture } from "../model/fargate-service";
import { SCRATCH_VOLUME } from "../model/fargate-service";
import { jsonencode } from "../model/json-encode";
import { acceptFindings } from "../support/accepted-findings";
import { containerDefinition } from "./task-definition";
import type { ContainerDefinitionInput } from "./task-definition";

export interface FargateTaskDefinitionInput {
  readonly family: string;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: CpuArchitecture;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly container: ContainerDefinitionInput;
}

export function addFargateTaskDefinition(
  scope: Construct,
  id: string,
  input: FargateTaskDefinitionInput,
): EcsTaskDefinition {
  const definition = new EcsTaskDefinition(scope, id, {
    family: input.family,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: String(input.cpu),
    memory: String(input.memory),
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: input.cpuArchitecture },
    executionRoleArn: input.executionRoleArn,
    taskRoleArn: input.taskRoleArn,
    volume: [{ name: SCRATCH_VOLUME.name }],
    containerDefinitions: jsonencode([containerDefinition(input.container)]),
  });
  acceptFindings(definition, "plainEnvironment");
  // ECS Exec needs a writable root filesystem.
  if (!input.container.readonlyRootFilesystem) acceptFindings(definition, "execWritableRoot");
  return definition;
}
