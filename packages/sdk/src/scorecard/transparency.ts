import type { PromiseEvaluation } from '@trustledger/schema';
import { addBeta, type BetaAcc, type HalfLives, UNIT, type Weighing } from './beta.ts';

/**
 * Transparency evidence of a promise's slips (any outcome but KEPT_ON_TIME and CANCELLED):
 * each slip announced in advance → positive 1, else negative 1, decayed like reliability
 * (DESIGN §3 "Transparency"). A promise rescheduled with notice whose renewed date is then
 * missed slipped twice: the first announced, the second as its outcome says. Weighed like the
 * promise's reliability evidence (stake × share): a part delivered late is a slip of that part.
 */
export function addSlip(acc: BetaAcc, ev: PromiseEvaluation, subject: string, at: number, seq: number, h: HalfLives, w: Weighing = UNIT): void {
  if (ev.outcome === null || ev.outcome === 'KEPT_ON_TIME' || ev.outcome === 'CANCELLED') return;
  if (ev.outcome === 'BROKEN_AFTER_RESCHEDULE' && ev.noticeGiven) {
    addBeta(acc, 1, 0, at, seq, `${subject}: rescheduled with notice`, h, true, w);
    if (ev.announced) addBeta(acc, 1, 0, at, seq, `${subject}: renewed date missed, announced in advance`, h, false, w);
    else addBeta(acc, 0, 1, at, seq, `${subject}: renewed date missed without notice`, h, false, w);
    return;
  }
  if (ev.announced) addBeta(acc, 1, 0, at, seq, `${subject}: slip announced in advance`, h, true, w);
  else addBeta(acc, 0, 1, at, seq, `${subject}: slip not announced in advance`, h, true, w);
}
