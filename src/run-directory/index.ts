/** Everything that reads or writes a run directory (docs/design.md, "Run directory"). */
export * from './layout';
export * from './run-json';
export * from './run-config';
export * from './csv-log';
export * from './csv-read';
export * from './metrics-csv';
export * from './activations-csv';
export * from './checkpoint';
export * from './previous-run';
export * from './claim';
