// The end-to-end tests drive Debian's Chromium (no browser downloads are possible here).
// Installs it when missing and we are root; otherwise says the one command to run.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`Chromium is missing at ${CHROMIUM}: installing Debian's chromium package…`);
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  if (existsSync(CHROMIUM)) process.exit(0);
  console.error('Installing chromium did not produce ' + CHROMIUM);
  process.exit(1);
}

console.error(`Chromium is missing at ${CHROMIUM}. Install it once with:\n\n  sudo apt-get install -y chromium\n`);
process.exit(1);
