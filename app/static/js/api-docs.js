// /docs (ASKROOM_API_DOCS=true): Swagger UI, vendored, on our own OpenAPI document. A
// file rather than an inline script, so the page keeps the same CSP as every other.
window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null, // never send the document to a third-party validator
});
