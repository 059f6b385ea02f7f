import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Api } from './route.js';

export function openApiDocument(api: Api, version: string): object {
  return new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'qkdsat', version, description: 'Satellite QKD planning, execution and key relay for mission planners.' },
    servers: [{ url: '/' }],
  });
}
