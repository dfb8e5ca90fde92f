/**
 * describeApi: GET {base}/openapi.json (OpenAPI 3.0) and GET {base}/swagger.json (Swagger 2.0)
 * -> the live description of this API, with this deployment's URL and security. Not a TMF629
 * operation; its own small function, so the customer functions do not carry the description.
 */
import { describeApi, resolvedSecurity, type DescriptionFormat } from '../apiDescription/liveDescription.js';
import { tmfHandler } from '../http/chain.js';
import { API_BASE_PATHS, baseUrlOfVersion } from '../operations.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, settings, apiSecurity }) => {
  const indexedAttributes = settings.lookupAttributes
    .filter((attribute) => !attribute.builtIn)
    .map((attribute) => attribute.attribute);
  return tmfHandler('describeApi', chain, async (request) => {
    if (request.resource.startsWith(`${API_BASE_PATHS.v5}/`)) {
      // TMF629 v5: the official v5.0.1 document (and HubRegistered), with this deployment's URL.
      const { default: v5 } = await import('../generated/v5/openapi.base.json', { with: { type: 'json' } });
      const baseUrl = baseUrlOfVersion(request.baseUrl, 'v5');
      return json(
        200,
        { ...v5, servers: [{ url: `${baseUrl}/` }] },
        { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
      );
    }
    const format: DescriptionFormat = request.resource.endsWith('/swagger.json') ? 'swagger' : 'openapi';
    const document = describeApi(
      format,
      request.baseUrl,
      resolvedSecurity(apiSecurity, request.baseUrl),
      indexedAttributes,
    );
    return json(200, document, { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
  });
});
