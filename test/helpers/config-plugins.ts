import { activations, datasets, metrics, networks, optimizers, schedules } from '../../src/registry';

/**
 * Minimal plugins for config tests, so they pin the config rules without depending on the real plugins.
 * The names the schema uses as defaults (relu, constant, accuracy, weighted-prf) are registered only when absent.
 */
export function registerConfigTestPlugins(): void {
  const none = () => {
    throw new Error('config tests never build plugins');
  };
  const ensure = (registry: { has(name: string): boolean; register(plugin: object): void }, name: string, options: object = {}) => {
    if (!registry.has(name)) registry.register({ name, description: `test plugin ${name}`, options, build: none });
  };
  ensure(datasets, 'test-data');
  ensure(networks, 'test-net', { depth: { type: 'integer', minimum: 1, default: 1 } });
  ensure(activations, 'test-act');
  ensure(activations, 'relu');
  ensure(optimizers, 'test-opt', { lr: { type: 'number', exclusiveMinimum: 0 } });
  ensure(schedules, 'constant');
  ensure(metrics, 'accuracy');
  ensure(metrics, 'weighted-prf');
}
