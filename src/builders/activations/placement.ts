import { AcafError } from '../../errors';
import { globPattern } from '../../glob';
import type { PlacementRule } from '../../config/types';
import { PLACEMENT_PRESETS } from './presets';
import type { ActivationOptions } from './types';

/**
 * The activation of every call site: `defaultActivation`, overridden by each rule that selects the site (later
 * rules win). A rule selects the sites that satisfy all its selectors: `sites` patterns, a `layers` index range
 * and a `preset`. A selector that selects nothing is a config error, as it is almost surely a typo.
 */
export function assignActivations(sites: string[], defaultActivation: ActivationOptions, rules: PlacementRule[]): ActivationOptions[] {
  const assigned = sites.map(() => defaultActivation);
  rules.forEach((rule, ruleIndex) => {
    const key = `model.placement.${ruleIndex}`;
    const selections = [
      rule.sites === undefined ? undefined : selectByPatterns(sites, [rule.sites].flat(), key),
      rule.layers === undefined ? undefined : selectByRange(sites, rule.layers, key),
      rule.preset === undefined ? undefined : selectByPreset(sites, rule.preset, key),
    ].filter((selection): selection is boolean[] => selection !== undefined);
    if (selections.length === 0) throw new AcafError(`${key}: give at least one of sites, layers or preset`, 2);
    const selected = sites.map((_, index) => selections.every((selection) => selection[index]));
    if (!selected.includes(true)) throw new AcafError(`${key}: its sites, layers and preset have no call site in common`, 2);
    selected.forEach((isSelected, index) => {
      if (isSelected) assigned[index] = rule.activation;
    });
  });
  return assigned;
}

function selectByPatterns(sites: string[], patterns: string[], key: string): boolean[] {
  const regexps = patterns.map((pattern) => {
    const regexp = globPattern(pattern);
    if (!sites.some((site) => regexp.test(site))) {
      throw new AcafError(`${key}.sites: pattern '${pattern}' matches no call site; sites: ${summarise(sites)}`, 2);
    }
    return regexp;
  });
  return sites.map((site) => regexps.some((regexp) => regexp.test(site)));
}

function selectByRange(sites: string[], [from, to]: [number, number], key: string): boolean[] {
  const resolve = (index: number) => (index < 0 ? sites.length + index : index);
  const [first, last] = [resolve(from), resolve(to)];
  if (first < 0 || last >= sites.length || first > last) {
    throw new AcafError(`${key}.layers: [${from}, ${to}] is not a range of the ${sites.length} call sites (0..${sites.length - 1})`, 2);
  }
  return sites.map((_, index) => index >= first && index <= last);
}

function selectByPreset(sites: string[], preset: string, key: string): boolean[] {
  const known = PLACEMENT_PRESETS[preset];
  if (!known) throw new AcafError(`${key}.preset: unknown preset '${preset}'; presets: ${Object.keys(PLACEMENT_PRESETS).join(', ')}`, 2);
  const selected = known.select(sites);
  if (!selected.includes(true)) throw new AcafError(`${key}.preset: '${preset}' selects no call site of this network`, 2);
  return selected;
}

function summarise(sites: string[], shown = 8): string {
  return sites.length <= shown ? sites.join(', ') : `${sites.slice(0, shown).join(', ')} ... (${sites.length} in all)`;
}
