import { closest } from 'fastest-levenshtein';
import { AcafError, ConfigIssue } from '../errors';

/** A JSON schema fragment (ajv draft-07 dialect). */
export type JsonSchema = Record<string, unknown>;

/**
 * A registered plugin: a name used as `type:` in configs, a one-line description for `acaf list`,
 * the JSON schema of its options (the object beside `type`), and the builder that turns options into the thing.
 */
export interface Plugin<TOptions, TBuilt, TContext = void> {
  name: string;
  description: string;
  /** Properties of the plugin's options object, without `type`; each with its default where it has one. */
  options: Record<string, JsonSchema>;
  /** Option names a config must give. */
  required?: string[];
  build(options: TOptions, context: TContext): TBuilt;
  /** Where build() would read its files from, found without reading them (an AcafError says what is missing); for `acaf doctor`. */
  locate?(options: TOptions, context: TContext): string;
}

/**
 * A typed registry of one kind of plugin (activation, network, optimizer...). `TTraits` are what a kind's plugins
 * declare beside building (a network's quirks in the authors' code, for example).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `registries` lists every kind in one map, erasing their types
export class Registry<TOptions = any, TBuilt = any, TContext = any, TTraits extends object = object> {
  private readonly plugins = new Map<string, Plugin<TOptions, TBuilt, TContext> & TTraits>();

  /** @param kind singular noun used in messages, e.g. "activation". */
  constructor(
    readonly kind: string,
    readonly description: string,
  ) {}

  register<O extends TOptions>(plugin: Plugin<O, TBuilt, TContext> & TTraits): void {
    if (this.plugins.has(plugin.name)) {
      throw new AcafError(`duplicate ${this.kind} '${plugin.name}': two plugins register the same name`);
    }
    this.plugins.set(plugin.name, plugin as unknown as Plugin<TOptions, TBuilt, TContext> & TTraits);
  }

  has(name: string): boolean {
    return this.plugins.has(name);
  }

  names(): string[] {
    return [...this.plugins.keys()].sort();
  }

  list(): (Plugin<TOptions, TBuilt, TContext> & TTraits)[] {
    return this.names().map((name) => this.plugins.get(name)!);
  }

  /** The plugin called `name`; an unknown name is an error naming the key path and the closest registered name. */
  get(name: string, keyPath = `${this.kind} type`): Plugin<TOptions, TBuilt, TContext> & TTraits {
    const plugin = this.plugins.get(name);
    if (!plugin) throw new AcafError(this.unknownNameMessage(name, keyPath), 2);
    return plugin;
  }

  build(name: string, options: TOptions, context: TContext): TBuilt {
    return this.get(name).build(options, context);
  }

  /**
   * `options` with the plugin's schema defaults filled in where a top-level option is missing, as config validation
   * would leave them: for callers that build plugins without a config (benchmarks, `acaf summary`, loaders).
   */
  withDefaults(name: string, options: Record<string, unknown> = {}, keyPath?: string): TOptions {
    const filled: Record<string, unknown> = { ...options, type: name };
    for (const [key, schema] of Object.entries(this.get(name, keyPath).options)) {
      if (filled[key] === undefined && schema.default !== undefined) filled[key] = structuredClone(schema.default);
    }
    return filled as TOptions;
  }

  /** The config issue for an unknown `type`, or undefined when the name is registered. */
  checkName(name: unknown, path: string): ConfigIssue | undefined {
    if (typeof name === 'string' && this.plugins.has(name)) return undefined;
    return { path, message: this.unknownNameMessage(String(name), undefined) };
  }

  private unknownNameMessage(name: string, keyPath: string | undefined): string {
    const names = this.names();
    const guess = names.length ? closest(name, names) : undefined;
    const suggestion = guess ? `; did you mean '${guess}'?` : '';
    const at = keyPath ? ` at ${keyPath}` : '';
    return `unknown ${this.kind} '${name}'${at}${suggestion} registered: ${names.join(', ') || '(none)'}`;
  }
}
