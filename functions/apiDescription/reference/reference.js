/* global window, URLSearchParams, SwaggerUIBundle, SwaggerUIStandalonePreset */
// The reference page of this API: Swagger UI, served with the API, reading the live openapi.json
// of each version (so the try-it console calls this same deployment). The page lives under the v4
// base path; the top bar switches to v5 (?urls.primaryName=v5.0.1 opens it there). Nothing is
// fetched from elsewhere: no CDN, no fonts, no online validator.
window.addEventListener('load', () => {
  const base = window.location.pathname.replace(/\/docs\/?(index\.html)?$/, '');
  // Whatever precedes the v4 base path (a stage, a custom domain's mapping) precedes v5's too.
  const prefix = base.replace(/\/tmf-api\/customerManagement\/v4$/, '');
  window.ui = SwaggerUIBundle({
    urls: [
      { url: `${base}/openapi.json`, name: 'v4.0.0' },
      { url: `${prefix}/tmf-api/customer/v5/openapi.json`, name: 'v5.0.1' },
    ],
    'urls.primaryName': new URLSearchParams(window.location.search).get('urls.primaryName') ?? 'v4.0.0',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    validatorUrl: null,
    oauth2RedirectUrl: `${window.location.origin}${base}/docs/oauth2-redirect.html`,
  });
});
