/**
 * Builds every stack and writes cdktf.out only once everything has synthesized: the app is
 * synthesized into a staging directory first, then copied over. A failure anywhere leaves the
 * previous cdktf.out untouched, and a stack directory never keeps a file of the other format
 * (cdk.tf.json beside cdk.tf, or the reverse).
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { cidrsOverlap, parseIpv4Cidr } from "../../constructs/model/cidr";
import { TERRAFORM_VERSIONS } from "../config/settings";
import type { ProjectSettings } from "../config/settings";
import { EnvironmentStack } from "../environment-stack";
import { RegistryStack } from "../registry-stack";

export const DEFAULT_OUTDIR = "cdktf.out";
/** Terraform's required_version of every stack (see writeRequiredVersion). */
export const REQUIRED_VERSION_FILE = "versions.tf.json";
/** Files written per stack: JSON mode writes cdk.tf.json, HCL mode cdk.tf and metadata.json. */
const SYNTH_FILES = ["cdk.tf.json", "cdk.tf", "metadata.json", REQUIRED_VERSION_FILE] as const;

export interface ProjectStacks {
  readonly registry: RegistryStack;
  readonly environments: EnvironmentStack[];
}

/**
 * Adds every stack of the project to the app. Environments depend on the registry (they look its
 * repository up by name), so manifest.json and `cdktf deploy` order the registry first.
 */
export function buildStacks(app: App, project: ProjectSettings): ProjectStacks {
  const registry = new RegistryStack(app, { project });
  const environments = project.environments.map((settings) => {
    const stack = new EnvironmentStack(app, { project, settings });
    stack.addDependency(registry);
    return stack;
  });
  return { registry, environments };
}

/** True when the cdktf CLI asked for HCL (`cdktf synth --hcl` sets this for the app). */
export function hclRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SYNTH_HCL_OUTPUT === "true";
}

export interface SynthesizeOptions {
  /** Where warnings go. @default - stderr */
  readonly warn?: (text: string) => void;
  /**
   * Remove the directories of stacks no longer synthesized (e.g. after STACK_ENVIRONMENTS narrows
   * the selection). The cdktf CLI removes them itself after the app exits and fails when they are
   * already gone, so this is off when the CLI runs the app.
   *
   * @default true
   */
  readonly pruneStaleStacks?: boolean;
}

/**
 * Synthesizes the project into `outdir` atomically (see the module comment). In HCL mode the
 * files are normalized with `terraform fmt` (which also unwraps "${expr}" into expr), so they are
 * fmt-clean; without Terraform on the PATH, a warning says so.
 */
export function synthesizeProject(
  project: ProjectSettings,
  outdir: string = DEFAULT_OUTDIR,
  options: SynthesizeOptions = {},
): void {
  const warn = options.warn ?? ((text: string) => process.stderr.write(text));
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-staging-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    buildStacks(app, project);
    app.synth();
    writeRequiredVersion(join(staging, "stacks"));
    if (hclRequested()) formatHcl(join(staging, "stacks"), warn);
    warnAboutLocalState(project, warn);
    warnAboutOverlappingVpcs(project, warn);
    warnAboutSharedProd(project, warn);
    publish(staging, target, options.pruneStaleStacks ?? true);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** prod with local state: allowed (a first try), but the state would live on one laptop. */
function warnAboutLocalState(project: ProjectSettings, warn: (text: string) => void): void {
  for (const env of project.environments) {
    if (env.preset === "prod" && env.state.bucket === undefined) {
      warn(
        `warning: ${env.name} (prod preset) keeps its Terraform state in a local file; set TF_STATE_BUCKET or ${env.name}.state.bucket for shared, locked state\n`,
      );
    }
  }
}

/**
 * The Terraform versions every stack needs, in a file of its own beside cdk.tf(.json): Terraform
 * merges the `terraform` blocks of a directory. Not in the stack's own block: cdktf 0.21's HCL
 * renderer garbles any attribute of it but providers and backend, and checkov's terraform_json
 * parser crashes on a cdktf file that has one (bridgecrewio/checkov#7454).
 */
function writeRequiredVersion(stacksDir: string): void {
  for (const stack of readdirSync(stacksDir)) {
    writeFileSync(
      join(stacksDir, stack, REQUIRED_VERSION_FILE),
      `${JSON.stringify({ terraform: { required_version: TERRAFORM_VERSIONS } }, null, 2)}\n`,
    );
  }
}

/**
 * Environments in one region that may share an account (one is not pinned) with overlapping VPC
 * CIDRs: allowed (they may be in different accounts), but they could never be peered. Pinned to
 * the same account, synth refuses it (a project check).
 */
function warnAboutOverlappingVpcs(project: ProjectSettings, warn: (text: string) => void): void {
  project.environments.forEach((a, i) => {
    for (const b of project.environments.slice(i + 1)) {
      const [ca, cb] = [parseIpv4Cidr(a.network.vpcCidr), parseIpv4Cidr(b.network.vpcCidr)];
      const mayShare = a.accountId === undefined || b.accountId === undefined;
      if (a.region === b.region && mayShare && ca !== undefined && cb !== undefined && cidrsOverlap(ca, cb)) {
        warn(
          `warning: ${a.name} (${a.network.vpcCidr}) and ${b.name} (${b.network.vpcCidr}) overlap in ${a.region}; if they share an account they can never be peered: pin accountId or give one another network.vpcCidr\n`,
        );
      }
    }
  });
}

/**
 * prod sharing an account, or a state bucket, with another environment: allowed, but the
 * isolation then rests on IAM inside the account (help/security.md says what to set up).
 */
function warnAboutSharedProd(project: ProjectSettings, warn: (text: string) => void): void {
  for (const prod of project.environments.filter((e) => e.preset === "prod")) {
    const others = project.environments.filter((e) => e.name !== prod.name);
    const sameAccount = others.filter((e) => prod.accountId !== undefined && e.accountId === prod.accountId);
    if (sameAccount.length > 0) {
      warn(
        `warning: ${prod.name} shares account ${prod.accountId ?? ""} with ${sameAccount.map((e) => e.name).join(", ")}: every key policy lets the account's IAM decide, so a role there with broad IAM or KMS permissions can decrypt ${prod.name}'s secrets and data; give ${prod.name} an account of its own (help/security.md, Shared accounts)\n`,
      );
    }
    const sameBucket = others.filter(
      (e) => prod.state.bucket !== undefined && e.state.bucket === prod.state.bucket,
    );
    if (sameBucket.length > 0) {
      warn(
        `warning: ${prod.name} keeps its state in the bucket ${prod.state.bucket ?? ""} with ${sameBucket.map((e) => e.name).join(", ")}: limit each pipeline to its own state key (help/security.md, State), or give ${prod.name} its own state.bucket and state.kmsKeyArn\n`,
      );
    }
  }
}

function formatHcl(stacksDir: string, warn: (text: string) => void): void {
  const fmt = spawnSync("terraform", ["fmt", "-recursive", "-list=false", stacksDir], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (fmt.error !== undefined) {
    warn("warning: terraform is not on the PATH, so the HCL output was not normalized with terraform fmt\n");
  } else if (fmt.status !== 0) {
    throw new Error(`terraform fmt rejected the synthesized HCL:\n${fmt.stderr}`);
  }
}

function publish(staging: string, target: string, pruneStaleStacks: boolean): void {
  const stagedStacks = readdirSync(join(staging, "stacks"));
  const targetStacks = join(target, "stacks");
  mkdirSync(targetStacks, { recursive: true });
  for (const existing of pruneStaleStacks ? readdirSync(targetStacks) : []) {
    if (!stagedStacks.includes(existing)) {
      rmSync(join(targetStacks, existing), { recursive: true, force: true });
    }
  }
  for (const stack of stagedStacks) {
    const from = join(staging, "stacks", stack);
    const to = join(targetStacks, stack);
    mkdirSync(to, { recursive: true });
    for (const file of SYNTH_FILES) {
      const staged = join(from, file);
      if (existsSync(staged)) copyFileSync(staged, join(to, file));
      else rmSync(join(to, file), { force: true });
    }
  }
  copyFileSync(join(staging, "manifest.json"), join(target, "manifest.json"));
}
