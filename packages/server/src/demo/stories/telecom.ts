import { C, day, S, Story } from '../story.ts';

/**
 * DESIGN §1 churn, the boiling frog: a logistics firm drifts away from its telecom provider over
 * the year. First its own positive contacts dry up (thawing), then complaints pile up and are
 * answered slowly (anti), then weekly order volume halves and a second carrier appears
 * (switching), and at the end orders nearly stop.
 */
export function telecomStory(): Story {
  const s = new Story('telecom', 'brightwave', 'northwind', C, day(0, 10), day(1, 15));
  const r = s.rng;

  s.handover(day(1, 16), S, 'Avi Mizrahi');
  s.handover(day(2, 9), C, 'Tal Ben-David');
  s.goal('goal', day(2, 11), C, 'Reliable connectivity for every depot', [
    { name: 'Network uptime', unit: '%', direction: 'HIGHER_IS_BETTER', target: 99.9, baseline: 99, accountable: S },
    { name: 'Fault repair time', unit: 'hours', direction: 'LOWER_IS_BETTER', target: 4, baseline: 24, accountable: S },
  ]);
  s.acceptGoal('goal', day(3, 10), S);

  // Weekly orders (new lines, data bundles, add-ons): steady, then halved, then nearly stopped.
  for (let d = 7; d < 364; d += 7) {
    const volume = d < 245 ? r.int(36, 46) : d < 300 ? r.int(17, 23) : r.chance(0.6) ? r.int(1, 4) : 0;
    if (volume === 0) continue;
    s.interaction(day(d, r.int(8, 11)), C, 'ACTIVITY', C, { volume, note: 'Weekly order: lines, data bundles and add-ons' });
  }

  // The client's own positive contacts: frequent, then almost none after month four.
  const praise = [
    'Thanked Avi for the quick depot hook-up.',
    'Asked about 5G routers for the new trucks.',
    'Recommended Brightwave to a partner firm.',
    'Invited Avi to the quarterly logistics review.',
  ];
  for (let d = 5; d < 120; d += r.int(6, 12)) s.interaction(day(d, r.int(9, 16)), C, 'POSITIVE_CONTACT', C, { note: r.pick(praise) });
  s.interaction(day(150, 11), C, 'POSITIVE_CONTACT', C, { note: 'Asked for a quote for the Eilat depot.' });

  // The supplier keeps calling throughout: account reviews.
  for (let d = 20; d < 364; d += r.int(26, 34)) s.interaction(day(d, 14), S, 'POSITIVE_CONTACT', S, { note: 'Monthly account review call.' });

  // Negative contacts: misunderstandings and being ignored, from month four on.
  const grumbles = [
    'Invoice shows add-ons we cancelled in March.',
    'Nobody called back about moving the Ashdod lines.',
    'Support told us to reboot the router again.',
    'Asked twice for the contract terms; still waiting.',
  ];
  for (let d = 125; d < 364; d += d < 180 ? r.int(12, 18) : r.int(7, 11))
    s.interaction(day(d, r.int(9, 17)), C, 'NEGATIVE_CONTACT', C, { note: r.pick(grumbles) });

  // Complaints: one early, answered within hours; then a rising stream answered slowly.
  s.interaction(day(50, 8), C, 'COMPLAINT', C, { note: 'Haifa depot offline since 7:00.' }, 'complaint-0');
  s.respond('complaint-0', day(50, 9, 30), S, 'Engineer dispatched.');
  s.resolve('complaint-0', day(50, 15), S, 'Faulty switch replaced.');
  const issues = [
    'Depot internet down for half a day, no update from support.',
    'Mobile data throttled on the drivers’ SIMs.',
    'Billing error again: double-charged for roaming.',
    'Repair ticket open for a week without a visit.',
    'Call quality on the dispatch line is unusable.',
  ];
  let n = 0;
  for (let d = 182; d < 340; d += r.int(7, 12)) {
    n++;
    const key = `complaint-${n}`;
    const at = day(d, r.int(8, 16));
    s.interaction(at, C, 'COMPLAINT', C, { note: r.pick(issues) }, key);
    s.respond(key, at + r.between(1, 3), S, 'Ticket acknowledged.');
    if (d < 330) s.resolve(key, at + r.between(6, 12), S, 'Closed by support.');
  }

  // Satisfaction at the end of interactions: 4–5, then 3, then 2.
  for (let d = 14; d < 364; d += 30) {
    const score = d < 120 ? r.int(4, 5) : d < 180 ? 3 : r.int(1, 2);
    s.interaction(day(d, 17), C, 'SATISFACTION', C, { score });
  }

  // The supplier's promises: kept early on; then a fiber upgrade broken without notice.
  for (let i = 0, d = 10; d < 170; i++, d += 30) {
    s.promise(`lines-${i}`, day(d, 11), S, { promisor: S, kind: 'DELIVERY', description: `Provision ${r.int(4, 12)} new lines at depot ${i + 1}`, due: day(d + 10, 17) });
    s.keep(`lines-${i}`, day(d + r.int(5, 9), 15), S);
  }
  s.promise('fiber', day(196, 10), S, { promisor: S, kind: 'INSTALLATION', description: 'Fiber upgrade at the Ashdod depot', due: day(215, 17) });
  s.broken('fiber', day(219, 9), C, 'The upgrade was not done and nobody told us.');
  s.promise('fiber-2', day(222, 10), S, { promisor: S, kind: 'INSTALLATION', description: 'Fiber upgrade at the Ashdod depot (rebooked)', due: day(240, 17) });
  s.keep('fiber-2', day(246, 12), S);

  // The client pays every invoice on time, right to the end: it is leaving, not defaulting.
  for (let m = 0, d = 25; d < 355; m++, d += 30) {
    s.promise(`invoice-${m}`, day(d, 9), C, {
      promisor: C,
      kind: 'PAYMENT',
      description: `Monthly service invoice NW-${2400 + m}`,
      due: day(d + 14, 17),
      amount: { amount: d < 245 ? 18_400 : d < 300 ? 11_200 : 6_300, currency: 'EUR' },
    });
    s.keep(`invoice-${m}`, day(d + r.int(8, 13), 10), C);
  }

  // Uptime and repair time, measured monthly by the supplier; the client disputes one reading.
  for (let m = 0, d = 30; d < 364; m++, d += 30) {
    const uptime = d < 150 ? 99.9 + r.int(0, 7) / 100 : 99.5 + r.int(0, 30) / 100;
    s.measure(day(d, 18), S, 'goal', 0, Number(uptime.toFixed(2)), { key: `uptime-${m}` });
    s.measure(day(d, 18, 15), S, 'goal', 1, d < 150 ? r.int(3, 5) : r.int(10, 20));
  }
  s.dispute('uptime-6', day(212, 10), C, 'Our monitoring logged six hours of outage at the Haifa depot: 99.1%, not 99.8%.');

  // Signs of a second carrier, then the last contacts.
  s.interaction(day(266, 11), S, 'ALTERNATIVE_SUPPLIER', C, { note: 'Northwind procurement confirmed a pilot with another carrier at two depots.' });
  s.interaction(day(322, 15), S, 'ALTERNATIVE_SUPPLIER', C, { note: 'Northwind ported 40 numbers to the other carrier.' });
  s.handover(day(330, 9), C, 'Gil Harari');
  return s;
}
