// Two jest workers already keep both cores busy: one wasm thread each (and in the CLIs they spawn) avoids
// oversubscribing them. packages/tfjs-wasm-training/test/wasm-threads.test.ts sets its own thread counts.
process.env.ACAF_WASM_THREADS ??= '1';
