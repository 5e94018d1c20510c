/**
 * Named placements from the paper (paper.md section 2): which call sites, given every site name in call order,
 * a placement rule with `preset:` applies to.
 */
export interface PlacementPreset {
  description: string;
  select(sites: string[]): boolean[];
}

export const PLACEMENT_PRESETS: Record<string, PlacementPreset> = {
  'lower-half': {
    description: 'the first half of the call sites (shallower layers)',
    select: (sites) => sites.map((_, index) => index < sites.length / 2),
  },
  'upper-half': {
    description: 'the second half of the call sites (deeper layers)',
    select: (sites) => sites.map((_, index) => index >= sites.length / 2),
  },
  'block-ends': {
    description: "the last call site of each block of two or more (sites sharing the first name segment): VGG16's checked-in placement",
    select: (sites) => {
      const block = (site: string) => site.split('.')[0];
      const size = new Map<string, number>();
      for (const site of sites) size.set(block(site), (size.get(block(site)) ?? 0) + 1);
      return sites.map((site, index) => size.get(block(site))! > 1 && block(sites[index + 1] ?? '') !== block(site));
    },
  },
};
