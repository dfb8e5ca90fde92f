/** The PATCH media types both TMF629 versions declare, and the patch format each one names. */
import type { PatchFormat } from '../domain/patchCustomer.js';

export const PATCH_FORMATS: Readonly<Record<string, PatchFormat>> = {
  // Plain JSON is read as a JSON Merge Patch, as the TMF629 CTK sends it.
  'application/json': 'merge',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json-patch',
  'application/json-patch-query+json': 'json-patch-query',
};

export const PATCH_MEDIA_TYPES = Object.keys(PATCH_FORMATS);

/** The format a request's media type names (the chain has already refused any other). */
export function patchFormatOf(mediaType: string | undefined): PatchFormat {
  return PATCH_FORMATS[mediaType ?? ''] ?? 'merge';
}
