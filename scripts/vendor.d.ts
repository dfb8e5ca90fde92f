// Packages without their own type declarations, typed as far as the scripts use them.
declare module 'swagger2openapi' {
  const swagger2openapi: {
    convertObj(swagger: object, options: Record<string, unknown>): Promise<{ openapi: Record<string, unknown> }>;
  };
  export default swagger2openapi;
}
