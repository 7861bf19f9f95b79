import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The garage's own small website, served on loopback by `npm run eval:ai`: what it says is on no
 * typed entry, so the website-sourced questions can only be answered from crawled pages. The
 * pages carry navigation, a cookie banner and a footer, as real ones do.
 */
const PAGES: Record<string, { title: string; body: string }> = {
  '/': {
    title: 'Motorex car service, Cluj-Napoca',
    body: `<h1>Motorex car service</h1>
<p>Motorex is a family-run garage in Cluj-Napoca, servicing cars of every make since 1998.</p>
<p>Read about our <a href="/services/bodywork">bodywork</a>, <a href="/services/electric">electric and hybrid cars</a>,
<a href="/services/wheel-alignment">wheel alignment</a> and the <a href="/winter-check">winter check</a>, or meet <a href="/team">the team</a>.</p>`,
  },
  '/services/bodywork': {
    title: 'Bodywork and paint',
    body: `<h1>Bodywork and paint</h1>
<p>Our body shop repairs dents and scratches and repaints damaged panels in a dust-free paint booth, matching the original colour.</p>
<h2>Insurance claims</h2>
<p>After an accident we handle the paperwork with your insurer directly, for both compulsory and comprehensive policies, so you do not pay upfront.</p>
<h2>Prices</h2>
<p>Respraying a bumper costs from 150 EUR; a small dent without repainting is removed from 40 EUR.</p>`,
  },
  '/services/electric': {
    title: 'Electric and hybrid cars',
    body: `<h1>Electric and hybrid cars</h1>
<p>Two of our mechanics are certified to work on high-voltage systems, so we service electric and hybrid cars as well as petrol and diesel ones.</p>
<p>A battery health check for an electric car costs 50 EUR and tells you how much capacity the traction battery has left.</p>`,
  },
  '/services/wheel-alignment': {
    title: 'Wheel alignment',
    body: `<h1>Wheel alignment</h1>
<p>If your car pulls to one side, the steering wheel is not straight or the tyres wear unevenly, the wheels need aligning.</p>
<p>A four-wheel alignment on our laser rig costs 35 EUR and takes about 30 minutes.</p>`,
  },
  '/winter-check': {
    title: 'Winter check',
    body: `<h1>Winter check</h1>
<p>Every November we check the battery, the antifreeze, the wipers and the lights of your car for free, with any service booked that month.</p>`,
  },
  '/team': {
    title: 'Our team',
    body: `<h1>Our team</h1>
<p>Andrei has led the workshop for 25 years. Ioana at the reception answers the phone and plans the appointments.</p>`,
  },
};

function html(path: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body>
<header><nav><a href="/">Home</a> <a href="/services/bodywork">Bodywork</a> <a href="/services/electric">Electric cars</a>
<a href="/services/wheel-alignment">Wheel alignment</a> <a href="/winter-check">Winter check</a> <a href="/team">Team</a></nav></header>
<div class="cookie-banner">This site uses cookies. <button>Accept</button></div>
<main data-path="${path}">${body}</main>
<footer>© 2026 Motorex · 14 Fabricii Street, Cluj-Napoca · 0264 555 010</footer>
</body></html>`;
}

/** The page names the website-sourced questions use, by path. */
export const GARAGE_PAGE_NAMES: Record<string, string> = {
  '/services/bodywork': 'bodywork',
  '/services/electric': 'electric',
  '/services/wheel-alignment': 'alignment',
  '/winter-check': 'winter',
  '/team': 'team',
  '/': 'home',
};

export async function startGarageSite(): Promise<{ origin: string; stop(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://garage.test');
    if (url.pathname === '/robots.txt') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    const page = PAGES[url.pathname];
    if (!page) return void response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(url.pathname, page.title, page.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
