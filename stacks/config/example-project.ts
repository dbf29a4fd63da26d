/**
 * The built-in example: one HTTP API with a queue worker and a nightly job, in three environments, each with its own domain in its own
 * hosted zone. The tests that are about the example build this definition; stacks/config/project.ts
 * says which definition the project uses (this one until you replace it).
 */
import type { ProjectDefinition } from "./settings";

/**
 * The example's tasks reach AWS APIs (ECR, CloudWatch Logs) through NAT, so they may open HTTPS
 * connections to any address. To narrow it, list CIDRs or prefix lists instead and add the
 * interface endpoints the tasks then need (network.interfaceEndpoints).
 */
const ANY_HTTPS = ["0.0.0.0/0"];

/** The example service keeps its data in PostgreSQL and Redis. */
const DATA_TIER = { database: { enabled: true }, cache: { enabled: true } };

/** Migrations run as a one-off task at the image tag about to be deployed, before the service rolls out. */
const ONE_OFF_TASKS = { migrate: ["python", "manage.py", "migrate", "--no-input"] };

/**
 * Beside the API: a worker that handles order events from its queue (and writes to the database),
 * and a nightly report job. Both run the API's image with their own command.
 */
const WORKLOADS = {
  "order-events": {
    kind: "worker",
    command: ["python", "-m", "orders.worker"],
    dataAccess: ["database"],
  },
  "nightly-report": {
    kind: "job",
    schedule: "cron(0 3 * * ? *)",
    command: ["python", "-m", "orders.report"],
    dataAccess: ["database"],
  },
} as const;

export const EXAMPLE_PROJECT: ProjectDefinition = {
  project: "orders-api",
  repository: "github.com/example/orders-api",
  registry: { region: "eu-west-1" },
  environments: [
    {
      name: "dev",
      preset: "dev",
      overrides: {
        region: "eu-west-1",
        network: { vpcCidr: "10.10.0.0/16", appInternetEgress: ANY_HTTPS },
        service: { environment: { LOG_LEVEL: "debug" }, oneOffTasks: ONE_OFF_TASKS },
        ...DATA_TIER,
        workloads: WORKLOADS,
        edge: { domainName: "api.dev.example.com", hostedZoneName: "dev.example.com" },
      },
    },
    {
      name: "staging",
      preset: "staging",
      overrides: {
        region: "eu-west-1",
        network: { vpcCidr: "10.20.0.0/16", appInternetEgress: ANY_HTTPS },
        service: { environment: { LOG_LEVEL: "info" }, oneOffTasks: ONE_OFF_TASKS },
        ...DATA_TIER,
        workloads: WORKLOADS,
        edge: { domainName: "api.staging.example.com", hostedZoneName: "staging.example.com" },
      },
    },
    {
      name: "prod",
      preset: "prod",
      overrides: {
        // A placeholder: put the account prod deploys to here (a prod invariant requires one).
        accountId: "123456789012",
        region: "eu-west-1",
        network: { vpcCidr: "10.30.0.0/16", appInternetEgress: ANY_HTTPS },
        service: { environment: { LOG_LEVEL: "info" }, oneOffTasks: ONE_OFF_TASKS },
        ...DATA_TIER,
        workloads: WORKLOADS,
        edge: { domainName: "api.example.com", hostedZoneName: "example.com" },
        // A placeholder: who is paged when a prod alarm fires (email, or an HTTPS endpoint).
        alarms: { subscriptions: [{ protocol: "email", endpoint: "oncall@example.com" }] },
      },
    },
  ],
};
