// ui_test.mjs - drives the web UI in Debian's Chromium (headless, through playwright-core)
// against a `cordon serve` that tests/e2e/web_ui.sh started: search and read an explanation,
// classify goods, upload batches and watch the progress reach 100%, decide an alert and find
// the decision in the audit log, check a transaction, open a network and click a node, read
// the lists. Saves a screenshot of each page. Any page error, blocked resource (CSP), request
// to another host, unlabelled form control or horizontal overflow fails the step it happens in.
//
// usage: node ui_test.mjs --url URL --repo DIR --key KEY --tmp DIR --shots DIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const { url: BASE, repo: REPO, key: KEY, tmp: TMP, shots: SHOTS } = args;
if (!BASE || !REPO || !KEY || !TMP || !SHOTS) {
  console.error('usage: node ui_test.mjs --url URL --repo DIR --key KEY --tmp DIR --shots DIR');
  process.exit(2);
}
const require = createRequire(path.join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CORDON_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.CORDON_WEB_TIMEOUT_MS || 20000); // per wait; ASan servers are slower
let passed = 0;
let failed = 0;
let problems = []; // page errors, CSP refusals, foreign requests, since the last step began

function assert(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}

async function step(name, page, fn) {
  problems = [];
  try {
    await fn();
    assert(problems.length === 0, `no page problems, got: ${problems.join(' | ')}`);
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL: ${name}: ${e.message.split('\n').slice(0, 6).join('\n  ')}`);
    try {
      await page.screenshot({ path: path.join(TMP, `fail-${name.replace(/\W+/g, '_')}.png`), fullPage: true });
    } catch {
      /* the page may be gone */
    }
  }
}

async function shot(page, name, scrollTo) {
  mkdirSync(SHOTS, { recursive: true });
  if (scrollTo) await page.locator(scrollTo).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Every form control has a label (or aria-label) and the page does not scroll sideways. */
async function checkPage(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && !el.closest('[hidden]'))
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert(unlabelled.length === 0, `every control labelled: ${unlabelled.join(', ')}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `no horizontal scrolling at ${page.viewportSize().width}px (overflow ${overflow}px)`);
}

const text = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ');

async function main() {
  const ctx = await chromium.launchPersistentContext(path.join(TMP, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
    ],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    timeout: 60000,
  });
  ctx.setDefaultTimeout(TIMEOUT);
  const page = ctx.pages()[0] || (await ctx.newPage());
  const origin = new URL(BASE).origin;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request to another host: ${u}`);
  });
  const apiCalls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/v1/')) apiCalls.push({ path: new URL(r.url()).pathname, auth: r.headers()['authorization'] || '' });
  });

  // ---- shell, keyboard, API key ---------------------------------------------------------------
  await step('shell: served at / with a skip link first in the tab order', page, async () => {
    const resp = await page.goto(`${BASE}/`);
    assert(resp.status() === 200, `GET / answers 200 (got ${resp.status()})`);
    assert((resp.headers()['content-security-policy'] || '').includes("default-src 'self'"), 'a CSP header');
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement.className)) === 'skip-link', 'Tab reaches the skip link first');
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement.textContent)) === 'cordon', 'then the brand link');
    const nav = await page.locator('nav a').allInnerTexts();
    assert(nav.join(',') === 'Search,Batch,Alerts,Audit log,Transaction,Network,Lists', `nav: ${nav}`);
  });

  await step('API key: a 401 says to enter it; the key is kept for the session and sent as Bearer', page, async () => {
    await page.goto(`${BASE}/ui/lists`);
    const err = page.locator('#lists-sources, main').locator('.msg.error').first();
    await err.waitFor();
    assert(/API key/.test(await err.innerText()), 'the 401 message points at the key field');
    await page.fill('#api-key', KEY);
    await page.click('#key-form button[type=submit]');
    assert((await page.innerText('#key-status')) === 'key in use', 'status says the key is in use');
    assert((await page.evaluate(() => sessionStorage.getItem('cordon.apikey'))) === KEY, 'kept in sessionStorage');
    await page.reload();
    assert((await page.inputValue('#api-key')) === KEY, 'still there after a reload');
    await page.locator('table.sources-table').waitFor();
    const last = apiCalls.filter((c) => c.path === '/v1/lists').pop();
    assert(last && last.auth === `Bearer ${KEY}`, 'Authorization: Bearer KEY on the API call');
  });

  // ---- search -------------------------------------------------------------------------------------
  await step('search: screen a name and read the explanation and the list record', page, async () => {
    await page.click('nav >> text=Search');
    assert(await page.evaluate(() => document.activeElement.tagName === 'H1'), 'navigation moves focus to the heading');
    await page.getByLabel('Name', { exact: true }).fill('Kim Jong Eun');
    await page.getByLabel('Country', { exact: true }).fill('KP');
    await page.getByLabel('Date of birth').fill('1984');
    await page.getByRole('button', { name: 'Screen' }).click();
    const hit = page.locator('#search-results article.hit[data-id="ofac-sdn:20157"]');
    await hit.waitFor();
    const marks = await hit.locator('h3 mark').allInnerTexts();
    assert(marks.includes('KIM') && marks.includes('Jong') && marks.includes('Un'), `matched words highlighted: ${marks}`);
    const tokens = await text(hit.locator('table.tokens'));
    assert(/eun un known spelling variant/.test(tokens), `the variant step is explained: ${tokens.slice(0, 200)}`);
    const feats = await text(hit.locator('table.features'));
    assert(/dob \+0\.02 year of birth matches/.test(feats) && /country \+0\.03/.test(feats), `feature contributions: ${feats}`);
    await hit.getByRole('button', { name: 'Show list record' }).click();
    const rec = hit.locator('section.record');
    await rec.waitFor();
    assert(/1984-01-08/.test(await rec.innerText()) && /DPRK3/.test(await rec.innerText()), 'the full record shows birth date and programme');
    assert((await hit.getByRole('button', { name: 'Hide list record' }).getAttribute('aria-expanded')) === 'true', 'aria-expanded follows');
    await checkPage(page);
  });

  await step('search: goods classified beside it, with the DPRK prohibition cited', page, async () => {
    await page.getByLabel('Goods description').fill('turbo pump for liquid propellant rocket engine');
    await page.getByLabel('Destination').fill('KP');
    await page.getByRole('button', { name: 'Classify' }).click();
    const out = page.locator('#goods-results');
    await out.locator('.verdict').waitFor();
    const t = await text(out);
    assert(/Controlled/.test(t) && /MTCR Annex 3\.A\.5/.test(t), `MTCR 3.A.5 found: ${t.slice(0, 200)}`);
    assert(/S\/RES\/1718/.test(t), 'the UN resolution is cited');
    await shot(page, 'search');
  });

  // ---- batch --------------------------------------------------------------------------------------
  const rows = ['name,type,country,ref', 'Kim Jong Un,person,KP,b-1', 'Korea Ryonbong General Corporation,organization,KP,b-2'];
  for (let i = 0; i < 400; i++) rows.push(`Supplier Number ${i} Trading Ltd,organization,DE,s-${i}`);
  const batchCsv = path.join(TMP, 'parties.csv');
  writeFileSync(batchCsv, rows.join('\n') + '\n');

  await step('batch: upload parties, progress reaches 100%, browse, explain and download', page, async () => {
    await page.click('nav >> text=Batch');
    await page.evaluate(() => {
      window.__progress = [];
      const p = document.getElementById('batch-progress');
      new MutationObserver(() => window.__progress.push(Number(p.getAttribute('value')))).observe(p, { attributes: true, attributeFilter: ['value'] });
    });
    await page.setInputFiles('#batch-file', batchCsv);
    await page.getByRole('button', { name: 'Upload and run' }).click();
    await page.locator('#batch-results .summary', { hasText: 'rows screened' }).waitFor();
    const seen = await page.evaluate(() => window.__progress);
    assert(seen.includes(100) && seen.some((v) => v > 0 && v < 100), `progress went through the middle to 100: ${seen}`);
    assert(/^100% - done: 402 rows/.test(await page.innerText('#batch-progress-label')), 'label says done');
    const summary = await page.innerText('#batch-results .summary');
    assert(/402 rows screened: 2 with hits, 0 errors/.test(summary), `summary: ${summary}`);
    assert(/rows=402/.test(summary), 'the server counts from X-Cordon-Batch');
    const table = page.locator('table.batch-table');
    assert((await table.locator('tbody tr').count()) === 2, 'only rows with hits by default');
    await page.getByLabel('Only rows with hits or errors').uncheck();
    assert((await table.locator('tbody tr').count()) === 50, 'all rows: first page of 50');
    await page.getByRole('button', { name: 'Next' }).click();
    assert(/Rows 51-100 of 402/.test(await table.locator('caption').innerText()), 'second page');
    await page.getByLabel('Filter').fill('ryonbong');
    assert((await table.locator('tbody tr').count()) === 1, 'filter by name');
    await table.getByRole('button', { name: 'Explain' }).click();
    await table.locator('article.hit table.tokens').first().waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync(await dl.path(), 'utf8');
    assert(csv.startsWith('line,ref,name,hit,matched_name,source,score,error\n') && /b-1,Kim Jong Un,ofac-sdn:20157/.test(csv), 'CSV download');
    assert(csv.trim().split('\n').length >= 403, 'every row in the CSV');
    await checkPage(page);
    await shot(page, 'batch');
  });

  await step('batch: transactions, one report per line', page, async () => {
    await page.getByLabel(/Transactions to check/).check();
    await page.setInputFiles('#batch-file', path.join(REPO, 'tests/fixtures/tx/scenarios.jsonl'));
    await page.getByRole('button', { name: 'Upload and run' }).click();
    await page.locator('#batch-results .summary', { hasText: 'transactions:' }).waitFor();
    const n = readFileSync(path.join(REPO, 'tests/fixtures/tx/scenarios.jsonl'), 'utf8').trim().split('\n').length;
    assert(new RegExp(`^100% - done: ${n} transactions`).test(await page.innerText('#batch-progress-label')), 'progress counts lines to 100%');
    const summary = await page.innerText('#batch-results .summary');
    assert(new RegExp(`^${n} transactions: \\d+ block`).test(summary) && / 0 errors/.test(summary), `summary: ${summary}`);
    await page.getByRole('button', { name: 'Open report' }).first().click();
    await page.locator('#batch-tx-detail .verdict').waitFor();
  });

  await step('batch: counterparties into the store, re-screened into alerts', page, async () => {
    const f = path.join(TMP, 'more.csv');
    writeFileSync(f, 'ref,name,type,country\nw-1,Korea Mining Development Trading Corporation,organization,KP\nw-2,Plain Bakery Ltd,organization,DE\n');
    await page.getByLabel(/Counterparties for the case store/).check();
    await page.setInputFiles('#batch-file', f);
    await page.getByRole('button', { name: 'Upload and run' }).click();
    await page.locator('#batch-results .summary', { hasText: 'rows:' }).waitFor();
    const t = await text(page.locator('#batch-results'));
    assert(/2 rows: 2 new, 0 updated, 0 unchanged/.test(t), `import counts: ${t.slice(0, 200)}`);
    const m = /New alerts (\d+)/.exec(t);
    assert(m && Number(m[1]) >= 1, `a new alert for the listed company: ${t.slice(0, 300)}`);
    await page.locator('.cp-list table').waitFor();
    assert(/Korea Mining Development Trading Corporation/.test(await page.innerText('.cp-list')), 'the store lists it');
  });

  // ---- alerts and audit ---------------------------------------------------------------------------
  const reason = `Different person: born 1962 per passport ${Date.now() % 100000}`;
  await step('alerts: open the queue, read an alert, decide it', page, async () => {
    await page.click('nav >> text=Alerts');
    const row = page.locator('#alert-queue tbody tr', { hasText: 'Kim Jong Un' }).first();
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    await page.getByLabel('Search').fill('kim jong');
    assert((await page.locator('#alert-queue tbody tr').count()) >= 1, 'the filter keeps it');
    await row.getByRole('link').click();
    const detail = page.locator('#alert-detail');
    await detail.locator('h2', { hasText: `Alert ${id}` }).waitFor();
    await detail.locator('table.tokens').waitFor();
    const t = await text(detail);
    assert(/Counterparty.*Kim Jong Un/.test(t) && /KIM, Jong Un/.test(t), 'counterparty and hit shown');
    await detail.getByLabel(/False positive/).check();
    await detail.getByLabel('Reason').fill(reason);
    await detail.getByLabel('Decided by').fill('analyst.one');
    await detail.getByLabel('Second approver').fill('analyst.two');
    await shot(page, 'alerts');
    await detail.getByRole('button', { name: 'Record decision' }).click();
    await detail.locator('ol.decisions li', { hasText: reason }).waitFor();
    assert(/false positive by analyst\.one, approved by analyst\.two/.test(await detail.locator('ol.decisions').innerText()), 'decision listed');
    await checkPage(page);
  });

  await step('audit: the decision is in the verified audit log', page, async () => {
    await page.getByRole('link', { name: 'This alert in the audit log' }).click();
    const out = page.locator('#audit-results');
    await out.locator('#audit-verified').waitFor();
    assert(/Hash chain verified/.test(await out.locator('#audit-verified').innerText()), 'chain verified');
    const row = out.locator('tbody tr', { hasText: reason });
    await row.waitFor();
    const t = await text(row);
    assert(/analyst\.one decide alert \d+/.test(t) && /false_positive/.test(t) && /analyst\.two/.test(t), `audit row: ${t}`);
    const subject = new URL(page.url()).searchParams.get('subject');
    const subjects = await out.locator('tbody tr td:nth-child(5)').allInnerTexts();
    assert(/^alert \d+$/.test(subject) && subjects.length >= 2 && subjects.every((s) => s === subject), `only this alert's records: ${subjects}`);
    assert(/alert/.test(await text(out.locator('tbody tr').last())), 'from the alert being raised to its decision');
    await checkPage(page);
    await page.getByLabel('Subject').fill('');
    await shot(page, 'audit');
  });

  // ---- transaction report -------------------------------------------------------------------------
  await step('transaction: flags, hits and citations for one transaction', page, async () => {
    await page.click('nav >> text=Transaction');
    await page.getByLabel(/Transaction \(JSON/).fill(readFileSync(path.join(REPO, 'tests/fixtures/tx/berlin_embassy.json'), 'utf8'));
    await page.getByRole('button', { name: 'Check' }).click();
    const out = page.locator('#tx-results');
    await out.locator('.verdict').waitFor();
    assert(/Decision: block/.test(await out.locator('.verdict').innerText()), 'blocked');
    const flag = out.locator('li.flag[data-flag="DPRK-MISSION"]');
    assert(/S\/RES\/2321/.test(await flag.locator('.citation').innerText()), 'the mission flag cites S/RES/2321');
    await flag.locator('summary').click();
    assert(/Embassy of the DPRK/.test(await flag.innerText()), 'evidence names the party');
    await checkPage(page);
    await shot(page, 'transaction');
    await page.getByLabel(/Transaction \(JSON/).fill('{"id": ');
    await page.getByRole('button', { name: 'Check' }).click();
    assert(/not valid JSON/.test(await out.locator('.msg.error').innerText()), 'bad JSON is reported');
  });

  // ---- network ------------------------------------------------------------------------------------
  await step('network: clusters, graph with the evidence path, click a node', page, async () => {
    await page.click('nav >> text=Network');
    await page.setInputFiles('#network-file', path.join(REPO, 'tests/fixtures/net/rings.jsonl'));
    await page.getByRole('button', { name: 'Find networks' }).click();
    await page.locator('#network-clusters button.cluster').first().waitFor();
    await page.locator('#network-graph canvas').first().waitFor();
    await page.waitForFunction(() => document.getElementById('network-graph').__cy?.nodes().length > 0);
    const g = await page.evaluate(() => {
      const cy = document.getElementById('network-graph').__cy;
      return { nodes: cy.nodes().length, pathNodes: cy.nodes('.path').map((n) => n.id()), pathEdges: cy.edges('.path').length };
    });
    assert(g.nodes >= 3 && g.pathNodes.includes('L:un:KPe.002') && g.pathEdges >= 2, `path highlighted: ${JSON.stringify(g)}`);
    // Click the listed party where the canvas draws it.
    const target = 'L:un:KPe.002';
    await page.locator('#network-graph').scrollIntoViewIfNeeded();
    const pos = await page.evaluate((id) => document.getElementById('network-graph').__cy.getElementById(id).renderedPosition(), target);
    const box = await page.locator('#network-graph').boundingBox();
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    const det = page.locator('#network-node .node-details');
    await det.waitFor();
    assert((await det.getAttribute('data-node')) === target, 'the clicked node is shown');
    assert(/KOREA RYONBONG GENERAL CORPORATION/.test(await det.innerText()) && /un:KPe\.002/.test(await det.innerText()), 'its details');
    // Zoom with the buttons, and the keyboard path through the node list.
    const z0 = await page.evaluate(() => document.getElementById('network-graph').__cy.zoom());
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const z1 = await page.evaluate(() => document.getElementById('network-graph').__cy.zoom());
    assert(z1 > z0, 'zoom in');
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.locator('.node-buttons button').first().focus();
    await page.keyboard.press('Enter');
    assert((await page.locator('.node-buttons button[aria-pressed=true]').count()) === 1, 'a node chosen from the keyboard');
    await checkPage(page);
    await shot(page, 'network', '#network-clusters');
  });

  // ---- lists --------------------------------------------------------------------------------------
  await step('lists: sources with dates and counts, and the update history', page, async () => {
    await page.click('nav >> text=Lists');
    const src = page.locator('table.sources-table');
    await src.waitFor();
    const t = await text(src);
    assert(/un un-xml 2026-02-27 1,003/.test(t), `the UN list with its date and count: ${t.slice(0, 200)}`);
    await page.locator('#lists-history table, #lists-history p.hint').first().waitFor();
    assert(/Screening runs/.test(await page.innerText('#lists-history')), 'the screening runs of the store');
    await checkPage(page);
    await shot(page, 'lists');
  });

  // ---- large screen -------------------------------------------------------------------------------
  await step('1920px: pages lay out without overflow', page, async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const p of ['search', 'batch', 'alerts', 'audit', 'transaction', 'network', 'lists']) {
      await page.goto(`${BASE}/ui/${p}`);
      await page.locator('h1').waitFor();
      await checkPage(page);
    }
    await page.goto(`${BASE}/ui/search?name=Ryonbong&threshold=0.7`);
    await page.locator('#search-results article.hit').first().waitFor();
    await shot(page, 'search-1920');
  });

  await ctx.close();
  console.log(`web_ui: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`web_ui: ${e.stack || e}`);
  console.log(`web_ui: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
