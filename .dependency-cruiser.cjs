/** Dependency rules of docs/architecture.md, checked in CI (`npm run check`). */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      comment: 'src/core imports only src/core (plus satellite.js in orbit/sgp4.ts, astronomy-engine in sky/).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^src/core/', '^node_modules/(satellite\\.js|astronomy-engine|zod)/'] },
    },
    {
      name: 'only-sgp4-wrapper-imports-satellite-js',
      severity: 'error',
      from: { pathNot: ['^src/core/orbit/sgp4\\.ts$', '\\.test\\.ts$', '^test/', '^bench/'] },
      to: { path: '^node_modules/satellite\\.js/' },
    },
    {
      name: 'domain-has-no-io',
      severity: 'error',
      from: { path: '^(tle|scheduler|relay|network)/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^node_modules/(ioredis|bullmq|express|pino)/',
          '^src/platform/',
          '^src/api/',
          '^(tle|scheduler|relay|network)/(adapters|http)/',
        ],
      },
    },
    { name: 'scheduler-domain-not-relay', severity: 'error', from: { path: '^scheduler/' }, to: { path: '^relay/' } },
    { name: 'relay-not-scheduler', severity: 'error', from: { path: '^relay/' }, to: { path: '^scheduler/' } },
    {
      name: 'network-domain-is-pure',
      comment: "network/domain composes the other components' pure domains (never their adapters) and src/core.",
      severity: 'error',
      from: { path: '^network/domain/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^network/domain/', '^src/core/', '^(tle|scheduler|relay)/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'components-not-network',
      severity: 'error',
      from: { path: '^(tle|scheduler|relay)/' },
      to: { path: '^network/' },
    },
    {
      name: 'adapters-not-other-components-adapters',
      severity: 'error',
      from: { path: '^(tle|scheduler|relay|network)/(adapters|http)/' },
      to: { path: '^(tle|scheduler|relay|network)/adapters/', pathNot: '^$1/adapters/' },
    },
    {
      name: 'only-roots-wire',
      comment: 'Only compose.ts, main.ts, worker.ts and src/cli wire the components together.',
      severity: 'error',
      from: { path: '^src/(core|platform|api)/' },
      to: { path: '^(tle|scheduler|relay|network)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
