// Packages without their own type declarations, typed as far as the scripts use them.
declare module 'swagger2openapi' {
  const swagger2openapi: {
    convertObj(swagger: object, options: Record<string, unknown>): Promise<{ openapi: Record<string, unknown> }>;
  };
  export default swagger2openapi;
}

declare module 'openapi-to-postmanv2' {
  const converter: {
    convert(
      input: { type: 'json'; data: object },
      options: Record<string, unknown>,
      callback: (
        error: Error | null,
        result: { result: boolean; reason?: string; output?: { data: Record<string, unknown> }[] },
      ) => void,
    ): void;
  };
  export default converter;
}
