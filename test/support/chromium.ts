/**
 * Where the browser test finds Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else a
 * build in playwright's cache (PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright). Never
 * downloads one; when none is executable it fails with a one-line install hint.
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const executable = (p: string) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.CHROMIUM_PATH) out.push(env.CHROMIUM_PATH);
  out.push('/usr/bin/chromium');
  const cache = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache)
      .filter((n) => n.startsWith('chromium'))
      .sort()
      .reverse()) {
      out.push(
        join(cache, d, 'chrome-linux', 'chrome'),
        join(cache, d, 'chrome-linux64', 'chrome'),
        join(cache, d, 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
      );
    }
  }
  return out;
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH && !executable(env.CHROMIUM_PATH))
    throw new Error(
      `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file; point it at a Chromium binary (or unset it)`,
    );
  const found = chromiumCandidates(env).find(executable);
  if (!found)
    throw new Error(
      'no Chromium found (CHROMIUM_PATH, /usr/bin/chromium, playwright cache): install one with `apt-get ' +
        'install chromium` or set CHROMIUM_PATH',
    );
  return found;
}
