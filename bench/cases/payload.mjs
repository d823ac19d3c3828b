// LogPayloadProcessor cases for `npm run bench` (plain JS, no imports; `lib` is the package).
// Each `make` builds its input once, so only process() is measured.

const flat = () => ({
  id: 42,
  name: 'ada',
  ok: true,
  ratio: 0.75,
  count: 1234567,
  status: 'active',
  retries: 0,
  region: 'eu-west-1',
  cached: false,
  parent: null,
});

export const cases = [
  {
    name: 'processor: 10-key flat object of primitives',
    make: (lib) => {
      const p = new lib.LogPayloadProcessor();
      const v = flat();
      return () => p.process(v);
    },
  },
  {
    name: 'processor: small nested { user: { id, name }, items: [1,2,3], ok }',
    make: (lib) => {
      const p = new lib.LogPayloadProcessor();
      const v = { user: { id: 42, name: 'ada' }, items: [1, 2, 3], ok: true };
      return () => p.process(v);
    },
  },
  {
    name: 'processor: 1 KB ASCII string',
    make: (lib) => {
      const p = new lib.LogPayloadProcessor();
      const v = 'The quick brown fox jumps over the lazy dog. '.repeat(23).slice(0, 1024);
      return () => p.process(v);
    },
  },
  {
    name: 'processor: Error with cause and code',
    make: (lib) => {
      const p = new lib.LogPayloadProcessor();
      const v = {
        error: Object.assign(new Error('failed', { cause: new Error('root') }), { code: 'E1' }),
      };
      return () => p.process(v);
    },
  },
  {
    name: 'processor: 100 × 10-key objects (hits the 16 KiB budget)',
    make: (lib) => {
      const p = new lib.LogPayloadProcessor();
      const v = Array.from({ length: 100 }, flat);
      return () => p.process(v);
    },
  },
  {
    name: 'reference: JSON.stringify of the 10-key object',
    make: () => {
      const v = flat();
      return () => JSON.stringify(v);
    },
  },
];
