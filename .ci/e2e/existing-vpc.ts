/**
 * The existing-VPC mode, deployed: a network another team owns is made in the emulator (three
 * tiers over two AZs, one private subnet on its own NAT route table and one on the VPC's main
 * table), dev is synthesized into it with network.existingVpc and applied with plain Terraform;
 * the second plan is empty; destroy removes the stack's resources and leaves that network exactly
 * as it was.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepMerge } from "../../constructs/model/merge";
import type { Context, Emulator, StackReport } from "./context";
import { PROJECT_DIR, secondPlan } from "./context";
import { emulatorTool, inventory } from "./emulator";
import { CheckFailed, mustSucceed, runStep } from "./process";
import { checkWorkloads } from "./workload-checks";

/** The owner's Name tag on everything of the network: never a stack's name, so no stack claims it. */
const NETWORK_NAME = "network-team-e2e";
const NETWORK_CIDR = "10.60.0.0/16";
const STACK = "dev";

/** What the emulator holds of the owner's network (by id), to compare before and after. */
function networkInventory(ctx: Context, emulator: Emulator, vpcId: string, subnetIds: string[]): string[] {
  return inventory(ctx, emulator)
    .filter((item) => item.tags.Owner === "network-team" || item.id === vpcId || subnetIds.includes(item.id))
    .map((item) => `${item.kind} ${item.id}`)
    .sort();
}

export async function existingVpcRun(
  ctx: Context,
  emulator: Emulator,
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<StackReport> {
  const report: StackReport = { path: "cdktf", stack: `${STACK}-in-existing-vpc`, seconds: {}, notes: [] };
  const log = (name: string) => join(ctx.work, "logs", `existing-vpc-${name}.log`);
  const region = ctx.settings.environments.find((e) => e.name === STACK)?.region ?? "eu-west-1";
  const network = JSON.parse(
    emulatorTool(ctx, emulator, [
      "create-network",
      "--region",
      region,
      "--name",
      NETWORK_NAME,
      "--cidr",
      NETWORK_CIDR,
    ]),
  ) as { vpcId: string } & Record<string, Record<string, string>>;
  const subnetIds = ["publicSubnets", "privateSubnets", "isolatedSubnets"].flatMap((t) =>
    Object.values(network[t] ?? {}),
  );
  const before = networkInventory(ctx, emulator, network.vpcId, subnetIds);

  const overrides = deepMerge(JSON.parse(readFileSync(ctx.overrideFile, "utf8")) as Record<string, unknown>, {
    [STACK]: { network: { existingVpc: network }, workloads: extraWorkloads(ctx) },
  });
  const overrideFile = join(ctx.work, "existing-vpc-overrides.json");
  writeFileSync(overrideFile, JSON.stringify(overrides, null, 2));
  const outdir = join(ctx.work, "existing-vpc", "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  const runEnv = {
    ...env,
    STACK_CONFIG_FILE: overrideFile,
    CDKTF_OUTDIR: outdir,
    STACK_ENVIRONMENTS: STACK,
    TF_VAR_image_tag: ctx.imageTag,
  };
  await mustSucceed(
    "synth with network.existingVpc",
    ["node", join(PROJECT_DIR, "stacks", "app", "launch.js")],
    { cwd: dir, env: runEnv, log: log("synth") },
  );
  const stackDir = join(outdir, "stacks", STACK);
  const terraform = (args: string[], name: string) =>
    mustSucceed(
      `terraform ${args[0] ?? ""} (${STACK} in an existing VPC)`,
      [ctx.terraform, ...args, "-input=false", "-no-color"],
      {
        cwd: stackDir,
        env: runEnv,
        log: log(name),
      },
    );
  await refusedAtPlan(ctx, dir, runEnv, network, log);
  await terraform(["init"], "init");
  const applied = await terraform(["apply", "-auto-approve"], "apply");
  report.seconds.apply = applied.seconds;
  await secondPlan(ctx, runEnv, stackDir, report);
  checkWorkloads(ctx, emulator, runEnv, STACK, stackDir, report);
  const destroyed = await terraform(["destroy", "-auto-approve"], "destroy");
  report.seconds.destroy = destroyed.seconds;

  const after = networkInventory(ctx, emulator, network.vpcId, subnetIds);
  const changed = [...before.filter((i) => !after.includes(i)), ...after.filter((i) => !before.includes(i))];
  if (changed.length > 0) {
    throw new CheckFailed(`${report.stack}: the owner's network changed:\n  ${changed.join("\n  ")}`);
  }
  // What the stack created is gone: checkNothingLeft counts it with dev's at the end of the path.
  report.destroy = "destroyed";
  report.notes.push(
    `a plan with two subnets under each other's AZ was refused before anything was created; deployed into an existing VPC (${network.vpcId}, ${subnetIds.length} subnets of its owner) with network.existingVpc: subnets, AZs and routes out checked at plan, ${before.length} resources of the owner's network unchanged after apply and destroy`,
  );
  emulatorTool(ctx, emulator, ["delete-network", "--region", region, "--name", NETWORK_NAME]);
  return report;
}

/**
 * The plan refuses a network that is not what the settings say: with the private subnets'
 * availability zones swapped, `terraform plan` fails on the subnets' postconditions, naming the
 * setting, before anything is created.
 */
async function refusedAtPlan(
  ctx: Context,
  dir: string,
  env: NodeJS.ProcessEnv,
  network: { vpcId: string } & Record<string, Record<string, string>>,
  log: (name: string) => string,
): Promise<void> {
  const [first, second] = Object.entries(network.privateSubnets ?? {});
  if (first === undefined || second === undefined) {
    throw new CheckFailed("create-network made fewer than two private subnets");
  }
  const [[zoneA, subnetA], [zoneB, subnetB]] = [first, second];
  const swapped = { ...network, privateSubnets: { [zoneA]: subnetB, [zoneB]: subnetA } };
  const overrides = deepMerge(JSON.parse(readFileSync(ctx.overrideFile, "utf8")) as Record<string, unknown>, {
    [STACK]: { network: { existingVpc: swapped } },
  });
  const file = join(ctx.work, "existing-vpc-swapped-overrides.json");
  writeFileSync(file, JSON.stringify(overrides, null, 2));
  const outdir = join(ctx.work, "existing-vpc-swapped", "cdktf.out");
  const badEnv = { ...env, STACK_CONFIG_FILE: file, CDKTF_OUTDIR: outdir };
  await mustSucceed("synth with swapped subnets", ["node", join(PROJECT_DIR, "stacks", "app", "launch.js")], {
    cwd: dir,
    env: badEnv,
    log: log("swapped-synth"),
  });
  const stackDir = join(outdir, "stacks", STACK);
  await mustSucceed(
    "terraform init (swapped subnets)",
    [ctx.terraform, "init", "-input=false", "-no-color"],
    {
      cwd: stackDir,
      env: badEnv,
      log: log("swapped-init"),
    },
  );
  const plan = await runStep([ctx.terraform, "plan", "-input=false", "-no-color"], {
    cwd: stackDir,
    env: badEnv,
    log: log("swapped-plan"),
  });
  const expected = `network.existingVpc.privateSubnets["${zoneA}"]: ${subnetB} is`;
  if (plan.code !== 1 || !plan.output.replace(/\s+/g, " ").includes(expected)) {
    throw new CheckFailed(
      `${STACK} in an existing VPC: a plan with the private subnets' AZs swapped did not fail naming ${expected}...`,
      log("swapped-plan"),
    );
  }
}

/**
 * What this deploy brings beside the example's worker and job: a web workload (/admin/* on the
 * service's domain) and an internal workload both the service and the web workload call.
 */
function extraWorkloads(ctx: Context): Record<string, unknown> {
  const settings = ctx.settings.environments.find((e) => e.name === STACK);
  if (settings === undefined) return {};
  const domain = settings.edge.domainName;
  const admin =
    domain === undefined
      ? {}
      : { admin: { kind: "web", hosts: [domain], paths: ["/admin/*"], containerPort: 8080 } };
  return {
    ...admin,
    pricing: {
      kind: "internal",
      calledBy: [settings.service.name, ...Object.keys(admin)],
      containerPort: 9000,
      minCount: 1,
    },
  };
}
