import { experimentSchema } from '../../src/config/schema';
import { activations, datasets, metrics, networks, optimizers, schedules } from '../../src/registry';

type Schema = { properties: Record<string, Schema>; default: unknown };

/**
 * Minimal plugins for config tests, so they pin the config rules without depending on the real plugins.
 * The plugin names the schema's defaults use (model.activation, train.schedule, eval.metrics) are registered too.
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
  ensure(optimizers, 'test-opt', { lr: { type: 'number', exclusiveMinimum: 0 } });
  ensure(optimizers, 'test-opt2', { beta: { type: 'number' } });
  const schema = experimentSchema('classification') as unknown as Schema;
  const defaultOf = (section: string, key: string) => schema.properties[section].properties[key].default;
  ensure(activations, (defaultOf('model', 'activation') as { type: string }).type);
  ensure(schedules, (defaultOf('train', 'schedule') as { type: string }).type);
  for (const metric of defaultOf('eval', 'metrics') as { type: string }[]) ensure(metrics, metric.type);
}
