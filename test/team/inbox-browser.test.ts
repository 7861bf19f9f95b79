import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';

// The team inbox in Chromium, as a person invited to the account uses it. Screenshots go to
// test-results/team/ for people to look at.
const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/team');

let stack: TestStack;
let browser: Browser;
let owner: ApiClient;
before(async () => {
  await mkdir(shots, { recursive: true });
  stack = await startTestStack();
  browser = await launchChromium();
  const account = await stack.api.post('/api/accounts', { name: 'Magazin Maria' });
  owner = stack.api.withKey(account.body.api_key);
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function noViolations(page: Page, where: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], where);
}

test('invited, a person sets a password, signs in by email, works a conversation, is notified of a handoff and reads the reports', async () => {
  const { businessPhone, widgetId } = await connectedWidget(owner);
  // The owner, signed in with the account's key, invites Maria and saves a reply on the Team screen.
  const ownerPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  ownerPage.setDefaultTimeout(15_000);
  let inviteUrl: string;
  try {
    await ownerPage.goto(`${stack.apiUrl}/`);
    await ownerPage.getByLabel('API key').fill(owner.key);
    await ownerPage.getByRole('button', { name: 'Sign in' }).click();
    await ownerPage.getByRole('link', { name: 'Team', exact: true }).click();
    await ownerPage.getByLabel('Email').fill('maria@magazin.example');
    await ownerPage.getByLabel('Name', { exact: true }).fill('Maria Ionescu');
    await ownerPage.getByLabel('Role').selectOption('agent');
    await ownerPage.getByRole('button', { name: 'Invite' }).click();
    inviteUrl = await ownerPage.getByLabel('Invitation link').inputValue();
    assert.match(inviteUrl, /\/dashboard\/invite\/[A-Za-z0-9_-]+$/);
    await ownerPage.getByRole('row').filter({ hasText: 'maria@magazin.example' }).getByText('Invited').waitFor();
    await ownerPage.getByLabel('Shortcut').fill('livrare');
    await ownerPage.getByLabel('Reply text').fill('Livrarea dureaza 2-3 zile lucratoare.');
    await ownerPage.getByRole('button', { name: 'Save reply' }).click();
    await ownerPage.getByText('/livrare', { exact: true }).waitFor();
    await noViolations(ownerPage, 'team');
    await ownerPage.screenshot({ path: path.join(shots, '00-team.png'), fullPage: true });

    // The widget's handoff choices: a reply by hand pauses Caty (on by default), auto-assignment (off).
    await ownerPage.getByRole('link', { name: 'Widget', exact: true }).click();
    const pause = ownerPage.getByLabel('A reply typed on the business phone or sent from the dashboard takes the conversation over');
    assert.equal(await pause.isChecked(), true);
    await ownerPage.getByLabel(/Assign a customer who asks for a person/).check();
    await ownerPage.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => (await owner.get(`/api/widgets/${widgetId}`)).body.handoff?.auto_assign === true, 10_000, 'auto-assignment saved');
    assert.equal((await owner.get(`/api/widgets/${widgetId}`)).body.handoff.pause_on_business_reply, true);
  } finally {
    await ownerPage.close();
  }

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.grantPermissions(['notifications'], { origin: stack.apiUrl! });
  // What the page shows as notifications, recorded (the browser shows none when headless).
  await context.addInitScript(`
    window.__notified = [];
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title, options) { super(title, options); window.__notified.push(title + ': ' + (options && options.body)); }
    };`);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(inviteUrl);
    await page.getByLabel('New password').fill('o parola destul de lunga');
    await page.getByLabel('Repeat the password').fill('o parola destul de lunga');
    await noViolations(page, 'invitation');
    await page.screenshot({ path: path.join(shots, '01-invitation.png') });
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set. Sign in with maria@magazin.example.').waitFor();
    await page.getByLabel('Email').fill('maria@magazin.example');
    await page.getByLabel('Password', { exact: true }).fill('o parola destul de lunga');
    await noViolations(page, 'sign in');
    await page.screenshot({ path: path.join(shots, '02-sign-in.png') });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Maria Ionescu').first().waitFor();
    const cookies = await context.cookies();
    assert.ok(cookies.some((c) => c.name === 'caty_session' && c.httpOnly && c.sameSite === 'Lax'), JSON.stringify(cookies));

    const customer = uniquePhone();
    const said = await customerSays(owner, businessPhone, customer, 'cat costa livrarea pentru canapeaua verde?');
    await conversationSettled(stack, said.conversation_id, { customerMessages: 1 });
    const other = uniquePhone();
    await customerSays(owner, businessPhone, other, 'aveti program duminica?');
    await page.getByRole('button', { name: customer }).click();
    await page.getByText(/Caty is answering/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0, 'only the action that applies');

    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Assigned to you.').waitFor();
    await page.getByRole('button', { name: 'Mine' }).click();
    await page.getByRole('button', { name: other }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: customer }).waitFor();

    await page.getByLabel('Note').fill('Clientul vrea livrare sambata; intreb depozitul.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Note by Maria Ionescu (only your team sees it)').waitFor();

    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByLabel('Search messages').fill('canapeaua');
    await page.getByRole('button', { name: other }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: customer }).waitFor();
    await page.getByLabel('Search messages').fill('');

    await page.getByLabel('Reply').fill('/liv');
    await page.getByRole('button', { name: /^\/livrare: Livrarea dureaza/ }).click();
    assert.equal(await page.getByLabel('Reply').inputValue(), 'Livrarea dureaza 2-3 zile lucratoare.');
    await page.getByLabel('Reply').fill('');

    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByText(/Taken over by Maria Ionescu since/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Take over' }).count(), 0, 'only Resume applies now');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await noViolations(page, 'conversations with a thread');
    await page.screenshot({ path: path.join(shots, '03-thread-taken-over.png') });

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    await page.getByRole('row').filter({ hasText: customer }).getByText('Resolved').waitFor();
    await customerSays(owner, businessPhone, customer, 'si sambata livrati?');
    await page.getByRole('button', { name: 'Resolve' }).waitFor();
    await page.getByRole('row').filter({ hasText: customer }).getByText('Resolved').waitFor({ state: 'detached' });

    const asking = uniquePhone();
    await customerSays(owner, businessPhone, asking, 'vreau sa vorbesc cu un om, va rog');
    await eventually(async () => ((await page.evaluate('window.__notified')) as string[]).some((n) => n.includes(asking)), 15_000, 'a browser notification');
    await page.getByRole('status').filter({ hasText: `${asking} asks for a person` }).waitFor();
    await page.getByRole('row').filter({ hasText: asking }).getByText('Maria Ionescu').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const firstRow = page.getByRole('row').nth(1);
    await firstRow.getByText(asking).waitFor();
    await page.screenshot({ path: path.join(shots, '04-handoff-first.png') });

    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const chart = page.getByRole('img', { name: /Conversations, requests for a person and leads per day/ });
    await chart.waitFor();
    await eventually(async () => Boolean(await page.evaluate(`Boolean(window.Chart && window.Chart.getChart(document.querySelector('canvas')))`)), 10_000, 'a drawn chart');
    const conversations = page.locator('dl.figures div').filter({ hasText: 'Conversations' }).locator('dd');
    assert.equal(await conversations.textContent(), '3');
    await noViolations(page, 'reports');
    await page.screenshot({ path: path.join(shots, '05-reports.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
