import { C, day, S, Story } from '../story.ts';

/**
 * DESIGN §1 "trust runs both ways": a retail chain that loves its fixtures supplier but pays late.
 * The supplier delivers on time; the client keeps its payment promises, late and without notice,
 * except once when it warned ahead; its latest invoice is overdue.
 */
export function latePayerStory(): Story {
  const s = new Story('late-payer', 'oak', 'mosaic', C, day(58, 11), day(59, 10));
  const r = s.rng;

  s.handover(day(59, 11), C, 'Rami Azoulay');
  s.handover(day(59, 12), S, 'Dana Levi');
  s.goal('goal', day(60, 10), S, 'Store fixtures rollout, paid within terms', [
    { name: 'Stores fitted on schedule', unit: '%', direction: 'HIGHER_IS_BETTER', target: 100, baseline: 50, accountable: S },
    { name: 'Invoices paid within 30 days', unit: '%', direction: 'HIGHER_IS_BETTER', target: 100, baseline: 50, accountable: C },
  ]);
  s.acceptGoal('goal', day(62, 14), C);

  let paidOnTime = 0;
  let m = 0;
  for (let d = 70; d < 364; m++, d += 30) {
    const store = `store ${m + 1}`;
    s.promise(`fit-${m}`, day(d - 10, 10), S, { promisor: S, kind: 'DELIVERY', description: `Shelving and counters for ${store}`, due: day(d, 17) });
    s.keep(`fit-${m}`, day(d - r.int(0, 1), 15), S);
    s.interaction(day(d + 1, 10), C, 'SATISFACTION', C, { score: r.int(4, 5), note: `Fit-out of ${store}` });

    const invoice = `invoice-${m}`;
    const due = d + 30;
    s.promise(invoice, day(d, 18), C, {
      promisor: C,
      kind: 'PAYMENT',
      description: `Invoice OAK-${3100 + m} for ${store}`,
      due: day(due, 17),
      amount: { amount: r.int(140, 220) * 100, currency: 'EUR' },
    });
    if (due > 362) continue; // not yet due
    if (m === 1) {
      // The late payer warned once, ahead of time, and kept the new date.
      s.reschedule(invoice, day(due - 3, 10), C, day(due + 10, 17), 'Quarter-end cash squeeze; paying on the 10th.');
      s.keep(invoice, day(due + 9, 11), C);
      paidOnTime++;
    } else if (m === 3) {
      // A reschedule written up ten days after the due date, dated the day before it ("we said so
      // on the phone"): back-dated, it buys no notice (DESIGN §2a), so paying by the new date is a late payment.
      s.reschedule(invoice, day(due - 1, 16), C, day(due + 14, 17), 'Agreed by phone: paying after the bank renews our credit line.').recordedLater(day(due + 10, 9));
      s.keep(invoice, day(due + 12, 11), C);
    } else {
      s.interaction(day(due + 5, 9), S, 'NEGATIVE_CONTACT', S, { note: `Payment reminder for invoice OAK-${3100 + m}.` });
      // Paid 6–20 days late, without a word; the latest invoice is still unpaid (overdue).
      if (due < 335) s.keep(invoice, day(due + r.int(6, 20), 15), C);
      else s.interaction(day(due + 15, 9), S, 'NEGATIVE_CONTACT', S, { note: `Second reminder for invoice OAK-${3100 + m}.` });
    }
    s.measure(day(d + 30, 18), S, 'goal', 0, 100);
    s.measure(day(d + 30, 18, 5), S, 'goal', 1, Math.round((100 * paidOnTime) / (m + 1)));
  }

  s.interaction(day(200, 10), C, 'POSITIVE_CONTACT', C, { note: 'Rami: the new fixtures lifted sales in store 3.' });
  s.interaction(day(300, 10), C, 'POSITIVE_CONTACT', C, { note: 'Asked for a quote for five more stores next year.' });
  return s;
}
