// Starts a real `tact serve` on a free port with a temporary data dir, mints tokens, and
// launches Debian's chromium (never a downloaded browser) through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.TACT_CHROMIUM || '/usr/bin/chromium';

// TACT_BIN (set by ctest), else the newest build*/bin/tact in the repository.
export function tactBinary() {
  if (process.env.TACT_BIN) return process.env.TACT_BIN;
  const found = readdirSync(repoRoot)
    .filter((d) => d.startsWith('build'))
    .map((d) => join(repoRoot, d, 'bin', 'tact'))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!found.length) throw new Error('no tact binary: set TACT_BIN or build into build*/');
  return found[0];
}

// The widget's files: web-widget/, or TACT_STATIC (e.g. an older commit's web-widget, to see a
// test fail on it: git archive de50cd2 web-widget | tar -x -C /tmp/old; TACT_STATIC=/tmp/old/web-widget).
export const staticDir = process.env.TACT_STATIC || join(repoRoot, 'web-widget');

// listen: "127.0.0.1:0" picks a free port; data: reuse a data dir (restart), else a new one.
export async function startServer({ healthEvery = 500, listen = '127.0.0.1:0', data: reuse = null, extra = [] } = {}) {
  const bin = tactBinary();
  const data = reuse || mkdtempSync(join(tmpdir(), 'tact-browser-data-'));
  const args = ['serve', '--listen', listen, '--data', data, '--static', staticDir,
    '--health-every', String(healthEvery), '--threads', '2', ...extra];
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a server behind, even when the tests are cut short.
  const reap = () => proc.exitCode === null && proc.kill('SIGKILL');
  process.once('exit', reap);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d;
  });
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error(`tact serve did not start in 15 s:\n${out}\n${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveBase(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tact serve exited with ${code}:\n${out}\n${err}`));
    });
  });
  const token = (role, sub, name) =>
    execFileSync(bin, ['token', '--data', data, '--role', role, '--sub', sub, '--name', name, '--ttl', '2h'], {
      encoding: 'utf8',
    }).trim();
  // keepData: stop the process only (a restart on the same data dir follows).
  const stop = async ({ keepData = false } = {}) => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    process.removeListener('exit', reap);
    if (!keepData) rmSync(data, { recursive: true, force: true });
  };
  return { base, data, token, stop, stdout: () => out, stderr: () => err };
}

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'tact-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 860 },
    deviceScaleFactor: 1,
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// Screenshots go to a temp dir (TACT_SCREENSHOT_DIR to choose it); with
// TACT_UPDATE_SCREENSHOTS=1 they are also copied to docs/screenshots/ for the README.
export const screenshotDir = process.env.TACT_SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), 'tact-screens-'));
mkdirSync(screenshotDir, { recursive: true });
export function keepScreenshot(name) {
  const from = join(screenshotDir, name);
  if (process.env.TACT_UPDATE_SCREENSHOTS === '1' && existsSync(from)) {
    mkdirSync(join(repoRoot, 'docs/screenshots'), { recursive: true });
    copyFileSync(from, join(repoRoot, 'docs/screenshots', name));
  }
  return from;
}

// Relative luminance contrast (WCAG 2.x) of two "rgb(a)(...)" colours.
export function contrast(fg, bg) {
  const parse = (c) => c.match(/[\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const a = lum(parse(fg));
  const b = lum(parse(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

// A server and a browser for one test file: started before its tests, stopped after them.
export function serverAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// Runs axe-core (npm, injected from node_modules) in the page; returns its serious and critical
// violations as "rule: target" lines.
const axeSource = () => readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'node_modules/axe-core/axe.min.js'), 'utf8');
export async function seriousViolations(page) {
  // Evaluated, not added as a <script>: the pages' CSP refuses inline scripts, as it should.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource());
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`));
}

// Polls fn until it returns something truthy.
export async function waitUntil(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// An authenticated JSON call to the server's HTTP API.
export async function api(server, token, method, path, body) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}
