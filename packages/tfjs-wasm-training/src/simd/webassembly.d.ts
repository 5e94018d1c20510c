// Node has the WebAssembly global; TypeScript declares it only in its DOM libraries, which this package does not load.
// The part it uses:
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBuffer | ArrayBufferView);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }
}
