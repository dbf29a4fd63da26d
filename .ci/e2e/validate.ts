/** `npm run synth` and `synth:hcl`, then `terraform init` + `validate` of every stack in both formats. */
import { join } from "node:path";
import type { Context } from "./context";
import { STACKS, copyProject } from "./context";
import { elapsed, mustSucceed } from "./process";

/** npm run synth and synth:hcl, then terraform init + validate of every stack in both formats. */
export async function validate(ctx: Context): Promise<string[]> {
  const dir = copyProject(ctx, "validate");
  const env = { ...ctx.baseEnv };
  const log = (name: string) => join(ctx.work, "logs", `validate-${name}.log`);
  await mustSucceed("npm run synth", ["npm", "run", "--silent", "synth"], {
    cwd: dir,
    env,
    log: log("synth"),
  });
  await mustSucceed(
    "npm run synth:hcl",
    ["npm", "run", "--silent", "synth:hcl", "--", "--output", "cdktf.out.hcl"],
    {
      cwd: dir,
      env,
      log: log("synth-hcl"),
    },
  );
  const targets = STACKS.flatMap((stack) => [
    { label: `${stack} (JSON)`, dir: join(dir, "cdktf.out", "stacks", stack) },
    { label: `${stack} (HCL)`, dir: join(dir, "cdktf.out.hcl", "stacks", stack) },
  ]);
  const lines: string[] = [];
  for (let i = 0; i < targets.length; i += 2) {
    await Promise.all(
      targets.slice(i, i + 2).map(async (target) => {
        const name = target.label.replace(/[^a-z]+/gi, "-").toLowerCase();
        const started = Date.now();
        await mustSucceed(
          `terraform init of ${target.label}`,
          [ctx.terraform, "init", "-backend=false", "-input=false", "-no-color"],
          {
            cwd: target.dir,
            env,
            log: log(`init-${name}`),
          },
        );
        const validated = await mustSucceed(
          `terraform validate of ${target.label}`,
          [ctx.terraform, "validate", "-no-color"],
          {
            cwd: target.dir,
            env,
            log: log(`validate-${name}`),
          },
        );
        const warnings = (validated.output.match(/Warning:/g) ?? []).length;
        lines.push(
          `  ${target.label.padEnd(18)} init + validate ${elapsed(started).toFixed(1)} s${warnings > 0 ? `, ${warnings} warning(s)` : ""}`,
        );
      }),
    );
  }
  return lines.sort();
}
