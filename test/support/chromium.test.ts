import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium } from './chromium.js';

describe('findChromium', () => {
  it('tries CHROMIUM_PATH first, then /usr/bin/chromium, then the playwright cache', () => {
    const cache = mkdtempSync(join(tmpdir(), 'pw-'));
    const c = chromiumCandidates({ CHROMIUM_PATH: '/opt/c/chrome', PLAYWRIGHT_BROWSERS_PATH: cache });
    expect(c.slice(0, 2)).toEqual(['/opt/c/chrome', '/usr/bin/chromium']);
  });
  it('uses an executable CHROMIUM_PATH and refuses one that is not executable, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chr-'));
    const exe = join(dir, 'chrome'),
      plain = join(dir, 'plain');
    writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(plain, '', { mode: 0o644 });
    expect(findChromium({ CHROMIUM_PATH: exe })).toBe(exe);
    expect(() => findChromium({ CHROMIUM_PATH: plain })).toThrow(/^CHROMIUM_PATH=.* is not an executable file[^\n]*$/);
  });
});
