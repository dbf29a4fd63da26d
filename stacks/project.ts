/**
 * The built-in example configuration: three environments of one HTTP API. Edit this file (or
 * override from outside with STACK_CONFIG_FILE) to describe your own service.
 */
import type { ProjectDefinition } from "./settings";

export const PROJECT: ProjectDefinition = {
  project: "orders-api",
  repository: "github.com/example/orders-api",
  environments: [
    {
      name: "dev",
      preset: "dev",
      overrides: { region: "eu-west-1", network: { vpcCidr: "10.10.0.0/16" } },
    },
    {
      name: "staging",
      preset: "staging",
      overrides: { region: "eu-west-1", network: { vpcCidr: "10.20.0.0/16" } },
    },
    {
      name: "prod",
      preset: "prod",
      overrides: { region: "eu-west-1", network: { vpcCidr: "10.30.0.0/16" } },
    },
  ],
};
