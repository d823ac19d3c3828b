// Strict conformance of an OTLP/HTTP JSON logs body to the official opentelemetry-proto schema,
// with the generated protobufjs types of `otlp-proto` (see TOOLCHAIN.md). protobufjs's `fromObject`
// silently drops unknown fields and coerces wrong types, so the check compares what comes back
// from a binary round trip with what was sent, field by field; and it rejects any string (value or
// key) that is not well-formed Unicode, as a strict proto3 JSON decoder does.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('otlp-proto/build/src/generated/root.js');
const Request = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

// Fields that are `bytes` in the proto and hex strings in OTLP JSON (protobufjs reads base64).
const HEX_BYTES_FIELDS = new Set(['traceId', 'spanId']);
const HEX_LENGTH = { traceId: 32, spanId: 16 };

/** Every problem found in `value`'s strings and keys, with its JSON path. */
function malformedStrings(value, path, problems) {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) problems.push(`${path}: lone surrogate`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => malformedStrings(item, `${path}[${index}]`, problems));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) problems.push(`${path}: key with a lone surrogate`);
      malformedStrings(item, `${path}.${key}`, problems);
    }
  }
  return problems;
}

/** A copy with the hex id fields as Buffers (what `fromObject` needs for `bytes`). */
function hexToBytes(value, problems, path = '$') {
  if (Array.isArray(value))
    return value.map((item, i) => hexToBytes(item, problems, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    if (HEX_BYTES_FIELDS.has(key)) {
      const pattern = new RegExp(`^([0-9a-f]{${HEX_LENGTH[key]}})?$`);
      if (typeof item !== 'string' || !pattern.test(item))
        problems.push(`${path}.${key}: not ${HEX_LENGTH[key]} lowercase hex digits`);
      out[key] = Buffer.from(String(item), 'hex');
    } else out[key] = hexToBytes(item, problems, `${path}.${key}`);
  }
  return out;
}

/** The decoded object with bytes fields back as hex. */
function bytesToHex(value) {
  if (Array.isArray(value)) return value.map(bytesToHex);
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value))
    out[key] = HEX_BYTES_FIELDS.has(key)
      ? Buffer.from(item, 'base64').toString('hex')
      : bytesToHex(item);
  return out;
}

/** What a proto3 binary round trip cannot carry: empty repeated fields and empty messages' lists. */
function withoutEmptyLists(value) {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value))
    if (!(Array.isArray(item) && item.length === 0)) out[key] = withoutEmptyLists(item);
  return out;
}

/** The first difference between `sent` and `back`, as a path and the two values, or ''. */
function firstDifference(sent, back, path = '$') {
  if (Object.is(sent, back)) return '';
  const bothObjects = sent && back && typeof sent === 'object' && typeof back === 'object';
  if (!bothObjects || Array.isArray(sent) !== Array.isArray(back))
    return `${path}: sent ${JSON.stringify(sent)}, decoded ${JSON.stringify(back)}`;
  const keys = new Set([...Object.keys(sent), ...Object.keys(back)]);
  for (const key of keys) {
    const difference = firstDifference(sent[key], back[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return '';
}

/**
 * The problems of an OTLP/HTTP JSON `ExportLogsServiceRequest` body (empty when conformant):
 * not JSON, lone surrogates, ids that are not hex, and any field the official schema does not
 * carry back unchanged (unknown or misspelled fields, wrong types, int64 not as decimal strings,
 * enums not as integers).
 * @param {string} text - the body
 * @returns {string[]}
 */
export function otlpProblems(text) {
  let sent;
  try {
    sent = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${error.message}`];
  }
  const problems = malformedStrings(sent, '$', []);
  let back;
  try {
    const message = Request.fromObject(hexToBytes(sent, problems));
    const decoded = Request.decode(Request.encode(message).finish());
    back = bytesToHex(Request.toObject(decoded, { longs: String, defaults: false }));
  } catch (error) {
    return [...problems, `schema: ${error.message}`];
  }
  const difference = firstDifference(withoutEmptyLists(sent), JSON.parse(JSON.stringify(back)));
  if (difference) problems.push(difference);
  return problems;
}

/**
 * Throws when `text` is not a conformant OTLP logs body.
 * @param {string} text - the body
 */
export function assertConformantOtlp(text) {
  const problems = otlpProblems(text);
  if (problems.length) throw new Error(`OTLP body not conformant:\n${problems.join('\n')}`);
}
