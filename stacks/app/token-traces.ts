/**
 * cdktf records where every token was created (a stack trace without a depth limit, taken
 * and formatted at once) and uses it only in the message of a token that later fails to
 * resolve. That costs a tenth of a synth, a fifth under jest's deep stacks. This replaces
 * cdktf's capture function, which its token classes look up on its module at every call, with
 * one that records nothing: such a message then lacks the creation trace, and nothing else
 * changes. `SYNTH_TOKEN_TRACES=true` keeps the traces, for debugging a token error.
 */
// A CommonJS require, not an import: an import would bind a copy of the module's exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import stackTrace = require("cdktf/lib/tokens/private/stack-trace");

export function skipTokenCreationTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.SYNTH_TOKEN_TRACES === "true") return;
  (stackTrace as { captureStackTrace: (below?: unknown) => string[] }).captureStackTrace = () => [];
}
