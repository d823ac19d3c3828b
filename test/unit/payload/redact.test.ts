import { describe, expect, it } from 'vitest';
import { LogConfigError, LogPayloadProcessor } from '../../../src/index.js';

const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/;
const BEARER = /\bBearer\s+[\w.~+/-]+=*/i;

describe('LogPayloadProcessor: redaction', () => {
  it('redacts the default secret keys, case-insensitively and at any depth', () => {
    const p = new LogPayloadProcessor();
    const secrets = [
      'password',
      'Password',
      'passwd',
      'userPassword',
      'secret',
      'client_secret',
      'token',
      'accessToken',
      'refresh_token',
      'api_key',
      'apiKey',
      'X-Api-Key',
      'APIKEY',
      'authorization',
      'Authorization',
      'cookie',
      'Set-Cookie',
      'set_cookie',
      'session',
      'card_number',
      'cardNumber',
      'creditCardNumber',
      'cc_number',
      'pan',
      'PAN',
    ];
    const value = Object.fromEntries(secrets.map((k) => [k, 'value']));
    const out = p.process({ deep: [{ inner: value }] }) as any;
    for (const key of secrets) expect(out.deep[0].inner[key], key).toBe('[REDACTED]');
  });

  it('leaves look-alike keys alone', () => {
    const p = new LogPayloadProcessor();
    const value = {
      span: 1,
      company: 2,
      max_tokens: 3,
      tokenizer: 4,
      sessionId: 5,
      secretary: 6,
      cookies_enabled: 7,
      passwordHint: 8,
    };
    expect(p.process(value)).toEqual(value);
  });

  it('redacts a whole object under a secret key, Map keys and Error properties', () => {
    const p = new LogPayloadProcessor();
    const error = Object.assign(new Error('login failed'), { password: 'p', user: 'ada' });
    expect(
      p.process({
        session: { id: 1, user: 'x' },
        headers: new Map([['Authorization', 'Basic abc']]),
        error,
      }),
    ).toMatchObject({
      session: '[REDACTED]',
      headers: { Authorization: '[REDACTED]' },
      error: { password: '[REDACTED]', user: 'ada' },
    });
  });

  it('adds keys: strings ignore case and separators, RegExps match the key as written', () => {
    const p = new LogPayloadProcessor({ redactKeys: ['ssn', 'date-of-birth', /^x-internal-/g] });
    expect(
      p.process({
        SSN: 1,
        dateOfBirth: 2,
        date_of_birth: 3,
        'x-internal-id': 4,
        'X-INTERNAL-ID': 5,
        other: 6,
      }),
    ).toEqual({
      SSN: '[REDACTED]',
      dateOfBirth: '[REDACTED]',
      date_of_birth: '[REDACTED]',
      'x-internal-id': '[REDACTED]',
      'X-INTERNAL-ID': 5,
      other: 6,
    });
    // a `g` flag carries no lastIndex state from one key to the next
    expect(p.process({ 'x-internal-a': 1, 'x-internal-b': 2 })).toEqual({
      'x-internal-a': '[REDACTED]',
      'x-internal-b': '[REDACTED]',
    });
  });

  it('replaces value patterns in every string: bearer tokens, JWTs', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const p = new LogPayloadProcessor({ redactValues: [BEARER, JWT] });
    expect(
      p.process({
        header: 'Bearer abc.DEF-123_x',
        note: `retry with ${jwt} and ${jwt}`,
        list: [`Bearer ${jwt}`],
        error: new Error(`bad token ${jwt}`),
      }),
    ).toMatchObject({
      header: '[REDACTED]',
      note: 'retry with [REDACTED] and [REDACTED]',
      list: ['[REDACTED]'],
      error: { message: 'bad token [REDACTED]' },
    });
  });

  it('turns the defaults off, keeping added keys', () => {
    const p = new LogPayloadProcessor({ redactDefaultKeys: false, redactKeys: ['pin'] });
    expect(p.process({ password: 'p', token: 't', pin: '1234' })).toEqual({
      password: 'p',
      token: 't',
      pin: '[REDACTED]',
    });
  });

  it('does not change the RegExps it was given', () => {
    const pattern = /secret-\d+/g;
    pattern.lastIndex = 3;
    const p = new LogPayloadProcessor({ redactValues: [pattern], redactKeys: [pattern] });
    expect(p.process({ a: 'x secret-1 secret-2' })).toEqual({ a: 'x [REDACTED] [REDACTED]' });
    expect(pattern.lastIndex).toBe(3);
  });
});

describe('LogPayloadProcessor: options', () => {
  const bad: [string, unknown, RegExp][] = [
    ['maxDepth', 0, /maxDepth must be an integer >= 1, got 0/],
    ['maxKeys', 1.5, /maxKeys must be an integer >= 1/],
    ['maxItems', '10', /maxItems must be an integer >= 1/],
    ['maxStringLength', -1, /maxStringLength/],
    ['maxBytes', 63, /maxBytes must be an integer >= 64, got 63/],
    ['maxBytes', Infinity, /maxBytes/],
    ['redactKeys', 'password', /redactKeys must be an array of strings and RegExps/],
    ['redactKeys', [1], /redactKeys/],
    ['redactValues', ['Bearer'], /redactValues must be an array of RegExps/],
    ['redactValues', [/x*/], /cannot match an empty string/],
    ['redactDefaultKeys', 'no', /redactDefaultKeys must be a boolean/],
  ];
  for (const [name, value, message] of bad) {
    it(`rejects ${name}: ${String(value)}`, () => {
      const make = () => new LogPayloadProcessor({ [name]: value });
      expect(make).toThrow(LogConfigError);
      expect(make).toThrow(message);
    });
  }

  it('rejects values that cannot even be shown in a message with LogConfigError', () => {
    for (const options of [
      { maxDepth: Symbol('x') },
      { maxBytes: Object.create(null) },
      { redactKeys: [Symbol('x')] },
      { redactValues: [Object.create(null)] },
    ]) {
      expect(() => new LogPayloadProcessor(options as never)).toThrow(LogConfigError);
    }
  });

  it('rejects a non-object and accepts undefined options (defaults)', () => {
    expect(() => new LogPayloadProcessor(42 as never)).toThrow(LogConfigError);
    expect(() => new LogPayloadProcessor(null as never)).toThrow(/options must be an object/);
    expect(new LogPayloadProcessor(undefined).process({ a: 1 })).toEqual({ a: 1 });
    expect(new LogPayloadProcessor({ maxDepth: undefined }).process([[1]])).toEqual([[1]]);
  });
});
