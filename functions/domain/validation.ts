/** Turns the precompiled swagger validators' findings into one 400 that names each attribute. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ValidationError } from '../errors.js';

/** `/contactMedium/0/characteristic` -> `contactMedium[0].characteristic` */
export function attributePath(instancePath: string, child?: string): string {
  const steps = instancePath
    .split('/')
    .slice(1)
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) steps.push(child);
  return steps.reduce((path, step) => (/^\d+$/.test(step) ? `${path}[${step}]` : path ? `${path}.${step}` : step), '');
}

function describe(error: ErrorObject): string | undefined {
  switch (error.keyword) {
    case 'required':
      return `${attributePath(error.instancePath, String(error.params.missingProperty))}: is mandatory`;
    case 'enum': {
      // Our extension policy reports unknown attributes as a propertyNames/enum failure.
      const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
      if (propertyName !== undefined) {
        return `${attributePath(error.instancePath, propertyName)}: is not a known attribute (declare @schemaLocation to extend)`;
      }
      // A discriminator: say which @type values are known.
      if (error.instancePath.endsWith('/@type') && Array.isArray(error.params.allowedValues)) {
        return `${attributePath(error.instancePath)}: is not a known type here; one of ${(error.params.allowedValues as string[]).join(', ')}`;
      }
      return `${attributePath(error.instancePath) || 'body'}: ${error.message ?? 'invalid value'}`;
    }
    case 'if':
    case 'propertyNames':
      return undefined; // wrappers around the enum failure above
    default:
      return `${attributePath(error.instancePath) || 'body'}: ${error.message ?? 'is invalid'}`;
  }
}

/** Runs a precompiled validator (functions/generated/), throwing one 400 that names every problem. */
export function check<T>(validate: ValidateFunction<T>, value: unknown, what: string): asserts value is T {
  if (validate(value)) return;
  const problems = [...new Set((validate.errors ?? []).map(describe).filter((m): m is string => !!m))];
  throw new ValidationError(`${what} is invalid: ${problems.join('; ')}`);
}
