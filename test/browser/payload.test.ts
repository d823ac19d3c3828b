import { afterEach, describe, expect, it } from 'vitest';
import { LogPayloadProcessor } from '../../src/index.js';
import { jsonBytes } from '../../src/payload/bytes.js';

const p = new LogPayloadProcessor();
const frames: HTMLIFrameElement[] = [];

/** A same-origin iframe's window: a second realm with its own Object, Error, Map, … */
function realm(): any {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  frames.push(frame);
  return frame.contentWindow;
}

afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
  document.body.replaceChildren();
});

describe('LogPayloadProcessor in Chromium', () => {
  it('normalizes objects from another realm (an iframe) like local ones', () => {
    const win = realm();
    expect(new win.Object() instanceof Object).toBe(false); // really cross-realm
    const value = win.JSON.parse('{"user":{"id":1,"tags":["a","b"]},"password":"p"}');
    value.when = new win.Date(0);
    value.map = new win.Map([['k', new win.Set([1, 2])]]);
    value.bytes = new win.Uint8Array(4);
    value.list = win.Array.of(1, 2, 3);
    value.self = value;
    expect(p.process(value)).toEqual({
      user: { id: 1, tags: ['a', 'b'] },
      password: '[REDACTED]',
      when: '1970-01-01T00:00:00.000Z',
      map: { k: [1, 2] },
      bytes: '[Uint8Array(4)]',
      list: [1, 2, 3],
      self: '[Circular ~]',
    });
  });

  it('copies an Error from another realm, with its cause and own properties', () => {
    const win = realm();
    const error = new win.TypeError('frame failed', { cause: new win.RangeError('root') });
    error.code = 'E_FRAME';
    expect(error instanceof Error).toBe(false);
    const out = p.process({ error }) as any;
    expect(out.error).toMatchObject({
      name: 'TypeError',
      message: 'frame failed',
      code: 'E_FRAME',
      cause: { name: 'RangeError', message: 'root' },
    });
    // The stack as the engine wrote it (Chromium's starts with "TypeError: frame failed"; Firefox's
    // and WebKit's list only the frames).
    expect(out.error.stack).toBe(error.stack);
  });

  it("counts the JSON bytes of this engine's stack traces exactly (the budget relies on it)", () => {
    const deeper = (n: number): Error =>
      n ? deeper(n - 1) : new Error('failed "x" \\ é', { cause: new TypeError('ü\tcause') });
    const error = deeper(5);
    const stacks = [error.stack!, (error.cause as Error).stack!];
    const utf8 = (s: string) => new TextEncoder().encode(JSON.stringify(s)).length;
    // as the engine wrote them, then with a tab, a quote and non-ASCII after a stack
    for (const text of [...stacks, `${stacks[0]}\n\t"${stacks[1]}`, `${stacks[0]}é${stacks[1]}`])
      expect(jsonBytes(text)).toBe(utf8(text));
    expect(stacks[0]).toContain('\n'); // a stack of several lines
  });

  it('describes DOM nodes, here and in another realm, without walking them', () => {
    const div = document.createElement('div');
    div.id = 'main';
    div.className = ' card  open ';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const win = realm();
    const foreign = win.document.createElement('section');
    foreign.id = 'remote';
    expect(
      p.process({
        div,
        text: document.createTextNode('hi'),
        svg,
        doc: document,
        foreign,
        win: window,
      }),
    ).toEqual({
      div: '<div#main.card.open>',
      text: '<#text>',
      svg: '<svg>',
      doc: '<#document>',
      foreign: '<section#remote>',
      win: '[Window]',
    });
  });

  it('describes a real click Event by type and target', () => {
    const button = document.createElement('button');
    button.id = 'buy';
    button.className = 'primary';
    document.body.append(button);
    let seen: unknown;
    button.addEventListener('click', (event) => (seen = p.process({ event })));
    button.click();
    expect(seen).toEqual({ event: { type: 'click', target: '<button#buy.primary>' } });
    expect(p.process(new CustomEvent('idle'))).toEqual({ type: 'idle', target: null });
  });

  it('copies a DOMException thrown by a real API', () => {
    let thrown: unknown;
    try {
      document.querySelector('!!invalid');
    } catch (error) {
      thrown = error;
    }
    expect(p.process(thrown)).toMatchObject({ name: 'SyntaxError', message: expect.any(String) });
  });

  it('marks a revoked Proxy and a Proxy from another realm whose trap throws', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const win = realm();
    const hostile = new win.Proxy(
      {},
      {
        ownKeys() {
          throw new win.Error('trap');
        },
      },
    );
    expect(p.process({ proxy, hostile, ok: 1 })).toEqual({
      proxy: '[Unreadable]',
      hostile: '[Unreadable]',
      ok: 1,
    });
  });
});
