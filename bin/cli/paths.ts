/**
 * npm runs a script from the project folder whatever folder it was called from, and says where
 * that was in INIT_CWD: file names given to a bulk command are the caller's, so they resolve there.
 */
import { resolve } from 'node:path';

export function callerPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
