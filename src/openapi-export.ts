/**
 * Writes the committed OpenAPI document (docs/openapi.json) from the routes as `npm start` composes
 * them: `npm run openapi` after changing a route. A test fails when the committed file drifts.
 * Needs Redis at REDIS_URL (composition loads the demo catalog); uses a throw-away key prefix.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from './openapi-build.js';
import { REPO_ROOT } from './platform/config.js';

const out = resolve(REPO_ROOT, 'docs/openapi.json');
writeFileSync(out, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
process.exit(0);
