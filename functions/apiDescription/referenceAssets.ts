/**
 * The files of the API reference page ({base}/docs): our page and start-up script, and Swagger UI's
 * own assets from the swagger-ui-dist package. The local server serves them from here; the stack
 * uploads the same files to S3 and serves them through API Gateway.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ours = join(import.meta.dirname, 'reference');

export interface ReferenceAsset {
  /** Name under {base}/docs/ (`index.html` is {base}/docs itself). */
  readonly name: string;
  readonly file: string;
  readonly contentType: string;
}

export const REFERENCE_ASSETS: readonly ReferenceAsset[] = [
  { name: 'index.html', file: join(ours, 'index.html'), contentType: 'text/html; charset=utf-8' },
  { name: 'reference.js', file: join(ours, 'reference.js'), contentType: 'text/javascript; charset=utf-8' },
  { name: 'swagger-ui.css', file: join(swaggerUiDist, 'swagger-ui.css'), contentType: 'text/css; charset=utf-8' },
  {
    name: 'swagger-ui-bundle.js',
    file: join(swaggerUiDist, 'swagger-ui-bundle.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  {
    name: 'swagger-ui-standalone-preset.js',
    file: join(swaggerUiDist, 'swagger-ui-standalone-preset.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  {
    name: 'oauth2-redirect.html',
    file: join(swaggerUiDist, 'oauth2-redirect.html'),
    contentType: 'text/html; charset=utf-8',
  },
  {
    name: 'oauth2-redirect.js',
    file: join(swaggerUiDist, 'oauth2-redirect.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  { name: 'LICENSE', file: join(swaggerUiDist, 'LICENSE'), contentType: 'text/plain; charset=utf-8' },
];
