/**
 * `npm run ctk:fetch`: brings TM Forum's CTK-Customer-4.0.0 into .ctk-official (git-ignored),
 * from its public repository at the commit CI runs, and shows its licence; `npm run ctk` then
 * runs it beside ours. Needs git and access to GitHub.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from './cli/command.js';
import { OFFICIAL_KIT, findOfficialKit } from './cli/ctkOfficial.js';

parseCommand('ctk:fetch', (command) =>
  command.description("Fetch TM Forum's CTK-Customer-4.0.0 (pinned commit) into .ctk-official and show its licence"),
);

const root = join(import.meta.dirname, '..');
const target = join(root, OFFICIAL_KIT.localFolder);

function git(...args: string[]): void {
  const result = spawnSync('git', args, { stdio: 'inherit' });
  if (result.error) throw new Error(`git could not run (${result.error.message}); install git and try again`);
  if (result.status !== 0) throw new Error(`git ${args[0]} failed (status ${result.status})`);
}

try {
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  console.log(`fetching ${OFFICIAL_KIT.repository} at ${OFFICIAL_KIT.commit} into ${OFFICIAL_KIT.localFolder}/`);
  git('init', '--quiet', target);
  git('-C', target, 'fetch', '--quiet', '--depth', '1', OFFICIAL_KIT.repository, OFFICIAL_KIT.commit);
  git('-C', target, 'checkout', '--quiet', 'FETCH_HEAD');
  const kit = findOfficialKit(root, { CTK_OFFICIAL_DIR: target });
  if (!kit) throw new Error(`the fetched commit does not hold the kit's files where expected (${target})`);
  console.log(`\n--- TM Forum's licence for the kit (${kit.licence}) ---\n`);
  console.log(existsSync(kit.licence) ? readFileSync(kit.licence, 'utf8') : '(no LICENSE file in the kit)');
  console.log(`--- end of licence ---\n\nTM Forum's CTK-Customer-4.0.0 is ready: \`npm run ctk\` runs it beside ours.`);
} catch (error) {
  console.error(`ctk:fetch failed: ${(error as Error).message}`);
  process.exit(1);
}
