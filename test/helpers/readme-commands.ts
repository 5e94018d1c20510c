import { parse as parseShell } from 'shell-quote';

/** One `acaf` command line from the README's code blocks, split into arguments as a shell would. */
export interface ReadmeCommand {
  line: string;
  args: string[];
}

const shellLanguages = new Set(['', 'sh', 'bash', 'shell', 'console']);

/**
 * Every `acaf ...` / `npx acaf ...` line of a Markdown text's shell code blocks: fenced ones (no language or a
 * shell) and indented ones (4 spaces after a blank line). Trailing `# comments` are dropped.
 */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const code: string[] = [];
  let fence: { marker: string; shell: boolean } | undefined;
  let previousBlank = true;
  let indented = false;
  for (const line of lines) {
    const fenceMatch = /^\s*(```+|~~~+)\s*(\S*)/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1].startsWith(fence.marker) && !fenceMatch[2]) fence = undefined;
      else if (fence.shell) code.push(line);
    } else if (fenceMatch) {
      fence = { marker: fenceMatch[1], shell: shellLanguages.has(fenceMatch[2]) };
    } else if (/^ {4}\S/.test(line) && (previousBlank || indented)) {
      indented = true;
      code.push(line);
    } else if (line.trim() !== '') {
      indented = false;
    }
    previousBlank = line.trim() === '';
  }
  return code
    .map((line) => line.trim().replace(/^\$\s+/, ''))
    .filter((line) => /^(npx )?acaf( |$)/.test(line))
    .map((line) => {
      const words = parseShell(line).filter((word): word is string => typeof word === 'string');
      return { line, args: words.slice(words[0] === 'npx' ? 2 : 1) };
    });
}
