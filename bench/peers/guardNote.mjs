// The cost of storm protection and fingers-crossed (issue 17: at most +10% on an enabled call),
// as a line under the bench tables: each guard case over the plain enabled call of the same run.

const BASE = 'enabled-small';
const DISABLED = 'disabled';
const GUARDED = [
  { id: 'guard-forward', what: 'through `stormGuard` (forwarding)' },
  { id: 'guard-held', what: 'held by `fingersCrossed`' },
];
const LIMIT = 0.1;

const median = (values) => {
  const numbers = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return numbers.length ? numbers[numbers.length >> 1] : undefined;
};

const ns = (value) => (value < 10 ? `${value.toFixed(2)} ns` : `${value.toFixed(0)} ns`);
const percent = (ratio) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(0)}%`;

/**
 * "Storm protection and fingers-crossed …" with one figure per engine (`A / B` in the order of
 * `engines`), or '' when the run has no guard case.
 * @param engines - results by engine name: `{ samples: { mvx: [round, …] } }`
 */
export function guardNote(engines) {
  const names = Object.keys(engines);
  const medians = names.map((engine) => {
    const rounds = engines[engine].samples.mvx ?? [];
    const of = (id) => median(rounds.map((round) => round[id]));
    return { of, base: of(BASE) };
  });
  const parts = [];
  for (const { id, what } of GUARDED) {
    const cells = medians.map(({ of, base }) =>
      of(id) !== undefined && base ? percent(of(id) / base) : undefined,
    );
    if (cells.some((cell) => cell !== undefined))
      parts.push(`${what} ${cells.map((cell) => cell ?? '–').join(' / ')}`);
  }
  const disabled = medians.map(({ of }) => of('guard-disabled'));
  if (disabled.some((value) => value !== undefined)) {
    const plain = medians.map(({ of }) => of(DISABLED));
    const show = (values) => values.map((v) => (v === undefined ? '–' : ns(v))).join(' / ');
    parts.push(`a disabled call behind both ${show(disabled)} (plain: ${show(plain)})`);
  }
  if (!parts.length) return '';
  return (
    `Storm protection and fingers-crossed, over the plain enabled call of the same run ` +
    `(${names.join(' / ')}; issue 17 allows +${LIMIT * 100}%): ${parts.join('; ')}.\n`
  );
}
