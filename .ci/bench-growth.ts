// Synthesizes the registry plus N environments that copy the dev settings (separate VPC CIDRs),
// for npm run bench's growth measurement, the way the app runs (bundled).
// Usage: CDKTF_OUTDIR=<dir> node dist/bench-growth.js <N>
import { loadSettings } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import type { ProjectDefinition } from "../stacks/config/settings";
import { synthesizeProject } from "../stacks/app/synthesize";

const count = Number(process.argv[2]);
const dev = PROJECT.environments.find((e) => e.name === "dev");
if (!dev || !Number.isInteger(count) || count < 1 || count > 200) {
  throw new Error("usage: bench-growth <number of environments, 1-200>");
}
const definition: ProjectDefinition = {
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
