// Synthesizes the registry plus N environments that copy the dev settings (separate VPC CIDRs),
// or the registry plus dev with N workloads (alternately workers and jobs), for npm run bench's
// growth measurements, the way the app runs (bundled).
// Usage: CDKTF_OUTDIR=<dir> node dist/bench-growth.js <N> [--workloads]
import { loadSettings } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import type { EnvironmentOverrides, ProjectDefinition } from "../stacks/config/settings";
import { synthesizeProject } from "../stacks/app/synthesize";

const count = Number(process.argv[2]);
const workloads = process.argv[3] === "--workloads";
const dev = PROJECT.environments.find((e) => e.name === "dev");
if (!dev || !Number.isInteger(count) || count < 1 || count > 200) {
  throw new Error("usage: bench-growth <number of environments, or of workloads with --workloads, 1-200>");
}

/** N workloads: even ones workers, odd ones jobs, all with database access like the example's. */
function manyWorkloads(n: number): EnvironmentOverrides["workloads"] {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `workload-${i + 1}`,
      i % 2 === 0
        ? { kind: "worker", command: ["python", "-m", "worker"], dataAccess: ["database"] }
        : {
            kind: "job",
            schedule: "rate(1 hour)",
            command: ["python", "-m", "job"],
            dataAccess: ["database"],
          },
    ]),
  );
}

const definition: ProjectDefinition = workloads
  ? {
      ...PROJECT,
      environments: [{ ...dev, overrides: { ...dev.overrides, workloads: manyWorkloads(count) } }],
    }
  : {
      ...PROJECT,
      environments: Array.from({ length: count }, (_, i) => ({
        ...dev,
        name: `dev${i + 1}`,
        overrides: {
          ...dev.overrides,
          network: { ...dev.overrides?.network, vpcCidr: `10.${(i + 1) % 256}.0.0/16` },
        },
      })),
    };
synthesizeProject(loadSettings(definition, {}), process.env.CDKTF_OUTDIR ?? "cdktf.out");
