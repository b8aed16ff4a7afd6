import { C, day, S, Story } from '../story.ts';

/** A healthy telecom account, for contrast in the provider's review of its clients. */
export function steadyTelecomStory(): Story {
  const s = new Story('steady-telecom', 'brightwave', 'mosaic', S, day(90, 10), day(92, 11));
  const r = s.rng;

  s.handover(day(92, 12), S, 'Avi Mizrahi');
  s.goal('goal', day(93, 10), S, 'Every store online', [
    { name: 'Store network uptime', unit: '%', direction: 'HIGHER_IS_BETTER', target: 99.9, baseline: 99, accountable: S },
  ]);
  s.acceptGoal('goal', day(95, 9), C);

  for (let d = 98; d < 364; d += 7) s.interaction(day(d, 9), C, 'ACTIVITY', C, { volume: r.int(22, 29), note: 'Weekly order' });
  for (let d = 100; d < 364; d += r.int(14, 24))
    s.interaction(day(d, 14), C, 'POSITIVE_CONTACT', C, { note: r.pick(['Asked about store Wi-Fi for customers.', 'Thanked support for a quick fix.']) });
  for (let d = 110; d < 364; d += 30) s.interaction(day(d, 17), C, 'SATISFACTION', C, { score: r.int(4, 5) });

  for (let m = 0, d = 100; d < 350; m++, d += 30) {
    s.promise(`install-${m}`, day(d, 10), S, { promisor: S, kind: 'INSTALLATION', description: `Network install for store ${m + 10}`, due: day(d + 7, 17) });
    s.keep(`install-${m}`, day(d + r.int(4, 7), 12), S);
    s.promise(`invoice-${m}`, day(d, 11), C, {
      promisor: C,
      kind: 'PAYMENT',
      description: `Monthly service invoice MR-${700 + m}`,
      due: day(d + 14, 17),
      amount: { amount: r.int(50, 70) * 100, currency: 'EUR' },
    });
    s.keep(`invoice-${m}`, day(d + r.int(9, 13), 10), C);
    s.measure(day(d + 20, 18), S, 'goal', 0, 99.9 + r.int(2, 9) / 100);
  }

  s.interaction(day(180, 9), C, 'COMPLAINT', C, { note: 'Store 12 card terminals offline.' }, 'terminals');
  s.respond('terminals', day(180, 9, 45), S, 'Remote reset under way.');
  s.resolve('terminals', day(180, 13), S, 'Back online; router replaced.');
  return s;
}
