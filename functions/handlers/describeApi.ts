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
    const v5 = request.resource.startsWith(`${API_BASE_PATHS.v5}/`);
    const format: DescriptionFormat = v5
      ? 'openapi-v5'
      : request.resource.endsWith('/swagger.json')
        ? 'swagger'
        : 'openapi';
    const baseUrl = v5 ? baseUrlOfVersion(request.baseUrl, 'v5') : request.baseUrl;
    const document = describeApi(format, baseUrl, resolvedSecurity(apiSecurity, baseUrl), indexedAttributes);
    return json(200, document, { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
  });
});
