/**
 * The instructor CLI: `npm run scenario -- check <files...>`, `play FILE --solution`, `schema`.
 * Messages come from the i18n `scenario` namespace (ko/en, --lang or LANG). Imports no ui, pwa
 * or persistence code.
 */
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createI18n, pickLanguage, LANGUAGES, type Language } from '../i18n/index.ts';
import { formatProblem, MAX_BYTES, parseScenario, runSolution, scenarioJsonSchema, type ScenarioProblem } from '../scenario/index.ts';

export interface CliIo { out(line: string): void; err(line: string): void; env: Record<string, string | undefined> }

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
};

/** Reads a file as text, refusing very large ones before reading them whole. */
function readScenarioFile(file: string): { text: string } | { problem: ScenarioProblem } | { error: string } {
  try {
    const size = statSync(file).size;
    if (size > MAX_BYTES) return { problem: { file, path: '', code: 'input.tooLarge', params: { bytes: size, max: MAX_BYTES } } };
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const args = [...argv];
  let lang: Language = pickLanguage([io.env.LC_ALL, io.env.LC_MESSAGES, io.env.LANG].filter((x): x is string => Boolean(x)));
  const li = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  let badLang: string | null = null;
  if (li >= 0) {
    const a = args[li]!;
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[li + 1] ?? '';
    args.splice(li, a.includes('=') ? 1 : 2);
    if ((LANGUAGES as readonly string[]).includes(value)) lang = value as Language;
    else badLang = value;
  }
  const i18n = await createI18n(lang);
  const t = (key: string, opts?: object) => i18n.t(key, { ...opts, interpolation: { escapeValue: false } }) as string;
  if (badLang !== null) { io.err(t('scenario:cli.badLang', { lang: badLang })); return 2; }

  const [command, ...rest] = args;
  switch (command) {
    case 'check': {
      const files = rest.filter((a) => !a.startsWith('--'));
      if (files.length === 0) { io.err(t('scenario:cli.noFiles')); return 2; }
      let count = 0;
      for (const file of files) {
        const read = readScenarioFile(file);
        let problems: ScenarioProblem[];
        if ('error' in read) { io.err(t('scenario:cli.readError', { file, detail: read.error })); count++; continue; }
        if ('problem' in read) problems = [read.problem];
        else { const r = parseScenario(read.text, file); problems = r.ok ? [] : r.problems; }
        for (const p of problems) io.out(formatProblem(p, t));
        if (problems.length === 0) io.out(t('scenario:cli.fileOk', { file }));
        count += problems.length;
      }
      io.out(count ? t('scenario:cli.summaryProblems', { count, files: files.length }) : t('scenario:cli.summaryOk', { files: files.length }));
      return count ? 1 : 0;
    }
    case 'play': {
      const files = rest.filter((a) => !a.startsWith('--'));
      if (files.length !== 1 || !rest.includes('--solution')) { io.err(t('scenario:cli.needSolution')); return 2; }
      const file = files[0]!;
      const read = readScenarioFile(file);
      if ('error' in read) { io.err(t('scenario:cli.readError', { file, detail: read.error })); return 1; }
      const parsed = 'problem' in read ? { ok: false as const, problems: [read.problem] } : parseScenario(read.text, file);
      if (!parsed.ok) { for (const p of parsed.problems) io.out(formatProblem(p, t)); return 1; }
      const o = runSolution(parsed.scenario, file);
      for (const p of o.problems) io.out(formatProblem(p, t));
      io.out(t('scenario:cli.outcomeState', { state: o.stateId, finished: t(o.finished ? 'scenario:cli.yes' : 'scenario:cli.no') }));
      io.out(t('scenario:cli.outcomeScore', { score: o.score }));
      io.out(t('scenario:cli.outcomeTime', { now: o.now }));
      io.out(t('scenario:cli.outcomeHash', { hash: o.stateHash }));
      io.out(t(o.ok ? 'scenario:cli.playOk' : 'scenario:cli.playFailed', { file }));
      return o.ok ? 0 : 1;
    }
    case 'schema':
      io.out(JSON.stringify(scenarioJsonSchema(), null, 2));
      return 0;
    case undefined:
    case 'help':
    case '--help':
      io.out(t('scenario:cli.usage'));
      return command === undefined ? 2 : 0;
    default:
      io.err(t('scenario:cli.unknownCommand', { command }));
      io.err(t('scenario:cli.usage'));
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A closed pipe (`| head`) ends output quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
