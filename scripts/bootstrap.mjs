#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has only Node and npm: find or fetch the pinned pnpm,
// install the workspace, build, then serve or run every check. Uses Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// The pinned pnpm lives in engines.pnpm (a `packageManager` field makes pnpm 12 resolve itself
// from the registry on every run, which fails when the registry hiccups).
const pnpmVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.pnpm;
const command = process.argv[2];

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19))
  fail(`Flightdeck needs Node 20.19 or newer (this is ${process.version}).`);
if (command !== 'start' && command !== 'test') fail('usage: node scripts/bootstrap.mjs start|test');

// The pinned pnpm if it is on PATH, else the same version through npx (from the npm registry).
function pnpmCommand() {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (found.status === 0 && found.stdout.trim() === pnpmVersion) return ['pnpm', []];
  return ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
}

const [pnpmBin, pnpmPrefix] = pnpmCommand();

function run(args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(pnpmBin, [...pnpmPrefix, ...args], { cwd: root, stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function step(label, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const code = await run(args);
  if (code !== 0) fail(`${label} failed (exit ${code}).`);
}

await step('Installing dependencies', ['install', '--frozen-lockfile']);
if (command === 'start') {
  await step('Building', ['run', 'build']);
  process.exitCode = await run(['run', 'serve']);
} else {
  await step('Build, lint, format, typecheck and tests', ['run', 'check']);
}
