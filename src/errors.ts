/**
 * Errors a user can cause (bad config, missing data, unknown plugin...). The CLI prints their message as
 * one line and exits with `exitCode`, without a stack trace unless `--verbose`.
 */
export class AcafError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'AcafError';
  }
}

/** One problem in a config, located as precisely as we can: file, line and key path. */
export interface ConfigIssue {
  file?: string;
  line?: number;
  path: string;
  message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}: ` : '';
  return `${where}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** A config with one or more problems; all of them are reported together, one line each. */
export class ConfigError extends AcafError {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join('\n'), 2);
    this.name = 'ConfigError';
  }
}
