/* global window, SwaggerUIBundle */
// The reference page of this API: Swagger UI, served with the API, reading the live openapi.json
// next to it (so the try-it console calls this same deployment). Nothing is fetched from elsewhere:
// no CDN, no fonts, no online validator.
window.addEventListener('load', () => {
  const base = window.location.pathname.replace(/\/docs\/?(index\.html)?$/, '');
  window.ui = SwaggerUIBundle({
    url: `${base}/openapi.json`,
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    validatorUrl: null,
    oauth2RedirectUrl: `${window.location.origin}${base}/docs/oauth2-redirect.html`,
  });
});
