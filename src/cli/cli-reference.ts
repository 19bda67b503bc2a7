import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger } from '../util/logger.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';

/** Markers around the generated CLI reference in README.md. */
export const cliReferenceMarkers = {
  start: '<!-- cli-reference:start -->',
  end: '<!-- cli-reference:end -->',
} as const;

/**
 * Renders the help of every command as Markdown, from commander itself, so the README's CLI
 * reference cannot drift from the code (a test compares them; `npm run docs:cli` rewrites it).
 */
export function renderCliReference(): string {
  const ctx: CliContext = {
    config: loadConfig({}),
    logger: createLogger('silent'),
    verbose: false,
    printJson: () => {},
    print: () => {},
    status: () => {},
  };
  const program = buildProgram(ctx);
  const sections: string[] = [];
  const visit = (command: Command, path: string[]) => {
    command.configureHelp({ helpWidth: 100 });
    const name = [...path, command.name()].join(' ');
    sections.push(`### \`${name}\`\n\n\`\`\`text\n${command.helpInformation().trimEnd()}\n\`\`\``);
    for (const sub of command.commands) visit(sub, [...path, command.name()]);
  };
  visit(program, []);
  return sections.join('\n\n');
}

/** Replaces the generated block between the markers of `readme` with `reference`. */
export function replaceCliReference(readme: string, reference: string): string {
  const start = readme.indexOf(cliReferenceMarkers.start);
  const end = readme.indexOf(cliReferenceMarkers.end);
  if (start < 0 || end < start)
    throw new Error(`README.md lacks the markers ${cliReferenceMarkers.start} … ${cliReferenceMarkers.end}`);
  return `${readme.slice(0, start + cliReferenceMarkers.start.length)}\n${reference}\n${readme.slice(end)}`;
}
