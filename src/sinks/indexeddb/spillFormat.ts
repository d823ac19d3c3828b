import type { LogEvent } from '../../core/event.js';

/**
 * One spilled event. The field names are the stored format of version 1 (read by later pages):
 * never mangled (no leading `_`), never renamed.
 */
export interface SpillRow {
  /** Estimated bytes of the event. */
  bytes: number;
  /**
   * 1 when the spilling page may hold the event elsewhere too (an IndexedDB write in flight, its
   * memory tier), so a replay must skip it if it got stored; else 0.
   */
  maybeStored: 0 | 1;
  event: LogEvent;
}

/**
 * A compact row (version 2), a stored format (hence positional and labelled): the id as the
 * number of the base's id counter when it has the base's prefix (see `createEventId`), else
 * whole; the time as an offset from the base's; the other fields that differ from the base; and
 * the names of base fields the event does not have, when there are any.
 */
type CompactRow = [
  bytes: number,
  maybeStored: 0 | 1,
  id: number | string,
  timeOffset: number,
  fields: Record<string, unknown>,
  absent?: string[],
];

/**
 * One spill write, version 2: the fields shared by the events of a burst (namespace, level,
 * message, context, …) are stored once, in `base`, with the id prefix of the page (`idPrefix`);
 * each row keeps what differs. About a third of the size of version 1 for a burst of similar
 * events, so the default 2 MiB spill holds a burst of 10 000 typical events.
 */
interface CompactSpill {
  base: Record<string, unknown>;
  idPrefix: string;
  rows: CompactRow[];
}

/** The JSON of `value`, or undefined when it has none (a foreign, non-JSON-safe value). */
const jsonOf = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
};

/** The id prefix of `id` (up to its last `-`, as `createEventId` makes them), or ''. */
const prefixOf = (id: unknown) =>
  typeof id == 'string' ? id.slice(0, id.lastIndexOf('-') + 1) : '';

/**
 * An encoder of rows against a base: the fields of `newest` but its id (the rows of one write are
 * mostly a burst of similar events). `_encode` gives a row's text, or undefined for a foreign
 * event that is not JSON-safe; `_value` the stored value of row texts.
 */
export function rowEncoder(newest: LogEvent | undefined) {
  const base: Record<string, unknown> = { ...newest };
  delete base.id;
  const baseTime = typeof base.time == 'number' ? base.time : 0;
  const idPrefix = prefixOf(newest?.id);
  const baseJson = new Map(Object.entries(base).map(([key, value]) => [key, jsonOf(value)]));
  const header = `{"base":${jsonOf(base) ?? '{}'},"idPrefix":${JSON.stringify(idPrefix)},"rows":[`;
  return {
    /** Characters of a stored value besides its rows. */
    _overhead: header.length + 2,
    _value: (rowTexts: readonly string[]) => `${header}${rowTexts.join()}]}`,
    _encode({ bytes, maybeStored, event }: SpillRow): string | undefined {
      const fields = event as unknown as Record<string, unknown>;
      const delta: Record<string, unknown> = {};
      for (const key in fields) {
        const value = fields[key];
        if (value === undefined || key == 'id' || key == 'time') continue;
        // Same object (a context's bindings) or same primitive: shared; else compare the JSON.
        if (key in base && (value === base[key] || jsonOf(value) === baseJson.get(key))) continue;
        delta[key] = value;
      }
      const absent = Object.keys(base).filter((key) => fields[key] === undefined);
      const { id, time } = event;
      const counter =
        idPrefix && prefixOf(id) == idPrefix ? parseInt(id.slice(idPrefix.length), 36) : NaN;
      const compactId = idPrefix + counter.toString(36) === id ? counter : id;
      const row: CompactRow = [bytes, maybeStored, compactId, time - baseTime, delta];
      if (absent.length) row.push(absent);
      return jsonOf(row);
    },
  };
}

const validRow = (row: SpillRow | undefined): row is SpillRow =>
  typeof row?.bytes == 'number' &&
  typeof row.event?.id == 'string' &&
  typeof row.event.time == 'number';

/** The valid rows of one stored value, in either version; none when it is corrupt. */
export function decodeSpill(text: string | null): SpillRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text!);
  } catch {
    return [];
  }
  if (Array.isArray(value)) return (value as SpillRow[]).filter(validRow); // version 1
  const { base, idPrefix = '', rows } = (value ?? {}) as Partial<CompactSpill>;
  if (!base || typeof base != 'object' || !Array.isArray(rows)) return [];
  const baseTime = typeof base.time == 'number' ? base.time : 0;
  const decoded: SpillRow[] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || !row[4] || typeof row[4] != 'object') continue;
    const [bytes, maybeStored, id, timeOffset, fields, absent] = row;
    const event: Record<string, unknown> = {
      ...base,
      ...fields,
      id: typeof id == 'number' ? idPrefix + id.toString(36) : id,
      time: baseTime + timeOffset,
    };
    if (Array.isArray(absent)) for (const key of absent) delete event[key];
    const spilled = { bytes, maybeStored: maybeStored ? 1 : 0, event } as unknown as SpillRow;
    if (validRow(spilled)) decoded.push(spilled);
  }
  return decoded;
}
