// Adds lock entries for optional platform binaries that this machine's registry mirror does not
// serve, so `npm ci` sees the lock in sync and skips them as foreign-platform optionals.
const fs = require('fs');
const file = process.argv[2];
const l = JSON.parse(fs.readFileSync(file, 'utf8'));
const p = l.packages;
const cpus = ['x64', 'arm64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'arm'];
let added = 0;
for (const [k, v] of Object.entries(p)) {
  for (const [d, ver] of Object.entries(v.optionalDependencies || {})) {
    if (p[`${k}/node_modules/${d}`] || p[`node_modules/${d}`]) continue;
    const tail = d.split('/')[1].replace(/^(rollup|msgpackr-extract)-/, '');
    const [os, ...rest] = tail.split('-');
    const cpu = cpus.find((c) => rest[0] === c) ?? rest[0];
    const entry = { version: ver, ...(v.dev ? { dev: true } : {}), optional: true, os: [os], cpu: [cpu] };
    if (os === 'linux' && rest.some((r) => r.startsWith('musl'))) entry.libc = ['musl'];
    else if (os === 'linux' && rest.some((r) => r.startsWith('gnu'))) entry.libc = ['glibc'];
    p[`node_modules/${d}`] = entry;
    added += 1;
  }
}
fs.writeFileSync(file, JSON.stringify(l, null, 2) + '\n');
console.log(`added ${added} entries`);
