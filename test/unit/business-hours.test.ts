import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closedPeriod, formatOpening, hoursStatus, isOpen, nextOpening, parseBusinessHours, type BusinessHours } from '../../workflows/hours/business-hours.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const shop: BusinessHours = {
  timezone: 'Europe/Bucharest',
  days: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']], sat: [['10:00', '14:00']] },
};

test('open or closed, and the next opening, across a week (Bucharest, summer time +3)', () => {
  const table: [string, boolean, string | null][] = [
    // now (UTC)                open   next opening (UTC)
    ['2025-06-11T09:00:00Z', true, null], // Wed 12:00
    ['2025-06-11T06:00:00Z', true, null], // Wed 09:00 sharp
    ['2025-06-11T05:59:00Z', false, '2025-06-11T06:00:00.000Z'], // Wed 08:59
    ['2025-06-11T15:00:00Z', false, '2025-06-12T06:00:00.000Z'], // Wed 18:00 sharp: closed
    ['2025-06-13T15:30:00Z', false, '2025-06-14T07:00:00.000Z'], // Fri 18:30 -> Sat 10:00
    ['2025-06-14T12:00:00Z', false, '2025-06-16T06:00:00.000Z'], // Sat 15:00 -> Mon 09:00 (Sunday closed)
    ['2025-06-15T10:00:00Z', false, '2025-06-16T06:00:00.000Z'], // Sun
  ];
  for (const [now, open, next] of table) {
    assert.equal(isOpen(shop, at(now)), open, now);
    if (!open) assert.equal(iso(nextOpening(shop, at(now))), next, now);
  }
});

test('daylight saving: offsets change with the date, skipped and repeated wall times', () => {
  // Bucharest springs forward on Sunday 2025-03-30 at 03:00 (+2 -> +3) and falls back on 2025-10-26 at 04:00.
  assert.equal(iso(nextOpening(shop, at('2025-03-29T18:00:00Z'))), '2025-03-31T06:00:00.000Z', 'Monday 09:00 is +3 after the change');
  assert.equal(iso(nextOpening(shop, at('2025-10-25T18:00:00Z'))), '2025-10-27T07:00:00.000Z', 'Monday 09:00 is +2 after the change');
  assert.equal(isOpen(shop, at('2025-03-28T07:00:00Z')), true, 'Friday 09:00 at +2');
  assert.equal(isOpen(shop, at('2025-03-31T05:30:00Z')), false, 'Monday 08:30 at +3');
  const night: BusinessHours = { timezone: 'Europe/Bucharest', days: { sun: [['03:30', '05:00']] } };
  // 03:30 does not exist on the spring-forward night: it opens as far past the jump as it was past 03:00.
  assert.equal(iso(nextOpening(night, at('2025-03-29T20:00:00Z'))), '2025-03-30T01:30:00.000Z');
  // 03:30 happens twice on the fall-back night: the first one counts.
  assert.equal(iso(nextOpening(night, at('2025-10-25T20:00:00Z'))), '2025-10-26T00:30:00.000Z');
  // New York springs forward on 2025-03-09: Monday 09:00 is 13:00Z, the Friday before 14:00Z.
  const ny: BusinessHours = { timezone: 'America/New_York', days: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] } };
  assert.equal(iso(nextOpening(ny, at('2025-03-07T23:00:00Z'))), '2025-03-10T13:00:00.000Z');
  assert.equal(iso(nextOpening(ny, at('2025-03-07T12:00:00Z'))), '2025-03-07T14:00:00.000Z');
});

test('overnight ranges run past midnight, also from Sunday into Monday', () => {
  const bar: BusinessHours = { timezone: 'Europe/Bucharest', days: { fri: [['22:00', '02:00']], sun: [['20:00', '01:00']] } };
  const table: [string, boolean][] = [
    ['2025-06-13T18:59:00Z', false], // Fri 21:59
    ['2025-06-13T19:00:00Z', true], // Fri 22:00
    ['2025-06-13T22:00:00Z', true], // Sat 01:00
    ['2025-06-13T23:00:00Z', false], // Sat 02:00
    ['2025-06-15T21:30:00Z', true], // Mon 00:30, from Sunday
    ['2025-06-15T22:00:00Z', false], // Mon 01:00
  ];
  for (const [now, open] of table) assert.equal(isOpen(bar, at(now)), open, now);
  assert.equal(iso(nextOpening(bar, at('2025-06-13T23:00:00Z'))), '2025-06-15T17:00:00.000Z', 'Sat 02:00 -> Sun 20:00');
  // Ranges that meet at midnight are one opening, not two.
  const late: BusinessHours = { timezone: 'UTC', days: { mon: [['18:00', '24:00']], tue: [['00:00', '02:00']] } };
  assert.equal(isOpen(late, at('2025-06-17T01:00:00Z')), true);
  assert.equal(iso(nextOpening(late, at('2025-06-17T03:00:00Z'))), '2025-06-23T18:00:00.000Z');
});

test('closed days, always open, and a closed period keeps one identity until the next opening', () => {
  const closed: BusinessHours = { timezone: 'Europe/Bucharest', days: {} };
  assert.equal(isOpen(closed, at('2025-06-11T09:00:00Z')), false);
  assert.equal(nextOpening(closed, at('2025-06-11T09:00:00Z')), null);
  assert.equal(closedPeriod(closed, at('2025-06-11T09:00:00Z')), 'closed:never');
  const always: BusinessHours = { timezone: 'Asia/Tokyo', days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) };
  assert.equal(isOpen(always, at('2025-06-15T14:59:00Z')), true);
  assert.equal(closedPeriod(always, at('2025-06-15T14:59:00Z')), null);

  const evening = closedPeriod(shop, at('2025-06-11T15:05:00Z')); // Wed 18:05
  assert.equal(evening, 'closed:until:2025-06-12T06:00:00.000Z');
  assert.equal(closedPeriod(shop, at('2025-06-12T05:59:00Z')), evening, 'Thu 08:59: the same night');
  assert.equal(closedPeriod(shop, at('2025-06-12T09:00:00Z')), null, 'open');
  assert.notEqual(closedPeriod(shop, at('2025-06-12T15:05:00Z')), evening, 'Thu 18:05: another night');
});

test('the next opening in the customer language at the business local time', () => {
  const thursday = at('2025-06-12T06:00:00Z');
  assert.equal(formatOpening(thursday, shop, 'en'), 'Thursday 09:00');
  assert.equal(formatOpening(thursday, shop, 'fr'), 'jeudi 09:00');
  assert.equal(formatOpening(thursday, shop, 'ro'), 'joi 09:00');
  assert.match(formatOpening(thursday, shop, 'de'), /^Donnerstag,? 09:00$/);
  assert.equal(formatOpening(thursday, shop, 'not a language!'), 'Thursday 09:00');
  assert.deepEqual(hoursStatus(shop, at('2025-06-11T15:05:00Z'), 'es'), {
    open: false,
    nextOpening: thursday,
    closedPeriod: 'closed:until:2025-06-12T06:00:00.000Z',
    opens: formatOpening(thursday, shop, 'es'),
  });
  assert.match(hoursStatus(shop, at('2025-06-11T15:05:00Z'), 'es').opens!, /^jueves/);
  assert.deepEqual(hoursStatus(shop, at('2025-06-11T09:00:00Z'), 'es'), { open: true, nextOpening: null, closedPeriod: null, opens: null });
});

test('invalid settings are not hours (the conversation then treats the business as open)', () => {
  const valid = { timezone: 'Europe/Bucharest', days: { mon: [['09:00', '18:00']] }, away_message: 'Back soon' };
  assert.deepEqual(parseBusinessHours(valid), valid);
  for (const bad of [
    null,
    'weekdays',
    { days: {} },
    { timezone: 'Mars/Olympus', days: {} },
    { timezone: 'UTC', days: { monday: [['09:00', '18:00']] } },
    { timezone: 'UTC', days: { mon: [['9:00', '18:00']] } },
    { timezone: 'UTC', days: { mon: [['09:00', '25:00']] } },
    { timezone: 'UTC', days: { mon: [['09:00', '09:00']] } },
    { timezone: 'UTC', days: { mon: ['09:00-18:00'] } },
    { timezone: 'UTC', days: [] },
  ]) {
    assert.equal(parseBusinessHours(bad), null, JSON.stringify(bad));
  }
});
