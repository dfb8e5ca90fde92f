/**
 * A description-driven contract and negative-test run by a tool nobody here wrote: Portman turns
 * the live openapi.json into a Postman collection with contract tests (status, content type,
 * JSON body, schema with no undeclared property, documented headers present) for every
 * operation, fuzzed variations (each required attribute of a create and of a subscription
 * removed in turn: 400 with a valid Error) and negative ones (an unknown attribute, an unknown
 * id), and runs it with Newman against the local server. Config: test/contract/. The list is
 * narrowed to the customer the run created (`id=`): other tests share this server, and a customer
 * that declares its `@schemaLocation` may carry attributes of its own (TMF's extension
 * mechanism), which Portman's closed schemas would count against the description.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl } from './http.js';

const root = join(import.meta.dirname, '..', '..');
let listener: Server;
let listenerUrl = '';

beforeAll(async () => {
  listener = createServer((request, response) => request.resume().on('end', () => response.writeHead(204).end()));
  await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/listener`;
});
afterAll(() => new Promise<void>((done) => listener.close(() => done())));

describe('Portman over Newman, from the live description', () => {
  it('passes every generated contract, fuzzing and negative test', async () => {
    const work = mkdtempSync(join(tmpdir(), 'tmf629-portman-'));
    try {
      const base = baseUrl().replace(/\/$/, '');
      const report = join(work, 'newman.json');
      // Read here and handed over as a file: Portman's own download gives up quickly on a busy machine.
      const described = await fetch(`${base}/openapi.json`);
      expect(described.status).toBe(200);
      writeFileSync(join(work, 'openapi.json'), await described.text());
      const run = spawnSync(
        join(root, 'node_modules', '.bin', 'portman'),
        [
          '--local',
          join(work, 'openapi.json'),
          '--baseUrl',
          base,
          '--portmanConfigFile',
          join(root, 'test', 'contract', 'portman-config.json'),
          '--postmanConfigFile',
          join(root, 'test', 'contract', 'postman-config.json'),
          '--output',
          join(work, 'collection.json'),
          '--runNewman',
          '--newmanRunOptions',
          JSON.stringify({
            envVar: [{ key: 'listenerUrl', value: listenerUrl }],
            reporters: ['json'],
            reporter: { json: { export: report } },
          }),
        ],
        { cwd: work, encoding: 'utf8', timeout: 240_000 },
      );
      expect(
        existsSync(report),
        `Portman ran no Newman run:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`,
      ).toBe(true);
      const newman = JSON.parse(readFileSync(report, 'utf8')) as {
        run: {
          stats: { requests: { total: number }; assertions: { total: number; failed: number } };
          failures: { source?: { name?: string }; error?: { message?: string } }[];
        };
      };
      const failures = newman.run.failures.map((f) => `${f.source?.name}: ${f.error?.message}`);
      expect(failures, run.stdout.slice(-3000)).toEqual([]);
      expect(newman.run.stats.assertions.failed).toBe(0);
      // Every operation, 15 fuzzed creates and the negative variations: a run that tested little fails.
      expect(newman.run.stats.requests.total).toBeGreaterThanOrEqual(25);
      expect(newman.run.stats.assertions.total).toBeGreaterThanOrEqual(80);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
