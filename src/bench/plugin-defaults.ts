import type { Plugin } from '../registry';

/** A plugin's options as a validated config holds them: every schema default filled in, then `overrides`. */
export function withDefaults(plugin: Plugin<unknown, unknown, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const defaults = Object.entries(plugin.options).filter(([, schema]) => 'default' in schema);
  return { ...Object.fromEntries(defaults.map(([key, schema]) => [key, schema.default])), ...overrides, type: plugin.name };
}
