/**
 * The container definition of the service's task, as plain data: written the way the ECS API
 * returns it (essential, hostPort, protocol, cpu 0, empty lists), so a second plan shows no diff.
 */
import type { ContainerHealthCheck } from "../model/health-check";
import { CONTAINER_NAME, SCRATCH_VOLUME } from "../model/fargate-service";

export interface ContainerDefinitionInput {
  /** `<repository url>:<tag>`; may hold references. */
  readonly image: string;
  /** The port the service's container listens on; one-off tasks have none. */
  readonly containerPort?: number;
  /**
   * Name of the port mapping, which Service Connect publishes (an internal workload's, speaking HTTP).
   *
   * @default - an unnamed mapping
   */
  readonly portName?: string;
  readonly user: string;
  /** A writable root filesystem only while ECS Exec needs one. */
  readonly readonlyRootFilesystem: boolean;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** The service's container health check; one-off tasks have none. */
  readonly healthCheck?: ContainerHealthCheck;
  readonly stopTimeoutSeconds: number;
  readonly logGroupName: string;
  readonly region: string;
  /** Replaces the image's CMD when not empty. */
  readonly command: readonly string[];
  /** Replaces the image's ENTRYPOINT when not empty. */
  readonly entryPoint: readonly string[];
  /** Prefix of the log streams. @default "app" (the container name) */
  readonly logStreamPrefix?: string;
}

/** The one container of the task, with variables and secrets sorted by name. */
export function containerDefinition(input: ContainerDefinitionInput): Record<string, unknown> {
  const sorted = (map: Readonly<Record<string, string>>) => Object.keys(map).sort();
  return {
    name: CONTAINER_NAME,
    image: input.image,
    essential: true,
    cpu: 0,
    ...(input.entryPoint.length > 0 ? { entryPoint: [...input.entryPoint] } : {}),
    ...(input.command.length > 0 ? { command: [...input.command] } : {}),
    user: input.user,
    readonlyRootFilesystem: input.readonlyRootFilesystem,
    portMappings:
      input.containerPort === undefined
        ? []
        : [
            {
              ...(input.portName === undefined ? {} : { name: input.portName, appProtocol: "http" }),
              containerPort: input.containerPort,
              hostPort: input.containerPort,
              protocol: "tcp",
            },
          ],
    environment: sorted(input.environment).map((name) => ({ name, value: input.environment[name] })),
    ...(Object.keys(input.secrets).length > 0
      ? { secrets: sorted(input.secrets).map((name) => ({ name, valueFrom: input.secrets[name] })) }
      : {}),
    mountPoints: [
      { sourceVolume: SCRATCH_VOLUME.name, containerPath: SCRATCH_VOLUME.containerPath, readOnly: false },
    ],
    volumesFrom: [],
    systemControls: [],
    ...(input.healthCheck === undefined
      ? {}
      : {
          healthCheck: {
            command: [...input.healthCheck.command],
            interval: input.healthCheck.intervalSeconds,
            timeout: input.healthCheck.timeoutSeconds,
            retries: input.healthCheck.retries,
            startPeriod: input.healthCheck.startPeriodSeconds,
          },
        }),
    stopTimeout: input.stopTimeoutSeconds,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": input.logGroupName,
        "awslogs-region": input.region,
        "awslogs-stream-prefix": input.logStreamPrefix ?? CONTAINER_NAME,
      },
    },
  };
}
