import { Registry } from '../src/registry';
import { AcafError } from '../src/errors';

function makeRegistry(...names: string[]): Registry<object, string, void> {
  const registry = new Registry<object, string, void>('activation', 'test');
  for (const name of names) registry.register({ name, description: `the ${name}`, options: {}, build: () => name });
  return registry;
}

test('plugins are listed sorted by name and built by name', () => {
  const registry = makeRegistry('relu', 'ar', 'as');
  expect(registry.names()).toEqual(['ar', 'as', 'relu']);
  expect(registry.build('as', {}, undefined)).toBe('as');
});

test('a duplicate name is an error at registration', () => {
  const registry = makeRegistry('ar');
  expect(() => registry.register({ name: 'ar', description: 'again', options: {}, build: () => 'x' })).toThrow(
    "duplicate activation 'ar': two plugins register the same name",
  );
});

test('an unknown name names the key path, the closest name and every registered one', () => {
  const registry = makeRegistry('relu', 'arelu', 'as');
  expect(() => registry.get('arleu', 'model.activation.type')).toThrow(
    new AcafError("unknown activation 'arleu' at model.activation.type; did you mean 'arelu'? registered: arelu, as, relu"),
  );
  expect(registry.checkName('arelu', 'x')).toBeUndefined();
  expect(registry.checkName(3, 'model.activation.type')?.message).toMatch(/unknown activation '3'; did you mean/);
});
