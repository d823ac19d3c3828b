// The side-by-side table: medians over rounds, ratios to pino of the same run, targets (issue 14).
import { guardNote } from './guardNote.mjs';

const TARGETS = {
  disabled: { vsPino: 1.2 },
  'enabled-small': { vsPino: 1.5, otelOver: 4 },
  'enabled-flat': { vsPino: 1.5, otelOver: 4 },
  'enabled-error': { vsPino: 1.5, otelOver: 4 },
  'batch-json': { vsPino: 1.5 },
  // pino has no OTLP path: compared with pino's JSON batching
  'batch-otlp': { vsPino: 2, pinoCase: 'batch-json', otelOver: 4 },
};

const median = (values) => {
  const numbers = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return numbers.length ? numbers[numbers.length >> 1] : undefined;
};

const time = (ns) =>
  ns === undefined
    ? '–'
    : ns < 10
      ? `${ns.toFixed(2)} ns`
      : ns < 1000
        ? `${ns.toFixed(0)} ns`
        : `${(ns / 1000).toFixed(2)} µs`;

const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`);

/** Rows of one engine: case, a time per library, mvx ÷ pino, OTel ÷ mvx, target verdict. */
function rows(samples, { CASES, LIBRARIES }) {
  const medians = {};
  for (const library of LIBRARIES)
    for (const { id } of CASES)
      (medians[id] ??= {})[library] = median(samples[library].map((round) => round[id]));
  const errors = [];
  for (const library of LIBRARIES)
    for (const round of samples[library])
      for (const [id, value] of Object.entries(round))
        if (value?.error) errors.push(`${library} ${id}: ${value.error.split('\n')[0]}`);
  return {
    errors: [...new Set(errors)],
    rows: CASES.map(({ id, title }) => {
      const target = TARGETS[id];
      const mvx = medians[id].mvx;
      const pino = medians[target?.pinoCase ?? id].pino;
      const vsPino = mvx !== undefined && pino ? mvx / pino : undefined;
      const otelOver = mvx && medians[id].otel !== undefined ? medians[id].otel / mvx : undefined;
      const verdicts = [];
      if (target && vsPino !== undefined)
        verdicts.push(`${vsPino <= target.vsPino ? 'met' : 'missed'} (≤ ${target.vsPino}×)`);
      if (target?.otelOver && otelOver !== undefined)
        verdicts.push(
          `OTel ${otelOver >= target.otelOver ? 'met' : 'missed'} (≥ ${target.otelOver}×)`,
        );
      return {
        title: target?.pinoCase ? `${title} ¹` : title,
        times: LIBRARIES.map((library) => time(medians[id][library])),
        vsPino: ratio(vsPino),
        otelOver: ratio(otelOver),
        verdict: verdicts.join(', ') || '–',
      };
    }),
  };
}

/**
 * The README's compact table: one row per case, each cell "Chromium / Node", mvx ÷ pino per engine.
 * @param engines - results by engine name
 * @param meta - date, machine, versions
 * @param names - case and library tables
 */
export function formatReadme(engines, meta, names) {
  const engineNames = Object.keys(engines);
  const tables = engineNames.map((engine) => rows(engines[engine].samples, names).rows);
  const header = [
    'case',
    ...names.LIBRARIES.map((l) => names.LIBRARY_NAMES[l]),
    'mvx ÷ pino',
    'OTel ÷ mvx',
  ];
  let out = `${meta.date}; ${meta.machine}; ${engineNames.map((e) => `${e} ${engines[e].version}`).join(', ')}; `;
  out += `${names.LIBRARIES.map((l) => `${names.LIBRARY_NAMES[l]} ${meta.versions[l]}`).join(', ')}. `;
  out += `Each cell: ${engineNames.join(' / ')}.\n\n`;
  out += `| ${header.join(' | ')} |\n|---|${header
    .slice(1)
    .map(() => '---:')
    .join('|')}|\n`;
  tables[0].forEach((row, index) => {
    const cell = (pick) => tables.map((table) => pick(table[index])).join(' / ');
    // a case this run did not measure for mvx-logger (an older results file) is left out
    if (tables.every((table) => table[index].times[0] === '–')) return;
    out += `| ${row.title} | ${names.LIBRARIES.map((_, l) => cell((r) => r.times[l])).join(' | ')} | ${cell((r) => r.vsPino)} | ${cell((r) => r.otelOver)} |\n`;
  });
  if (tables[0].some((row) => row.title.endsWith('¹')))
    out += '\n¹ pino has no OTLP path: the ratio is to pino batching JSON.\n';
  const guard = guardNote(engines);
  if (guard) out += `\n${guard}`;
  return out;
}

const README_BLOCK = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;

/**
 * `readme` with the text between its `<!-- bench:start -->` and `<!-- bench:end -->` lines
 * replaced by `table`; `undefined` when the markers are missing.
 */
export function replaceReadmeTable(readme, table) {
  return README_BLOCK.test(readme) ? readme.replace(README_BLOCK, `$1${table}$2`) : undefined;
}

/** The terminal text and bench/results.md. */
export function formatTables(engines, meta, names) {
  const header = [
    'case',
    ...names.LIBRARIES.map((l) => names.LIBRARY_NAMES[l]),
    'mvx ÷ pino',
    'OTel ÷ mvx',
    'target',
  ];
  let terminal = '';
  let markdown = `# \`npm run bench\`: mvx-logger beside its peers\n\n`;
  markdown += `${meta.date} · ${meta.machine} · ${meta.rounds} rounds (a fresh process/page per case and library), medians · ${meta.seconds} s\n\n`;
  markdown += `Versions: ${names.LIBRARIES.map((l) => `${names.LIBRARY_NAMES[l]} ${meta.versions[l]}`).join(', ')}.\n\n`;
  for (const [engine, { version, samples }] of Object.entries(engines)) {
    const { rows: table, errors } = rows(samples, names);
    const lines = table.map((r) => [r.title, ...r.times, r.vsPino, r.otelOver, r.verdict]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const pad = (cells) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i])));
    terminal += `\n${engine} ${version}\n  ${pad(header).join('  ')}\n`;
    for (const line of lines) terminal += `  ${pad(line).join('  ')}\n`;
    for (const error of errors) terminal += `  error: ${error}\n`;
    markdown += `## ${engine} ${version}\n\n| ${header.join(' | ')} |\n|---|${header
      .slice(1)
      .map(() => '---:')
      .join('|')}|\n`;
    for (const line of lines) markdown += `| ${line.join(' | ')} |\n`;
    if (errors.length) markdown += `\nErrors: ${errors.join('; ')}\n`;
    markdown += '\n';
  }
  const notes =
    '¹ pino has no OTLP path: compared with pino batching JSON. Batching: every library set to ' +
    'batches of 100 events, POSTed to a stubbed `fetch` that answers 200 at once; pino batches ' +
    'the JSON of its browser `write` hook. Disabled: each library’s own level gate (OpenTelemetry: ' +
    'a LoggerConfigurator minimum severity). Times are per call (per event for batching). The ' +
    'machine may be shared: compare ratios within one run rather than absolute times across runs.';
  terminal += `\n${notes}\n`;
  markdown += `${notes}\n`;
  const guard = guardNote(engines);
  if (guard) {
    terminal += `\n${guard}`;
    markdown += `\n${guard}`;
  }
  return { terminal, markdown };
}
