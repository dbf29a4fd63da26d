/**
 * The project's definition: its name, repository, registry and environments. It is the built-in
 * example (stacks/config/example-project.ts) until you replace it: write your own definition here,
 * or keep this line and describe your service in an override file (STACK_CONFIG_FILE), whose
 * "project" section renames the project and lists its environments. Tests about the example
 * build the example itself, so changing this file breaks none of them.
 */
import { EXAMPLE_PROJECT } from "./example-project";
import type { ProjectDefinition } from "./settings";

export const PROJECT: ProjectDefinition = EXAMPLE_PROJECT;
