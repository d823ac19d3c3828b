import { describe, expect, it, vi } from 'vitest';
import { createDiagnostics } from '../../../src/core/diagnostics.js';

describe('createDiagnostics', () => {
  it('a channel without a handler reports through the first handler it adopts', () => {
    const first = vi.fn();
    const second = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const diagnostics = createDiagnostics();
      diagnostics._adopt(first);
      diagnostics._adopt(second);
      diagnostics._report('kind-a', 'a');
      diagnostics._report('kind-a', 'again'); // each kind once
      expect(first).toHaveBeenCalledExactlyOnceWith({ kind: 'kind-a', message: 'a' });
      expect(second).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('a channel with its own handler ignores adopted ones', () => {
    const own = vi.fn();
    const adopted = vi.fn();
    const diagnostics = createDiagnostics(own);
    diagnostics._adopt(adopted);
    diagnostics._report('k', 'm', 'cause');
    expect(own).toHaveBeenCalledExactlyOnceWith({ kind: 'k', message: 'm', error: 'cause' });
    expect(adopted).not.toHaveBeenCalled();
  });
});
