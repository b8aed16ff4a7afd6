import { C, day, S, Story } from '../story.ts';

/**
 * DESIGN §1 (a): custom furniture for a hotel. The client pays 70% up front and keeps that
 * promise; the supplier's installation slips, is rescheduled with notice, and then the renewed
 * date is missed too (the severe breach). A second attempt is kept, the account representative
 * changes with a proper handover, and a second order goes well. One delivery is disputed by the
 * client and the dispute is resolved by agreement.
 */
export function furnitureStory(): Story {
  const s = new Story('furniture', 'oak', 'harbor', S, day(2, 10), day(3, 14));
  const r = s.rng;

  s.handover(day(3, 15), S, 'Dana Levi');
  s.handover(day(4, 9, 30), C, 'Miriam Katz');

  // Agree up front what success means: the client proposes, the supplier adds the client's own
  // metric, and the client, measured by it now, agrees to the goal as changed.
  s.goal('goal', day(5, 11), C, 'Lobby and guest-floor refurbishment delivered to spec', [
    { name: 'Milestones delivered on time', unit: '%', direction: 'HIGHER_IS_BETTER', target: 95, baseline: 70, accountable: S },
    { name: 'Defects found at handover', unit: 'items', direction: 'LOWER_IS_BETTER', target: 0, baseline: 10, accountable: S },
  ]);
  s.addMetric('metric-pay', 'goal', day(6, 10), S, {
    name: 'Invoices paid within terms',
    unit: '%',
    direction: 'HIGHER_IS_BETTER',
    target: 100,
    baseline: 60,
    accountable: C,
  });
  s.acceptGoal('goal', day(7, 16), C);

  // 70% in advance for custom work: the client's promise, kept, and confirmed by the supplier.
  s.promise('advance', day(9, 10), C, {
    promisor: C,
    kind: 'PAYMENT',
    description: '70% advance on order PO-1042 (lobby and reception furniture)',
    due: day(21, 17),
    amount: { amount: 58_800, currency: 'EUR' },
  });
  s.keep('advance', day(19, 14), C, { key: 'advance-paid' });
  s.confirm('advance-paid', day(20, 9), S);

  // The installation: rescheduled with notice, then the renewed date missed as well.
  s.promise('install', day(10, 12), S, {
    promisor: S,
    kind: 'INSTALLATION',
    description: 'Install the lobby furniture and reception desk (PO-1042)',
    due: day(120, 7),
  });
  s.reschedule('install', day(112, 11), S, day(134, 7), 'The walnut veneer for the reception desk arrived damaged; the replacement ships in two weeks.');
  s.interaction(day(134, 13), C, 'COMPLAINT', C, { note: 'The installation crew did not arrive on the renewed date; the lobby reopening is at risk.' }, 'install-complaint');
  s.respond('install-complaint', day(134, 16, 30), S, 'Apologised; the crew was double-booked. Offered a firm date next week and a discount on the balance.');
  s.broken('install', day(135, 10), S, 'Missed the renewed installation date: the crew was double-booked on another site.');
  s.promise('install-2', day(135, 12), S, {
    promisor: S,
    kind: 'INSTALLATION',
    description: 'Install the lobby furniture and reception desk (PO-1042), second attempt',
    due: day(142, 7),
  });
  s.keep('install-2', day(141, 17), S);
  s.resolve('install-complaint', day(141, 18), C, 'Installed; the reception desk is in use.');
  s.interaction(day(142, 10), C, 'SATISFACTION', C, { score: 3, note: 'Good work in the end, but the delay hurt.' });

  // Guest-floor batches: two on time, one rescheduled in good time and kept by the new date.
  const batches: [number, number][] = [
    [44, 45],
    [74, 75],
  ];
  batches.forEach(([kept, due], i) => {
    s.promise(`batch-${i + 1}`, day(12, 10 + i), S, {
      promisor: S,
      kind: 'DELIVERY',
      description: `Guest-floor batch ${i + 1}: ${r.int(18, 26)} wardrobes and desks`,
      due: day(due, 16),
    });
    s.keep(`batch-${i + 1}`, day(kept, r.int(9, 15)), S, { key: `batch-${i + 1}-kept` });
    if (i === 0) s.confirm('batch-1-kept', day(kept + 1, 9), C);
  });
  // A dispute, raised and resolved (DESIGN §2a "A dispute is a state, not an eraser"): the client
  // disputes the supplier's record that batch 2 was delivered (two desks were missing); the
  // supplier brings them the next day and proposes that the delivery stands; the client agrees.
  s.dispute('batch-2-kept', day(75, 10), C, 'Two desks missing from the delivery.', 'batch-2-dispute');
  s.resolveDispute('batch-2-kept', day(76, 15), S, 'STANDS', 'The two desks were delivered on the 76th; the batch is complete.', 'batch-2-resolution');
  s.confirm('batch-2-resolution', day(76, 17), C);
  s.promise('batch-3', day(12, 13), S, { promisor: S, kind: 'DELIVERY', description: 'Guest-floor batch 3: 22 wardrobes and desks', due: day(105, 16) });
  s.reschedule('batch-3', day(98, 10), S, day(112, 16), 'Kiln breakdown at the oak mill; told the client ten days ahead.');
  s.keep('batch-3', day(111, 14), S);

  // The balance: 30% after installation, paid inside its terms.
  s.promise('balance', day(142, 11), C, {
    promisor: C,
    kind: 'PAYMENT',
    description: '30% balance on order PO-1042, less the agreed delay discount',
    due: day(172, 17),
    amount: { amount: 23_940, currency: 'EUR' },
  });
  s.keep('balance', day(168, 11), C);

  // A new representative, introduced in person so nothing is lost.
  s.handover(day(196, 9), S, 'Yossi Cohen');
  s.interaction(day(196, 14), S, 'POSITIVE_CONTACT', S, { note: 'Handover meeting: Dana introduced Yossi to Miriam and walked through open items.' });

  // The second wing: a new order that goes well.
  s.promise('advance-2', day(210, 10), C, {
    promisor: C,
    kind: 'PAYMENT',
    description: '70% advance on order PO-1107 (second-wing suites)',
    due: day(225, 17),
    amount: { amount: 84_000, currency: 'EUR' },
  });
  s.keep('advance-2', day(223, 10), C);
  s.promise('wing-delivery', day(211, 9), S, { promisor: S, kind: 'DELIVERY', description: 'Second-wing suites furniture (PO-1107)', due: day(300, 16) });
  s.keep('wing-delivery', day(298, 12), S);
  s.promise('wing-install', day(211, 10), S, { promisor: S, kind: 'INSTALLATION', description: 'Install the second-wing suites (PO-1107)', due: day(320, 7) });
  s.keep('wing-install', day(319, 17), S);
  s.interaction(day(320, 10), C, 'SATISFACTION', C, { score: 5, note: 'Second wing delivered and installed ahead of time.' });

  // A small complaint answered within two hours.
  s.interaction(day(265, 10), C, 'COMPLAINT', C, { note: 'A wardrobe door in suite 412 arrived scratched.' }, 'scratch');
  s.respond('scratch', day(265, 12), S, 'Replacement door ordered; fitter booked for Thursday.');
  s.resolve('scratch', day(267, 15), S, 'Door replaced.');

  // A third order under way: advance paid, delivery still to come.
  s.promise('advance-3', day(340, 10), C, {
    promisor: C,
    kind: 'PAYMENT',
    description: '70% advance on order PO-1163 (terrace lounge set)',
    due: day(355, 17),
    amount: { amount: 24_500, currency: 'EUR' },
  });
  s.keep('advance-3', day(353, 9), C);
  s.promise('terrace', day(341, 11), S, { promisor: S, kind: 'DELIVERY', description: 'Terrace lounge set (PO-1163)', due: day(385, 16) });

  // How the goal went, measured by the supplier and, for payments, agreed by both.
  const onTime: [number, number][] = [
    [45, 100],
    [75, 100],
    [112, 67],
    [142, 50],
    [200, 80],
    [260, 90],
    [320, 100],
  ];
  for (const [d, v] of onTime) s.measure(day(d, 18), S, 'goal', 0, v);
  const defects: [number, number][] = [
    [142, 4],
    [200, 2],
    [300, 1],
    [320, 0],
  ];
  for (const [d, v] of defects) s.measure(day(d, 18, 30), C, 'goal', 1, v);
  for (const d of [20, 170, 224, 354]) s.measure(day(d, 12), S, 'metric-pay', 0, 100);

  // Everyday contact from both sides.
  for (let d = 15; d < 362; d += r.int(18, 34)) {
    const initiatedBy = r.chance(0.5) ? C : S;
    const note = r.pick(
      initiatedBy === C
        ? ['Asked for fabric samples for the bar stools.', 'Thanked the team for the site visit.', 'Shared photos of the finished rooms.']
        : ['Sent the production schedule.', 'Invited Miriam to the workshop to see the prototypes.', 'Quarterly review call.'],
    );
    s.interaction(day(d, r.int(9, 16)), initiatedBy, 'POSITIVE_CONTACT', initiatedBy, { note });
  }
  return s;
}
