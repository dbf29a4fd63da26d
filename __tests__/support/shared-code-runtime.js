/**
 * jest's module runtime, except for how it compiles a module: jest compiles each module of each
 * test file anew (vm.compileFunction with a dynamic-import hook, which V8 never caches), so
 * every test file parses cdktf and the provider bindings again and runs them cold, and that was
 * most of the suite's time. This compiles with vm.Script instead, which V8 caches by source:
 * the test files a worker runs share the compiled code of the modules they load. Module
 * instances stay per test file (jest's isolation is unchanged); only code is shared.
 * A module that uses import(), or that vm.Script cannot take, goes to jest's own compile.
 */
"use strict";
const { Script } = require("node:vm");
const Runtime = require("jest-runtime").default;

let warned = false;

class SharedCodeRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    // jest is pinned; another jest-runtime may name these internals differently.
    if (typeof executor?.compile !== "function" || !this._environment || !this._resolution) {
      if (!warned)
        process.stderr.write("shared-code-runtime: unknown jest-runtime; compiling as jest does\n");
      warned = true;
      return;
    }
    const jestCompile = executor.compile.bind(executor);
    const parameters = executor.injectedModuleParameters.join(", ");
    executor.compile = (source, filename) => {
      const context = this._environment.getVmContext();
      if (context == null || source.includes("import(") || this._resolution.isCoreModule(filename)) {
        return jestCompile(source, filename);
      }
      let script;
      try {
        // The wrapper shares the code's first line, so line numbers (and source maps) hold.
        script = new Script(`(function (${parameters}) {${source}\n})`, { filename });
      } catch {
        return jestCompile(source, filename); // jest reports the syntax error its own way
      }
      return script.runInContext(context);
    };
  }
}

module.exports = SharedCodeRuntime;
