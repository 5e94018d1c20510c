import { groupRuns, latestPerSeed } from './aggregate';
import { compareWithBaseline, GroupComparison } from './baseline';
import { formatComparison, formatP, SIGNIFICANCE } from './group-table';
import { escapeHtml } from './html';
import { fractionColumns, IdentityColumn, NumericColumn, RunSummary } from './summary';

/**
 * The paper's claims, as pairs (adaptive, fixed): each adaptive function against the function it adapts, and each
 * against Swish (acaf's fixed `swish` and the authors' trainable-beta `swish-beta`, whichever the runs have).
 */
const CLAIMS: [string, string][] = [
  ['as', 'sigmoid'],
  ['at', 'tanh'],
  ['ar', 'relu'],
  ...['as', 'at', 'ar'].flatMap((adaptive): [string, string][] => [
    [adaptive, 'swish'],
    [adaptive, 'swish-beta'],
  ]),
];

/** What a claim is checked within: one experiment apart from the activation (and the seed). */
const EXPERIMENT: IdentityColumn[] = ['network', 'dataset', 'optimizer', 'protocol'];

export interface ClaimCheck {
  key: Partial<Record<IdentityColumn, string | number>>;
  adaptive: string;
  fixed: string;
  result: GroupComparison;
}

/** Every claim the runs can check: per network, dataset, optimizer and protocol, the adaptive function against the fixed one, paired by seed. */
export function checkAdaptiveClaims(runs: RunSummary[], metric: NumericColumn): ClaimCheck[] {
  const groups = groupRuns(latestPerSeed(runs), [...EXPERIMENT, 'activation']);
  const checks: ClaimCheck[] = [];
  for (const fixed of [...new Set(CLAIMS.map(([, against]) => against))]) {
    const comparisons = compareWithBaseline(groups, { column: 'activation', value: fixed }, metric);
    groups.forEach((group, index) => {
      const adaptive = String(group.key.activation);
      const result = comparisons[index];
      if (result && CLAIMS.some(([a, f]) => a === adaptive && f === fixed)) {
        checks.push({ key: Object.fromEntries(EXPERIMENT.map((column) => [column, group.key[column]])), adaptive, fixed, result });
      }
    });
  }
  return checks;
}

/** The report's statistics section: one row per checked claim, or a sentence saying which runs would check them. */
export function adaptiveClaimsHtml(checks: ClaimCheck[], metric: NumericColumn): string {
  const heading = '<h2>Statistics: adaptive against fixed activations</h2>';
  if (!checks.length) {
    return `${heading}\n<p class="note">No claim to check: that needs runs of an adaptive function (as, at, ar) and of its fixed counterpart (sigmoid, tanh, relu, swish) with the same network, dataset, optimizer, protocol and seeds.</p>`;
  }
  const columns = [...EXPERIMENT, 'adaptive', 'fixed', 'n', `Δ ${metric} [95% CI]`, 'p (t)', 'p (sign-flip)', 'verdict'];
  const head = `<tr>${columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
  const rows = checks.map(({ key, adaptive, fixed, result }) => {
    const { n, difference, pValue, permutationPValue } = result.comparison;
    const cells = [
      ...EXPERIMENT.map((column) => String(key[column] ?? '')),
      adaptive,
      fixed,
      String(n),
      formatComparison(result, metric),
      formatP(pValue),
      formatP(permutationPValue),
      verdict(adaptive, fixed, difference, pValue),
    ];
    return `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
  });
  const unit = fractionColumns.has(metric) ? ' in percentage points' : '';
  const note =
    `Δ: mean paired difference of ${metric}${unit}, adaptive minus fixed, over the seeds both have (the latest complete run of each), ` +
    `with its 95% t interval; p (t): paired t-test; p (sign-flip): exact sign-flip permutation test (with 3 seeds it cannot go below 0.25). ` +
    `A claim holds here when the adaptive function is better with p (t) < ${SIGNIFICANCE}.`;
  return `${heading}\n<table>${head}${rows.join('')}</table>\n<p class="note">${escapeHtml(note)}</p>`;
}

function verdict(adaptive: string, fixed: string, difference: number, pValue: number | undefined): string {
  if (pValue === undefined) return 'too few seeds';
  if (pValue >= SIGNIFICANCE) return 'no significant difference';
  return difference > 0 ? `${adaptive} better` : `${fixed} better`;
}
