import { assignActivations } from '../src/builders/activations/placement';
import { globPattern } from '../src/glob';
import { PLACEMENT_PRESETS } from '../src/builders/activations/presets';
import { AcafError } from '../src/errors';

/** VGG16's call sites as the vgg16 network names them: 13 convs in 5 blocks, then fc1 and fc2. */
const VGG16_SITES = [
  ...[2, 2, 3, 3, 3].flatMap((convs, block) => Array.from({ length: convs }, (_, conv) => `block${block + 1}.conv${conv + 1}.act`)),
  'fc1.act',
  'fc2.act',
];
const relu = { type: 'relu' };
const alpha = { type: 'alpha-relu' };
const ar = { type: 'ar' };
const typesOf = (sites: string[], rules: Parameters<typeof assignActivations>[2]) =>
  assignActivations(sites, relu, rules).map((options) => options.type);

test("block-ends is VGG16's checked-in placement: the last conv of each block, not fc1/fc2", () => {
  const selected = VGG16_SITES.filter((_, i) => PLACEMENT_PRESETS['block-ends'].select(VGG16_SITES)[i]);
  expect(selected).toEqual(['block1.conv2.act', 'block2.conv2.act', 'block3.conv3.act', 'block4.conv3.act', 'block5.conv3.act']);
});

test('lower-half and upper-half split the sites in call order, an odd middle site counting as lower', () => {
  const sites = ['s0', 's1', 's2', 's3', 's4'];
  expect(typesOf(sites, [{ preset: 'lower-half', activation: ar }])).toEqual(['ar', 'ar', 'ar', 'relu', 'relu']);
  expect(typesOf(sites, [{ preset: 'upper-half', activation: ar }])).toEqual(['relu', 'relu', 'relu', 'ar', 'ar']);
});

test('sites patterns: * matches any run of characters, dots are literal', () => {
  expect(globPattern('block1.*').test('block1.conv2.act')).toBe(true);
  expect(globPattern('block1.*').test('block10.conv2.act')).toBe(false);
  expect(globPattern('*.act1').test('stage3.unit2.act1')).toBe(true);
  expect(globPattern('fc?.act').test('fc1.act')).toBe(false);
});

test('a rule selects the sites matching all its selectors, and later rules win', () => {
  const types = typesOf(VGG16_SITES, [
    { sites: ['block5.*', 'fc*'], activation: ar },
    { layers: [-2, -1], activation: alpha },
    { sites: 'block*', preset: 'block-ends', layers: [0, 4], activation: { type: 'as' } },
  ]);
  expect(types).toEqual([
    'relu',
    'as',
    'relu',
    'as',
    'relu',
    'relu',
    'relu',
    'relu',
    'relu',
    'relu',
    'ar',
    'ar',
    'ar',
    'alpha-relu',
    'alpha-relu',
  ]);
});

test('no rules leave the default everywhere', () => {
  expect(typesOf(VGG16_SITES, [])).toEqual(VGG16_SITES.map(() => 'relu'));
});

test('a selector that selects nothing is a config error naming the rule and the value', () => {
  expect(() =>
    typesOf(VGG16_SITES, [
      { sites: ['fc*'], activation: ar },
      { sites: ['block6.*'], activation: ar },
    ]),
  ).toThrow(
    new AcafError(
      "model.placement.1.sites: pattern 'block6.*' matches no call site; sites: block1.conv1.act, block1.conv2.act, block2.conv1.act, block2.conv2.act, block3.conv1.act, block3.conv2.act, block3.conv3.act, block4.conv1.act ... (15 in all)",
    ),
  );
  expect(() => typesOf(['a', 'b'], [{ layers: [1, 2], activation: ar }])).toThrow(
    'model.placement.0.layers: [1, 2] is not a range of the 2 call sites (0..1)',
  );
  expect(() => typesOf(['a', 'b'], [{ layers: [-1, 0], activation: ar }])).toThrow(/\[-1, 0\] is not a range/);
  expect(() => typesOf(['a', 'b'], [{ activation: ar }])).toThrow('model.placement.0: give at least one of sites, layers or preset');
  expect(() => typesOf(['a', 'b'], [{ sites: 'a', layers: [1, 1], activation: ar }])).toThrow(
    /model.placement.0: .* no call site in common/,
  );
  expect(() => typesOf(['a', 'b'], [{ preset: 'block-ends', activation: ar }])).toThrow(
    "model.placement.0.preset: 'block-ends' selects no call site",
  );
  expect(() => typesOf(['a', 'b'], [{ preset: 'middle', activation: ar }])).toThrow(
    /unknown preset 'middle'; presets: lower-half, upper-half, block-ends/,
  );
});
