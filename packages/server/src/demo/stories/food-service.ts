import { C, day, S, Story } from '../story.ts';

/**
 * DESIGN §1 "telling the other side before": a food-service supplier cannot deliver the gala menu
 * it promised, says so weeks ahead, cancels by agreement and offers a better menu at the same
 * price, and keeps that promise. The client answers with praise and high satisfaction.
 */
export function foodServiceStory(): Story {
  const s = new Story('food-service', 'freshfields', 'harbor', S, day(28, 10), day(29, 12));
  const r = s.rng;

  s.handover(day(29, 13), S, 'Noa Shapiro');
  s.goal('goal', day(30, 10), S, 'Fresh produce that passes kitchen intake', [
    { name: 'Deliveries rejected at intake', unit: '%', direction: 'LOWER_IS_BETTER', target: 1, baseline: 6, accountable: S },
    { name: 'Orders placed by Thursday noon', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 70, accountable: C },
  ]);
  s.acceptGoal('goal', day(31, 15), C);

  // Weekly orders, steady all year.
  for (let d = 33; d < 364; d += 7) s.interaction(day(d, 10), C, 'ACTIVITY', C, { volume: r.int(55, 70), note: 'Weekly order (crates)' });

  // Fortnightly deliveries: on time but for one morning that ran late without notice.
  let i = 0;
  for (let d = 35; d < 360; d += 14, i++) {
    const key = `delivery-${i}`;
    s.promise(key, day(d - 3, 15), S, { promisor: S, kind: 'DELIVERY', description: `Produce and dairy delivery #${i + 1}`, due: day(d, 6) });
    if (i === 4) s.keep(key, day(d, 8, 10), S);
    else s.keep(key, day(d, 5, r.int(10, 50)), S);
  }

  // The client pays monthly, on time.
  for (let m = 0, d = 40; d < 350; m++, d += 30) {
    s.promise(`invoice-${m}`, day(d, 9), C, {
      promisor: C,
      kind: 'PAYMENT',
      description: `Monthly invoice FF-${810 + m}`,
      due: day(d + 30, 17),
      amount: { amount: r.int(90, 120) * 100, currency: 'EUR' },
    });
    const paid = d + r.int(20, 28);
    if (paid < 364) s.keep(`invoice-${m}`, day(paid, 11), C);
  }

  // The late morning delivery draws a complaint, answered within the hour.
  s.interaction(day(91, 8, 30), C, 'COMPLAINT', C, { note: 'Morning delivery two hours late; breakfast prep delayed.' }, 'late-breakfast');
  s.respond('late-breakfast', day(91, 9, 15), S, 'Driver stuck behind an accident; rerouted the van and added a standby driver.');
  s.resolve('late-breakfast', day(92, 10), S, 'Standby driver in place for early slots.');

  // The gala: a cancellation turned into a better offer.
  s.promise('gala', day(150, 11), S, {
    promisor: S,
    kind: 'DELIVERY',
    description: 'Summer gala catering for 300 guests: seafood menu',
    due: day(190, 17),
    amount: { amount: 27_000, currency: 'EUR' },
  });
  s.interaction(day(176, 10), S, 'POSITIVE_CONTACT', S, {
    note: 'Called Miriam three weeks ahead: the seafood supplier failed; proposed an upgraded prime-beef menu at the same price.',
  });
  // A cancellation is by agreement: the client proposes it, the caterer accepts it (DESIGN §2a).
  s.cancel('gala', day(177, 12), C, 'By agreement: seafood unavailable; replaced by the upgraded menu.', 'gala-cancel');
  s.confirm('gala-cancel', day(177, 12, 20), S);
  s.promise('gala-upgraded', day(177, 13), S, {
    promisor: S,
    kind: 'DELIVERY',
    description: 'Summer gala catering for 300 guests: upgraded prime-beef menu at the seafood price',
    due: day(190, 17),
    amount: { amount: 27_000, currency: 'EUR' },
  });
  s.keep('gala-upgraded', day(190, 16), S);
  s.interaction(day(191, 9), C, 'POSITIVE_CONTACT', C, { note: 'Guests loved the gala dinner; the GM sent thanks.' });
  s.interaction(day(191, 9, 30), C, 'SATISFACTION', C, { score: 5, note: 'Gala dinner' });

  // A second complaint, handled the same day.
  s.interaction(day(240, 7), C, 'COMPLAINT', C, { note: 'Two crates of strawberries mouldy on arrival.' }, 'strawberries');
  s.respond('strawberries', day(240, 7, 40), S, 'Replacement crates on the 10:00 van.');
  s.resolve('strawberries', day(240, 10, 30), S, 'Replaced; grower batch flagged.');

  // Satisfaction pulses and the client's own positive contacts.
  for (let d = 45; d < 364; d += 30) s.interaction(day(d, 16), C, 'SATISFACTION', C, { score: r.int(4, 5) });
  for (let d = 38; d < 364; d += r.int(15, 25))
    s.interaction(day(d, r.int(9, 15)), C, 'POSITIVE_CONTACT', C, {
      note: r.pick(['Chef asked for the new seasonal list.', 'Thanked the driver for the early drop.', 'Asked to add oat milk to the standing order.']),
    });

  // Measurements: rejections fall month by month; the client's order discipline improves.
  const rejected = [5, 4, 3.5, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.9];
  rejected.forEach((v, m) => s.measure(day(60 + m * 30, 18), S, 'goal', 0, v));
  const onTimeOrders = [78, 82, 85, 90, 92, 94, 96, 95, 97, 98, 96];
  onTimeOrders.forEach((v, m) => s.measure(day(60 + m * 30, 18, 10), S, 'goal', 1, v));
  return s;
}
