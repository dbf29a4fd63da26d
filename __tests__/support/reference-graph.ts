/**
 * The dependency graph Terraform builds from a stack's JSON: an edge from every block to each
 * address it references inside `${...}` and to each `depends_on` entry.
 */
import type { Block, TerraformJson } from "./synth";

export type Graph = Map<string, Set<string>>;

const REFERENCE =
  /\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|aws_[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+)/g;

/** Addresses referenced by a value: inside `${...}` interpolations only. */
export function referencesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    for (const interpolation of value.match(/\$\{[\s\S]*\}/g) ?? []) {
      for (const match of interpolation.matchAll(REFERENCE)) found.add(match[1] as string);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => referencesIn(v, found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) if (key !== "//") referencesIn(v, found);
  }
  return found;
}

export function referenceGraph(json: TerraformJson): Graph {
  const graph: Graph = new Map();
  const add = (address: string, block: Block) => {
    const edges = referencesIn(block);
    for (const dependency of (block.depends_on as string[] | undefined) ?? []) edges.add(dependency);
    edges.delete(address);
    graph.set(address, edges);
  };
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) add(`${type}.${name}`, block);
  }
  for (const [type, blocks] of Object.entries(json.data ?? {})) {
    for (const [name, block] of Object.entries(blocks)) add(`data.${type}.${name}`, block);
  }
  for (const [name, block] of Object.entries(json.variable ?? {})) add(`var.${name}`, block);
  for (const [name, block] of Object.entries(json.output ?? {})) add(`output.${name}`, block);
  return graph;
}

/** A cycle as a list of addresses (first = last), or undefined when the graph is acyclic. */
export function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "visiting") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "visiting");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Addresses reachable from `from` (its transitive dependencies). */
export function dependenciesOf(graph: Graph, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    for (const next of graph.get(stack.pop() as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}
